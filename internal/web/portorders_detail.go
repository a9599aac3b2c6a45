package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/porting"
)

// portOrderPage is one port order as its reader sees it: where it stands
// on the way to completion, the earliest port date and the documents
// missing, its numbers by current carrier, its documents and LOAs with
// the signature's evidence, the carrier's reason when it stopped the
// port, and the actions the reader may take now. Staff also see the
// carrier's events.
type portOrderPage struct {
	*Page
	Order *porting.Order
	Staff bool
	// Signer tells the reader is the order's signer and the LOA waits
	// for their signature.
	Signer                  bool
	Steps                   []orderStep
	Requested, FOC, Visible string
	Site, ProjectURL        string
	Earliest                string
	Missing                 []string
	Groups                  []orderCarrier
	Documents               []orderDocument
	LOAURL, SignedURL       string
	SignedAt                string
	Events                  []orderEvent
	Actions                 []string
	Editable, HasCarrier    bool
	MayAttach               bool
	Kinds                   []option
	Accept, Limit           string
	// Open names the form that failed ("act-<action>", "attach"), Form
	// what it posted, shown again.
	Open string
	Form url.Values
}

// Kept returns what was typed in a field of the form that failed.
func (p *portOrderPage) Kept(form, field string) string {
	if p.Form == nil || p.Open != form {
		return ""
	}
	return p.Form.Get(field)
}

// Has reports whether the reader may take an action now.
func (p *portOrderPage) Has(action string) bool { return slices.Contains(p.Actions, action) }

// orderStep is one step of an order's way: done, the current one, or
// still ahead.
type orderStep struct {
	Key           string
	Done, Current bool
}

// orderSteps are the steps the indicator shows, in order. An exception
// stands at submission (the carrier has the order back to correct it);
// a rejected or cancelled order stands at none.
var orderSteps = []string{porting.StateDraft, porting.StateAwaitingSignature, porting.StateSigned, porting.StateSubmitted,
	porting.StateConfirmed, porting.StatePorted, porting.StateCompleted}

func stepsOf(state string) []orderStep {
	if state == porting.StateException {
		state = porting.StateSubmitted
	}
	at := slices.Index(orderSteps, state)
	out := make([]orderStep, len(orderSteps))
	for i, k := range orderSteps {
		out[i] = orderStep{Key: k, Done: at >= 0 && i < at || state == porting.StateCompleted, Current: i == at}
	}
	return out
}

// orderCarrier is the order's numbers at one current carrier.
type orderCarrier struct {
	Carrier string
	Lines   []orderLine
}

// orderLine is one number of the order: the carrier's answer for it, and
// where it stands in the inventory.
type orderLine struct {
	Number, AccountNumber, Status, Reason string
	NumberState, Assignee                 string
	// URL is the number's page, where it is assigned; Assign tells the
	// number waits for its assignment.
	URL    string
	Assign bool
}

// orderDocument is one of the order's documents.
type orderDocument struct {
	ID, Kind, Title, FileName, Size, At string
}

// orderEvent is one of the carrier's events on the order.
type orderEvent struct {
	ID, Kind, Occurred, Received string
	Applied                      bool
}

// Actions on an order from its page; keys portorders.action.<action>.
const (
	orderSend            = "send"
	orderSubmit          = "submit"
	orderPublish         = "publish"
	orderConfirmAssigned = "confirm_assigned"
	orderComplete        = "complete"
	orderCancel          = "cancel"
)

// orderActions are the actions the order's state allows, for those who
// run port orders; the porting service decides again.
func (s *Server) orderActions(a *enlace.Actor, o *porting.Order) []string {
	if !porting.CanManage(a) {
		return nil
	}
	var out []string
	switch o.State {
	case porting.StateDraft:
		out = append(out, orderSend)
	case porting.StateSigned, porting.StateException:
		if o.Signature != nil {
			out = append(out, orderSubmit)
		}
	case porting.StateConfirmed:
		if o.VisibleAt == nil {
			out = append(out, orderPublish)
		}
	}
	if (o.State == porting.StateConfirmed || o.State == porting.StatePorted) && o.VisibleAt != nil && o.AssignedConfirmedAt == nil {
		out = append(out, orderConfirmAssigned)
	}
	if o.State == porting.StatePorted || o.State == porting.StateConfirmed && o.FOCDate != nil && !s.deps.Porting.Now().Before(*o.FOCDate) {
		out = append(out, orderComplete)
	}
	if o.Open() && o.State != porting.StatePorted {
		out = append(out, orderCancel)
	}
	return out
}

func (s *Server) portOrder(w http.ResponseWriter, r *http.Request) {
	v := s.visibleOrder(w, r)
	if v == nil {
		return
	}
	s.renderPortOrder(w, r, s.page(w, r, "portorders.order.title"), http.StatusOK, v, "")
}

// renderPortOrder draws an order's page; open names the form that
// failed, shown again with what was typed.
func (s *Server) renderPortOrder(w http.ResponseWriter, r *http.Request, p *Page, status int, v *porting.View, open string) {
	o, a := v.Order, p.Actor
	op := &portOrderPage{Page: p, Order: o, Staff: a.IsStaff(), Steps: stepsOf(o.State), Requested: s.portDate(p, o.RequestedDate),
		FOC: s.portDatePtr(p, o.FOCDate), Visible: p.DateTimePtr(o.VisibleAt), Earliest: earliestText(p, v.Earliest),
		Actions: s.orderActions(a, o), Editable: porting.CanManage(a) && editable(o), HasCarrier: s.deps.Porting.HasCarrier(),
		Signer: a.UserID == o.SignerUserID && o.State == porting.StateAwaitingSignature, Open: open}
	p.Title = o.Folio
	if r.Method == http.MethodPost {
		op.Form = r.PostForm
	}
	for _, kind := range v.Earliest.Missing {
		op.Missing = append(op.Missing, p.T("porting.doc."+kind))
	}
	if o.ProjectID != "" && s.deps.Projects != nil {
		op.ProjectURL = "/projects/" + url.PathEscape(o.ProjectID)
	}
	if o.SiteID != "" {
		if site, err := s.deps.Inventory.Site(r.Context(), o.SiteID); err == nil {
			op.Site = site.Name + " · " + site.City
		}
	}
	for _, g := range v.Carriers() {
		op.Groups = append(op.Groups, s.orderCarrierOf(p, o, g))
	}
	s.fillOrderDocuments(p, op, v)
	if o.Signature != nil {
		op.SignedAt = p.DateTime(o.Signature.At)
	}
	for _, ev := range v.Events {
		op.Events = append(op.Events, orderEvent{ID: ev.ID, Kind: ev.Kind, Occurred: p.DateTime(ev.OccurredAt),
			Received: p.DateTime(ev.ReceivedAt), Applied: ev.Applied})
	}
	s.render(w, r, status, "portorders_order", op)
}

// orderCarrierOf is the order's numbers at one carrier as the page shows
// them, each linking to its page when the server has the numbers'. Once
// the numbers appear for assignment, an accepted number not assigned yet
// is marked to be assigned there.
func (s *Server) orderCarrierOf(p *Page, o *porting.Order, g porting.CarrierGroup) orderCarrier {
	oc := orderCarrier{Carrier: g.Carrier}
	for _, l := range g.Lines {
		ol := orderLine{Number: numbering.Format(l.E164), AccountNumber: l.AccountNumber, Status: l.Status, Reason: l.Reason,
			NumberState: l.NumberState, Assignee: l.AssigneeName,
			Assign: l.Status == porting.LineAccepted && l.AssigneeName == "" && o.VisibleAt != nil && o.Open()}
		if s.deps.Numbers != nil && l.NumberID != "" {
			ol.URL = "/numbers/" + url.PathEscape(l.NumberID)
		}
		oc.Lines = append(oc.Lines, ol)
	}
	return oc
}

// fillOrderDocuments lists the order's documents with their download
// links, the LOAs', and the upload form for who may give the CSR and the
// phone bill while the order is not submitted.
func (s *Server) fillOrderDocuments(p *Page, op *portOrderPage, v *porting.View) {
	o := op.Order
	for _, d := range v.Documents {
		kind := p.T("documents.kind." + d.Kind)
		if d.Kind == porting.DocCSR || d.Kind == porting.DocPhoneBill {
			kind = p.T("porting.doc." + d.Kind)
		}
		op.Documents = append(op.Documents, orderDocument{ID: d.ID, Kind: kind, Title: d.Title, FileName: d.FileName,
			Size: p.Bytes(d.Size), At: p.DateTime(d.CreatedAt)})
	}
	if s.deps.Documents == nil {
		return
	}
	if o.LOADocumentID != "" {
		op.LOAURL = documentURL(o.LOADocumentID)
	}
	if o.SignedDocumentID != "" {
		op.SignedURL = documentURL(o.SignedDocumentID)
	}
	switch o.State {
	case porting.StateDraft, porting.StateAwaitingSignature, porting.StateSigned, porting.StateException:
		op.MayAttach = porting.CanProvide(p.Actor)
	}
	if op.MayAttach {
		op.Kinds = translatedOptions(p, "porting.doc.", porting.RequiredDocs, op.Kept("attach", "kind"))
		op.Accept, op.Limit = acceptedExtensions(), p.Bytes(s.deps.Documents.MaxBytes())
	}
}

// documentURL is where a document the reader sees is downloaded: the
// repository's route, which audits every download.
func documentURL(id string) string { return "/documents/" + url.PathEscape(id) + "/download" }

// orderFlash is the message after each action on an order.
var orderFlash = map[string]string{
	orderSend:            "portorders.flash.sent",
	orderSubmit:          "portorders.flash.submitted",
	orderPublish:         "portorders.flash.published",
	orderConfirmAssigned: "portorders.flash.confirmed_assigned",
	orderComplete:        "portorders.flash.completed",
	orderCancel:          "portorders.flash.cancelled",
}

func (s *Server) actOnPortOrder(w http.ResponseWriter, r *http.Request) {
	if s.visibleOrder(w, r) == nil || !s.parseForm(w, r) {
		return
	}
	ctx, id, action := r.Context(), r.PathValue("id"), r.PostForm.Get("action")
	var err error
	switch action {
	case orderSend:
		_, err = s.deps.Porting.SendForSignature(ctx, id)
	case orderSubmit:
		_, err = s.deps.Porting.Submit(ctx, id)
	case orderPublish:
		_, err = s.deps.Porting.Publish(ctx, id)
	case orderConfirmAssigned:
		_, err = s.deps.Porting.ConfirmAssigned(ctx, id)
	case orderComplete:
		_, err = s.deps.Porting.Complete(ctx, id)
	case orderCancel:
		_, err = s.deps.Porting.Cancel(ctx, id, r.PostForm.Get("reason"))
	default:
		s.badForm(w, r)
		return
	}
	s.portOrderChanged(w, r, err, "act-"+action, orderFlash[action], "order-actions")
}

// attachToPortOrder takes the customer's CSR or current phone bill.
func (s *Server) attachToPortOrder(w http.ResponseWriter, r *http.Request) {
	var kind string
	up, ok := s.readUpload(w, r, map[string]*string{"kind": &kind})
	if !ok {
		return
	}
	defer up.file.Close()
	var err error
	if up.file == nil {
		err = enlace.Invalid([]enlace.FieldError{enlace.Field("file", "documents.error.file_required")})
	} else {
		_, err = s.deps.Porting.Attach(r.Context(), r.PathValue("id"), porting.Upload{Kind: kind, FileName: up.fileName, File: up.file})
	}
	s.portOrderChanged(w, r, err, "attach", "portorders.flash.attached", "documents")
}

// portOrderChanged answers a change to an order: back to its page (at the
// section changed) with a message; or, when the change was refused for a
// reason the reader can act on, the page again with the form that failed
// and what was typed.
func (s *Server) portOrderChanged(w http.ResponseWriter, r *http.Request, err error, form, flash, anchor string) {
	id := r.PathValue("id")
	if err == nil {
		s.flash(w, flash)
		http.Redirect(w, r, orderPath(id)+"#"+anchor, http.StatusSeeOther)
		return
	}
	if !changeFailed(err) {
		s.fail(w, r, err)
		return
	}
	v, lerr := s.deps.Porting.Get(r.Context(), id)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	p := s.page(w, r, "portorders.order.title")
	formErrors(p, err, form)
	s.renderPortOrder(w, r, p, formStatus(err), v, form)
}
