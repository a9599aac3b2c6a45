package api

import (
	"net/http"
	"net/url"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/numbering"
)

// numberRoutes serve the inventory of phone numbers (D1). The service
// decides who sees a number (another customer's answers 404 on every
// route) and who may change it: staff who manage numbers add, import,
// reserve and release them; a customer's administrators and technical
// contacts assign their numbers and edit their caller name and location;
// read-only users change nothing (403).
var numberRoutes = []route{
	{method: "GET", path: "/numbers", query: listParams("customerId", "state", "q"), handle: (*API).listNumbers},
	{method: "GET", path: "/numbers/counts", query: []string{"customerId"}, handle: (*API).numberCounts},
	{method: "POST", path: "/numbers", handle: (*API).addNumbers},
	{method: "GET", path: "/numbers/{id}", handle: (*API).getNumber},
	{method: "PATCH", path: "/numbers/{id}", handle: numberChange(updateNumber)},
	{method: "POST", path: "/numbers/{id}/actions", handle: numberChange(actOnNumber)},
	{method: "POST", path: "/numbers/imports", query: []string{"customerId"}, handle: (*API).importNumbers},
	{method: "GET", path: "/numbers/imports/{id}", handle: (*API).getNumberImport},
}

// numbers returns the service, or not found where the program runs
// without one.
func (a *API) numbers() (*numbering.Service, error) {
	if a.Numbers == nil {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return a.Numbers, nil
}

// numberJSON is a number with its state's name in the reader's language.
type numberJSON struct {
	numbering.Number
	StateName string `json:"stateName"`
}

func numberOut(n *numbering.Number, loc *i18n.Localizer) numberJSON {
	return numberJSON{Number: *n, StateName: loc.T("numbering.state." + n.State)}
}

func numberPath(id string) string { return Prefix + "/numbers/" + url.PathEscape(id) }

func (a *API) writeNumber(w http.ResponseWriter, r *http.Request, status int, n *numbering.Number) error {
	return writeJSON(w, status, numberOut(n, a.localizer(r)))
}

// numberChange returns the handler of a change to a number, answering the
// number as it now is.
func numberChange[T any](change func(*numbering.Service, *http.Request, *T) (*numbering.Number, error)) handlerFunc {
	return changeHandler((*API).numbers, (*API).writeNumber, required, http.StatusOK, change)
}

// listNumbers pages through the numbers the token may see in E.164 order;
// q matches the start of the number or of the assignee's name or sign-in
// name.
func (a *API) listNumbers(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.numbers()
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	f := numbering.Filter{Offset: p.Offset, Limit: p.Limit}
	if st := q.oneOf("state", numbering.States); st != nil {
		f.State = *st
	}
	if s := q.str("q"); s != nil {
		f.Query = *s
	}
	if err := q.err(); err != nil {
		return err
	}
	if f.CustomerID, err = q.customerFilter(r.Context()); err != nil {
		return err
	}
	ns, total, err := svc.List(r.Context(), f)
	if err != nil {
		return err
	}
	loc := a.localizer(r)
	return writeList(w, mapItems(ns, func(n *numbering.Number) numberJSON { return numberOut(n, loc) }), total, p)
}

// numberCountJSON is how many numbers are in a state.
type numberCountJSON struct {
	State string `json:"state"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// numberCountsJSON is the numbers by state: every state, in order, and
// their sum.
type numberCountsJSON struct {
	States []numberCountJSON `json:"states"`
	Total  int               `json:"total"`
}

// numberCounts counts the numbers the token may see by state.
func (a *API) numberCounts(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.numbers()
	if err != nil {
		return err
	}
	customerID, err := newQuery(r).customerFilter(r.Context())
	if err != nil {
		return err
	}
	counts, err := svc.Counts(r.Context(), customerID)
	if err != nil {
		return err
	}
	loc := a.localizer(r)
	out := numberCountsJSON{States: make([]numberCountJSON, len(counts))}
	for i, c := range counts {
		out.States[i] = numberCountJSON{State: c.State, Name: loc.T("numbering.state." + c.State), Count: c.Count}
		out.Total += c.Count
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) getNumber(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.numbers()
	if err != nil {
		return err
	}
	n, err := svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return a.writeNumber(w, r, http.StatusOK, n)
}

// newNumbersJSON is the body of POST /numbers: one number (from), or the
// consecutive numbers from one to another (from and to).
type newNumbersJSON struct {
	CustomerID string `json:"customerId"`
	From       string `json:"from"`
	To         string `json:"to"`
	State      string `json:"state"`
	CNAM       string `json:"cnam"`
	Location   string `json:"location"`
	Note       string `json:"note"`
	SiteID     string `json:"siteId"`
}

// addedNumbersJSON is the answer to POST /numbers: the numbers added.
type addedNumbersJSON struct {
	Count int          `json:"count"`
	Items []numberJSON `json:"items"`
}

// addNumbers adds a number or a range to a customer's inventory, all of
// them or none (staff who manage numbers). One number added is named by
// Location; a range has no one place to point at.
func (a *API) addNumbers(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.numbers()
	if err != nil {
		return err
	}
	var in newNumbersJSON
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	ns, err := svc.Add(r.Context(), numbering.AddInput{CustomerID: in.CustomerID, From: in.From, To: in.To, State: in.State,
		Details: numbering.Details{SiteID: in.SiteID, CNAM: in.CNAM, Location: in.Location, Note: in.Note}})
	if err != nil {
		return err
	}
	if len(ns) == 1 {
		w.Header().Set("Location", numberPath(ns[0].ID))
	}
	loc := a.localizer(r)
	return writeJSON(w, http.StatusCreated, addedNumbersJSON{Count: len(ns),
		Items: mapItems(ns, func(n *numbering.Number) numberJSON { return numberOut(n, loc) })})
}

// numberPatchJSON is the body of PATCH /numbers/{id}; members left out
// stay as they are.
type numberPatchJSON struct {
	CNAM     *string `json:"cnam"`
	Location *string `json:"location"`
	SiteID   *string `json:"siteId"`
	Note     *string `json:"note"`
}

// updateNumber changes a number's caller name, emergency location, site
// and remark: the members named, over the number as it is.
func updateNumber(svc *numbering.Service, r *http.Request, in *numberPatchJSON) (*numbering.Number, error) {
	n, err := svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	d := numbering.Details{SiteID: n.SiteID, CNAM: n.CNAM, Location: n.Location, Note: n.Note}
	for _, m := range []struct {
		dst *string
		v   *string
	}{{&d.CNAM, in.CNAM}, {&d.Location, in.Location}, {&d.SiteID, in.SiteID}, {&d.Note, in.Note}} {
		if m.v != nil {
			*m.dst = *m.v
		}
	}
	if _, err := svc.Update(r.Context(), n.ID, d); err != nil {
		return nil, err
	}
	// Read back for the name of a site the patch changed.
	return svc.Get(r.Context(), n.ID)
}

// numberActionJSON is the body of POST /numbers/{id}/actions: the event
// and, to assign, who or what the number rings.
type numberActionJSON struct {
	Event    string       `json:"event"`
	Assignee assigneeJSON `json:"assignee"`
	Note     string       `json:"note"`
}

// assigneeJSON is who or what a number is assigned to: its kind, its
// name and its sign-in name (UPN; none for a common-area phone).
type assigneeJSON struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	Ref  string `json:"ref"`
}

// assigneeFields are the service's names of the assignee's members.
var assigneeFields = map[string]string{"assigneeKind": "assignee/kind", "assigneeName": "assignee/name", "assigneeRef": "assignee/ref"}

// actOnNumber applies an event: reserve, unreserve, assign, unassign,
// mark_test or release. An event the number's state does not allow is a
// conflict.
func actOnNumber(svc *numbering.Service, r *http.Request, in *numberActionJSON) (*numbering.Number, error) {
	n, err := svc.Act(r.Context(), r.PathValue("id"), numbering.Action{Event: in.Event, Note: in.Note,
		Assignee: numbering.Assignee{Kind: in.Assignee.Kind, Name: in.Assignee.Name, Ref: in.Assignee.Ref}})
	return n, renameFields(err, assigneeFields)
}
