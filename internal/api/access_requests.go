package api

import (
	"net/http"

	"github.com/enlace-portal/enlace/internal/identity"
)

// accessRequestStatuses are the values of ?status=.
var accessRequestStatuses = []string{identity.RequestPending, identity.RequestApproved, identity.RequestRejected}

// listAccessRequests lists self-registrations, newest first. Staff may
// name a customer; customer tokens always see their own.
func (a *API) listAccessRequests(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	p := q.page(MaxLimit)
	status := q.oneOf("status", accessRequestStatuses)
	named := q.str("customerId")
	if err := q.err(); err != nil {
		return err
	}
	cid, err := customerOf(r, named)
	if err != nil {
		return err
	}
	rs, total, err := a.Identity.FindAccessRequests(r.Context(), identity.AccessRequestFilter{CustomerID: cid,
		Status: status, Offset: p.Offset, Limit: p.Limit})
	if err != nil {
		return err
	}
	return writeList(w, rs, total, p)
}

func (a *API) getAccessRequest(w http.ResponseWriter, r *http.Request) error {
	ar, err := a.Identity.AccessRequest(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ar)
}

// approveRequest is the body of POST /access-requests/{id}/approve; both
// members are optional (the service defaults to a read-only end user), and
// so is the body itself.
type approveRequest struct {
	Role        string `json:"role"`
	AccessLevel string `json:"accessLevel"`
}

func (a *API) approveAccessRequest(w http.ResponseWriter, r *http.Request) error {
	var in approveRequest
	if r.ContentLength != 0 || r.Header.Get("Content-Type") != "" {
		if err := a.decode(w, r, &in); err != nil {
			return err
		}
	}
	return a.decide(w, r, identity.Decision{Approve: true, Role: in.Role, AccessLevel: in.AccessLevel})
}

// rejectRequest is the body of POST /access-requests/{id}/reject.
type rejectRequest struct {
	Reason string `json:"reason"`
}

func (a *API) rejectAccessRequest(w http.ResponseWriter, r *http.Request) error {
	var in rejectRequest
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	return a.decide(w, r, identity.Decision{Reason: in.Reason})
}

func (a *API) decide(w http.ResponseWriter, r *http.Request, d identity.Decision) error {
	ar, err := a.Identity.DecideAccessRequest(r.Context(), r.PathValue("id"), d)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ar)
}
