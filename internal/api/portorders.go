package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// portOrderRoutes serve port orders (D2). The service decides who sees an
// order (another customer's, or one of a billing account the user may not
// see, answers 404 on every route) and who may act on it: staff
// administrators and project managers run orders; the customer's
// administrators, technical contacts and signers give its documents; only
// the signer the order names signs its LOA (403 for everyone else).
var portOrderRoutes = []route{
	{method: "GET", path: "/port-orders", query: listParams("customerId", "state", "open"), handle: (*API).listPortOrders},
	{method: "POST", path: "/port-orders", handle: (*API).createPortOrder},
	{method: "GET", path: "/port-orders/{id}", handle: (*API).getPortOrder},
	{method: "PUT", path: "/port-orders/{id}", handle: portOrderChange(http.StatusOK, updatePortOrder)},
	{method: "POST", path: "/port-orders/{id}/documents", handle: (*API).attachToPortOrder},
	{method: "POST", path: "/port-orders/{id}/actions", handle: portOrderChange(http.StatusOK, actOnPortOrder)},
	{method: "POST", path: "/port-orders/{id}/signature", handle: portOrderChange(http.StatusCreated, signPortOrder)},
	{method: "GET", path: "/port-orders/{id}/loa", handle: (*API).portOrderLOA},
}

// portOrders returns the service, or not found where the program runs
// without one.
func (a *API) portOrders() (*porting.Service, error) {
	if a.Porting == nil {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return a.Porting, nil
}

// portOrderJSON is a port order as lists show it: its dates as days of the
// provider's time zone (YYYY-MM-DD) and its state's name in the reader's
// language.
type portOrderJSON struct {
	porting.Order
	RequestedDate string `json:"requestedDate"`
	FOCDate       string `json:"focDate,omitempty"`
	StateName     string `json:"stateName"`
}

// portOrderDetailJSON is one order as its reader sees it: its numbers,
// its documents, the earliest port date they allow, where its LOA
// downloads from once written, and for staff the carrier's events.
type portOrderDetailJSON struct {
	portOrderJSON
	Lines     []porting.Line  `json:"lines"`
	Documents []documentJSON  `json:"documents"`
	Earliest  earliestJSON    `json:"earliest"`
	LOAURL    string          `json:"loaUrl,omitempty"`
	Events    []portEventJSON `json:"events,omitzero"`
}

// earliestJSON is the earliest port date the order's documents allow,
// the documents still missing and why, in the reader's language.
type earliestJSON struct {
	Date        string   `json:"date"`
	Missing     []string `json:"missing"`
	Explanation string   `json:"explanation"`
}

// portEventJSON is an event the carrier reported on the order, with what
// it sent; applied is false for one kept only for the record.
type portEventJSON struct {
	ID         string          `json:"id"`
	Kind       string          `json:"kind"`
	KindName   string          `json:"kindName"`
	CarrierRef string          `json:"carrierRef,omitempty"`
	OccurredAt time.Time       `json:"occurredAt"`
	ReceivedAt time.Time       `json:"receivedAt"`
	Applied    bool            `json:"applied"`
	Payload    json.RawMessage `json:"payload,omitempty"`
}

// dateIn writes t as the day it is in zone (YYYY-MM-DD).
func dateIn(t time.Time, zone *time.Location) string { return t.In(zone).Format(time.DateOnly) }

func portOrderOut(o *porting.Order, loc *i18n.Localizer, zone *time.Location) portOrderJSON {
	out := portOrderJSON{Order: *o, RequestedDate: dateIn(o.RequestedDate, zone), StateName: loc.T("porting.state." + o.State)}
	if o.FOCDate != nil {
		out.FOCDate = dateIn(*o.FOCDate, zone)
	}
	return out
}

func portOrderDetailOut(v *porting.View, loc *i18n.Localizer, zone *time.Location, staff bool) portOrderDetailJSON {
	e := v.Earliest
	out := portOrderDetailJSON{portOrderJSON: portOrderOut(v.Order, loc, zone), Lines: nonNil(v.Lines),
		Documents: mapItems(v.Documents, documentOut),
		Earliest:  earliestJSON{Date: e.Date.String(), Missing: nonNil(e.Missing), Explanation: loc.TMap(e.Key, anyMap(e.Args))}}
	if loaDocument(v.Order) != "" {
		out.LOAURL = portOrderPath(v.Order.ID) + "/loa"
	}
	if staff {
		out.Events = make([]portEventJSON, len(v.Events))
		for i, ev := range v.Events {
			out.Events[i] = portEventJSON{ID: ev.ID, Kind: ev.Kind, KindName: loc.T("porting.event." + ev.Kind),
				CarrierRef: ev.CarrierRef, OccurredAt: ev.OccurredAt, ReceivedAt: ev.ReceivedAt, Applied: ev.Applied}
			if json.Valid([]byte(ev.Payload)) {
				out.Events[i].Payload = json.RawMessage(ev.Payload)
			}
		}
	}
	return out
}

// anyMap returns catalogue arguments kept as strings as a localizer takes
// them.
func anyMap(args map[string]string) map[string]any {
	out := make(map[string]any, len(args))
	for k, v := range args {
		out[k] = v
	}
	return out
}

func portOrderPath(id string) string { return Prefix + "/port-orders/" + url.PathEscape(id) }

func (a *API) writePortOrder(w http.ResponseWriter, r *http.Request, status int, v *porting.View) error {
	staff := enlace.ActorFrom(r.Context()).IsStaff()
	return writeJSON(w, status, portOrderDetailOut(v, a.localizer(r), a.Porting.Location(), staff))
}

// portOrderChange returns the handler of a change to an order, answering
// the order as it now is with status.
func portOrderChange[T any](status int, change func(*porting.Service, *http.Request, *T) (*porting.View, error)) handlerFunc {
	return changeHandler((*API).portOrders, (*API).writePortOrder, required, status, change)
}

// listPortOrders pages through the orders the token may see, newest
// first; open=true keeps those with work ahead.
func (a *API) listPortOrders(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.portOrders()
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	f := porting.Filter{Offset: p.Offset, Limit: p.Limit}
	if st := q.oneOf("state", porting.States); st != nil {
		f.State = *st
	}
	if open := q.boolean("open"); open != nil {
		f.Open = *open
	}
	if err := q.err(); err != nil {
		return err
	}
	if f.CustomerID, err = q.customerFilter(r.Context()); err != nil {
		return err
	}
	orders, total, err := svc.List(r.Context(), f)
	if err != nil {
		return err
	}
	loc, zone := a.localizer(r), svc.Location()
	return writeList(w, mapItems(orders, func(o *porting.Order) portOrderJSON { return portOrderOut(o, loc, zone) }), total, p)
}

func (a *API) getPortOrder(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.portOrders()
	if err != nil {
		return err
	}
	v, err := svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return a.writePortOrder(w, r, http.StatusOK, v)
}

// portOrderInputJSON is the body of POST /port-orders and PUT
// /port-orders/{id}: the whole order as the PM enters it. An order stays
// with its customer: PUT ignores customerId.
type portOrderInputJSON struct {
	CustomerID       string           `json:"customerId"`
	ProjectID        string           `json:"projectId"`
	SiteID           string           `json:"siteId"`
	BillingAccountID string           `json:"billingAccountId"`
	RequestedDate    string           `json:"requestedDate"`
	SignerUserID     string           `json:"signerUserId"`
	AccountName      string           `json:"accountName"`
	ServiceAddress   string           `json:"serviceAddress"`
	Numbers          []portNumberJSON `json:"numbers"`
}

// portNumberJSON is one number to port and where it is now.
type portNumberJSON struct {
	Number        string `json:"number"`
	Carrier       string `json:"carrier"`
	AccountNumber string `json:"accountNumber"`
}

// input returns the order as the service takes it; a requested date that
// is not a day (YYYY-MM-DD) is refused.
func (in *portOrderInputJSON) input() (porting.Input, error) {
	out := porting.Input{CustomerID: in.CustomerID, BillingAccountID: in.BillingAccountID, SiteID: in.SiteID,
		ProjectID: in.ProjectID, SignerUserID: in.SignerUserID, AccountName: in.AccountName, ServiceAddress: in.ServiceAddress,
		Lines: make([]porting.LineInput, len(in.Numbers))}
	for i, n := range in.Numbers {
		out.Lines[i] = porting.LineInput{Number: n.Number, Carrier: n.Carrier, AccountNumber: n.AccountNumber}
	}
	if d := strings.TrimSpace(in.RequestedDate); d != "" {
		var err error
		if out.RequestedDate, err = schedule.ParseDate(d); err != nil {
			return out, enlace.Invalid([]enlace.FieldError{enlace.Field("requestedDate", "api.field_date")})
		}
	}
	return out, nil
}

// portOrderPointer names the service's field errors of an order as
// members of its body: the service's lines are the body's numbers.
func portOrderPointer(field string) string {
	if rest, ok := strings.CutPrefix(field, "lines"); ok {
		return "/numbers" + strings.NewReplacer("[", "/", "]", "").Replace(rest)
	}
	return jsonPointer(field)
}

// createPortOrder enters a draft order (staff administrators and project
// managers) and brings its numbers into the customer's inventory as
// porting in.
func (a *API) createPortOrder(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.portOrders()
	if err != nil {
		return err
	}
	var body portOrderInputJSON
	if err := a.decode(w, r, &body); err != nil {
		return err
	}
	in, err := body.input()
	if err != nil {
		return err
	}
	v, err := svc.Create(r.Context(), in)
	if err != nil {
		return pointFields(err, portOrderPointer)
	}
	// Read back as GET shows it, with the customer's and signer's names.
	if v, err = svc.Get(r.Context(), v.Order.ID); err != nil {
		return err
	}
	w.Header().Set("Location", portOrderPath(v.Order.ID))
	return a.writePortOrder(w, r, http.StatusCreated, v)
}

// updatePortOrder replaces what the PM entered on an order in draft,
// awaiting signature or exception; an order that was sent for signature
// goes back to draft, to be signed again.
func updatePortOrder(svc *porting.Service, r *http.Request, body *portOrderInputJSON) (*porting.View, error) {
	in, err := body.input()
	if err != nil {
		return nil, err
	}
	v, err := svc.Update(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return nil, pointFields(err, portOrderPointer)
	}
	return v, nil
}
