// Package tmf serves the TM Forum Open APIs a CRM uses to push customers,
// orders and trouble tickets into Enlace, under /tmf-api/: TMF632 Party
// Management v4 (individual, organization), TMF629 Customer Management v4
// (customer), TMF622 Product Ordering v4 and v5 (productOrder,
// cancelProductOrder, hub) and TMF621 Trouble Ticket v5 (troubleTicket,
// hub). The party and customer APIs are views of Enlace's own data, not a
// copy of it:
//
//   - an organization is an Enlace customer (tradingName and name are its
//     name; externalReference "customerNumber" its number);
//   - an individual is a contact (B3) of the customer named by its
//     relatedParty of type Organization; one created without an
//     organization belongs to no customer and only staff see it until it
//     is linked to one;
//   - a TMF629 customer is the same Enlace customer seen as a customer
//     role: its engagedParty is the organization with the same id, and
//     its accounts are the billing accounts.
//
// TMF622 is the HTTP surface of package ordering, which keeps the orders
// and starts their projects: this package reads what a client sends into
// ordering's inputs and renders orders, cancellation requests and hubs in
// the shapes of v4 or v5, for its answers and (EventRenderer) for the
// events ordering sends.
//
// TMF621 is a view of the service desk (package servicedesk): a trouble
// ticket is a service request, read into the service's inputs and
// rendered from its requests; TroubleTicketHubs keeps the subscriptions
// and sends them the events of the changes servicedesk queues.
//
// Requests carry bearer tokens (the API's); the domain services decide
// who may read and write, exactly as for the portal and /api/v1.
package tmf

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/ordering"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// Base paths of the APIs served.
const (
	PartyPath    = "/tmf-api/party/v4"
	CustomerPath = "/tmf-api/customerManagement/v4"
)

// Paging bounds of every collection.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Deps are the services and settings the TM Forum APIs need.
type Deps struct {
	Identity  *identity.Service
	Customers *customer.Service
	Contacts  *contact.Service
	// Ordering serves TMF622 Product Ordering; nil leaves it out.
	Ordering *ordering.Service
	// Requests serves TMF621 Trouble Ticket, and TroubleTicketHubs its
	// subscriptions; nil Requests leaves it out.
	Requests          *servicedesk.Service
	TroubleTicketHubs *TroubleTicketHubs
	// ExactFields makes a TMF621 attribute selection (fields=…) return
	// exactly the attributes named, without the id, href and @type
	// otherwise always sent: what TMF621's R18 conformance kit demands.
	ExactFields bool
	Catalog     *i18n.Catalog
	Logger      *slog.Logger
	// BaseURL is the public URL hrefs start with; empty means the scheme
	// and host of each request.
	BaseURL string
	// MaxBodyBytes limits request bodies; zero means ops.DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// Server serves the TM Forum APIs.
type Server struct {
	Deps
	mux *http.ServeMux
}

// New returns the TM Forum APIs with every route registered on a mux of
// their own (for Handler); Register adds them to the program's mux.
func New(d Deps) *Server {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.MaxBodyBytes <= 0 {
		d.MaxBodyBytes = ops.DefaultMaxBodyBytes
	}
	s := &Server{Deps: d, mux: http.NewServeMux()}
	s.Register(s.mux)
	return s
}

// Handler returns the APIs on their own mux, for tests and tools.
func (s *Server) Handler() http.Handler { return s.mux }

type handler func(*Server, http.ResponseWriter, *http.Request) error

type route struct {
	method, path string
	handle       handler
}

var routes = []route{
	{"GET", PartyPath + "/individual", (*Server).listIndividuals},
	{"POST", PartyPath + "/individual", (*Server).createIndividual},
	{"GET", PartyPath + "/individual/{id}", (*Server).getIndividual},
	{"PATCH", PartyPath + "/individual/{id}", (*Server).patchIndividual},
	{"DELETE", PartyPath + "/individual/{id}", (*Server).deleteIndividual},
	{"GET", PartyPath + "/organization", (*Server).listOrganizations},
	{"POST", PartyPath + "/organization", (*Server).createOrganization},
	{"GET", PartyPath + "/organization/{id}", (*Server).getOrganization},
	{"PATCH", PartyPath + "/organization/{id}", (*Server).patchOrganization},
	{"DELETE", PartyPath + "/organization/{id}", (*Server).deleteOrganization},
	{"GET", CustomerPath + "/customer", (*Server).listCustomers},
	{"POST", CustomerPath + "/customer", (*Server).createCustomer},
	{"GET", CustomerPath + "/customer/{id}", (*Server).getCustomer},
	{"PATCH", CustomerPath + "/customer/{id}", (*Server).patchCustomer},
	{"DELETE", CustomerPath + "/customer/{id}", (*Server).deleteCustomer},
}

const fallbackPattern = "/tmf-api/"

// Register adds every route to mux, and a fallback that answers any other
// path under /tmf-api/ with a TMF error (404, or 405 with Allow).
func (s *Server) Register(mux *http.ServeMux) {
	for _, rt := range slices.Concat(routes, productOrderRoutes(), troubleTicketRoutes()) {
		mux.Handle(rt.method+" "+rt.path, s.serve(rt.handle))
	}
	mux.HandleFunc(fallbackPattern, s.unmatched)
}

func (s *Server) serve(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, err := s.authenticate(w, r)
		if err == nil {
			err = h(s, w, r)
		}
		if err != nil {
			s.fail(w, r, err)
		}
	})
}

func (s *Server) unmatched(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{"GET", "POST", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != fallbackPattern && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		s.fail(w, r, statusError(http.StatusNotFound, "tmf.route_not_found"))
		return
	}
	w.Header()["Allow"] = allow
	s.fail(w, r, statusError(http.StatusMethodNotAllowed, "tmf.method_not_allowed"))
}

// authenticate resolves the bearer token into the actor the services
// check. The TM Forum APIs never read the session cookie.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*http.Request, error) {
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="enlace"`)
		return r, enlace.Errorf(enlace.EUNAUTHORIZED, "api.token_invalid")
	}
	p, err := s.Identity.AuthenticateToken(r.Context(), token)
	if err != nil {
		if enlace.ErrorCode(err) == enlace.EUNAUTHORIZED {
			w.Header().Set("WWW-Authenticate", `Bearer realm="enlace", error="invalid_token"`)
		}
		return r, err
	}
	return ops.WithActor(r, p.Actor), nil
}

// Error is the TMF630 error body.
type Error struct {
	Code           string `json:"code"`
	Reason         string `json:"reason"`
	Message        string `json:"message,omitempty"`
	Status         string `json:"status"`
	ReferenceError string `json:"referenceError,omitempty"`
	Type           string `json:"@type"`
}

// httpError is a failure of the request itself: malformed JSON, a wrong
// media type, an unknown route.
type httpError struct {
	status int
	key    string
	args   []any
}

func (e *httpError) Error() string { return fmt.Sprintf("tmf: %d %s", e.status, e.key) }

func statusError(status int, key string, args ...any) error {
	return &httpError{status: status, key: key, args: args}
}

// fail answers err as a TMF error body in the client's language; an
// internal error is logged once and its text never leaves the server.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	loc := s.Catalog.Localizer(s.Catalog.Match(r.Header.Get("Accept-Language")))
	var status int
	var msg, code string
	if he := (*httpError)(nil); errors.As(err, &he) {
		status, msg, code = he.status, loc.T(he.key, he.args...), enlace.EINVALID
	} else {
		e := enlace.AsError(err)
		code, status = e.Code, ops.HTTPStatus(e.Code)
		if e.Code == enlace.EINVALID {
			status = http.StatusBadRequest
		}
		msg = loc.TMap(e.Message, e.Args)
		for _, f := range e.Fields {
			msg += " " + attribute(f.Field) + ": " + loc.TMap(f.Message, f.Args)
		}
	}
	if status == http.StatusInternalServerError {
		s.Logger.ErrorContext(r.Context(), "tmf request failed", "request_id", enlace.OriginFrom(r.Context()).RequestID,
			"method", r.Method, "route", r.Pattern, "err", err)
		code, msg = enlace.EINTERNAL, loc.T("error.internal")
	}
	body := Error{Code: "ERR" + strconv.Itoa(status), Reason: code, Message: msg, Status: strconv.Itoa(status),
		ReferenceError: "https://enlace.dev/problems/" + code, Type: "Error"}
	_ = writeJSON(w, status, body)
}

// attributes name the TMF attribute a service's form field came from.
var attributes = map[string]string{
	"first_name": "givenName", "last_name": "familyName", "email": "contactMedium.emailAddress",
	"phone": "contactMedium.phoneNumber", "mobile": "contactMedium.mobile", "extension": "partyCharacteristic.phoneExtension",
	"kind": "partyCharacteristic.contactKind", "contact_role": "partyCharacteristic.contactRole",
	"job_title": "partyCharacteristic.jobTitle", "principal": "partyCharacteristic.principal",
	"customer_id": "relatedParty", "number": "externalReference.customerNumber", "name": "name",
	// TMF621: the service desk's fields.
	"subject": "name", "type": "ticketType", "service_key": "relatedEntity", "customer": "relatedParty",
	"billing_account": "relatedEntity", "site": "relatedEntity", "reason": "statusChangeReason",
	"resolution": "statusChangeReason", "body": "note.text", "checklist": "status",
}

func attribute(field string) string {
	if a, ok := attributes[field]; ok {
		return a
	}
	if key, ok := strings.CutPrefix(field, "fields."); ok {
		return "troubleTicketCharacteristic." + key // a request type's form field
	}
	return field
}

// writeJSON sends v without HTML escaping, so that a name like "A&B"
// reads in the body as it was sent.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// decode reads a JSON object body into dst. Attributes Enlace does not map
// are ignored (the TMF models are far larger than what a contact or a
// customer holds); wrong types and malformed JSON are refused.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, dst any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" && mt != "application/merge-patch+json" {
		return statusError(http.StatusUnsupportedMediaType, "tmf.media_type")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return statusError(http.StatusRequestEntityTooLarge, "api.body_too_large", "Limit", tooBig.Limit)
		}
		return err
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return statusError(http.StatusBadRequest, "api.json_not_object")
	}
	if err := json.Unmarshal(body, dst); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return statusError(http.StatusBadRequest, "tmf.wrong_type", "Field", typ.Field)
		}
		return statusError(http.StatusBadRequest, "tmf.json_invalid")
	}
	return nil
}

// list is a collection request: paging, attribute selection and the
// attribute filters the resource supports.
type list struct {
	offset, limit int
	fields        []string
}

// reserved are the query parameters that are not attribute filters.
var reserved = []string{"fields", "offset", "limit", "sort", "filter"}

func readList(r *http.Request) (list, error) {
	q := r.URL.Query()
	l := list{limit: DefaultLimit, fields: selectedFields(r)}
	for _, p := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"offset", &l.offset, 0, 1<<31 - 1}, {"limit", &l.limit, 1, MaxLimit}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < p.min || n > p.max {
				return l, statusError(http.StatusBadRequest, "tmf.paging_invalid", "Name", p.name, "Max", MaxLimit)
			}
			*p.dst = n
		}
	}
	return l, nil
}

// filter returns an attribute filter's value, nil when absent.
func filter(r *http.Request, name string) *string {
	if v, ok := r.URL.Query()[name]; ok && len(v) > 0 && !slices.Contains(reserved, name) {
		return &v[0]
	}
	return nil
}

func selectedFields(r *http.Request) []string {
	v := r.URL.Query().Get("fields")
	if v == "" {
		return nil
	}
	var fs []string
	for f := range strings.SplitSeq(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			fs = append(fs, f)
		}
	}
	return fs
}

// project keeps the selected first-level attributes of a resource, and
// always id, href and @type.
func project(v any, fields []string) (any, error) {
	if len(fields) == 0 {
		return v, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	keep := append([]string{"id", "href", "@type"}, fields...)
	for k := range m {
		if !slices.Contains(keep, k) {
			delete(m, k)
		}
	}
	return m, nil
}

// writeCollection sends one page with its counts: 200 when it holds the
// whole result, 206 when there is more.
func writeCollection[T any](w http.ResponseWriter, items []T, total int, l list) error {
	out := make([]any, 0, len(items))
	for _, it := range items {
		p, err := project(it, l.fields)
		if err != nil {
			return err
		}
		out = append(out, p)
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	w.Header().Set("X-Result-Count", strconv.Itoa(len(out)))
	status := http.StatusOK
	if l.offset+len(out) < total {
		status = http.StatusPartialContent
	}
	return writeJSON(w, status, out)
}

// writeOne sends one resource with the selected attributes.
func writeOne(w http.ResponseWriter, r *http.Request, status int, v any) error {
	p, err := project(v, selectedFields(r))
	if err != nil {
		return err
	}
	return writeJSON(w, status, p)
}

// base is the scheme and host hrefs start with.
func (s *Server) base(r *http.Request) string {
	if s.BaseURL != "" {
		return strings.TrimSuffix(s.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// actorOf is the signed-in actor; serve has authenticated every request.
func actorOf(ctx context.Context) *enlace.Actor { return enlace.ActorFrom(ctx) }
