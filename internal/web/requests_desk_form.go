package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// deskFormPage is a request type's form (E1, E2, E7): the type's own
// fields, the service it is about (by key, or picked from the customer's
// services in a state), subject, description, priority, the documents an
// administrative requirement needs; staff also say for which customer and
// by which channel the request came.
type deskFormPage struct {
	*Page
	Type *servicedesk.Type
	// Name and About are the type's name and summary.
	Name, About string
	Staff       bool
	In          deskInput
	Fields      []deskField
	Attachments []deskAttachmentInput
	Priorities  []option
	Channels    []option
	Customers   []option
	Accounts    []option
	States      []option
	// ShowService shows the service key (the type names a service),
	// ServiceRequired marks it required.
	ShowService, ServiceRequired bool
	// Found are the services of the state searched; More tells there
	// are more than shown.
	Found     []deskFoundService
	Searched  bool
	More      int
	Multipart bool
	Accept    string
	Limit     string
	// Action is the form's page (the search by state goes there), Post
	// where the form is sent.
	Action, Post string
	Chooser      string
}

// deskInput is what the form carries, shown again when it fails.
type deskInput struct {
	CustomerID, ServiceKey, BillingAccountID, Subject, Description, Priority, Channel, State string
	Fields                                                                                   map[string]string
}

// deskField is one of the type's fields as the form draws it.
type deskField struct {
	Name, Label, Help, Kind, Value, Error string
	Required                              bool
	Max                                   int
	Options                               []option
}

// deskAttachmentInput is the file input of a document the type needs.
type deskAttachmentInput struct {
	Name, Label, Error string
	Required           bool
}

// deskFoundService is a service found by state, with the link that puts
// its key in the form.
type deskFoundService struct {
	Key, Product, Site, Status, URL string
}

// deskFoundLimit is how many services a search by state lists.
const deskFoundLimit = 50

// deskType returns the type a form route names (in its path, or in the
// query of the form's POST), having answered the request when there is
// none (404) or the reader may not raise it (403).
func (s *Server) deskType(w http.ResponseWriter, r *http.Request) *servicedesk.Type {
	key := r.PathValue("type")
	if r.Method == http.MethodPost {
		key = r.URL.Query().Get("type")
	}
	tp := s.deps.Requests.Catalog().Type(key)
	if tp == nil {
		s.notFound(w, r)
		return nil
	}
	if !raisable(visitOf(r).principal.Actor, tp) {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
		return nil
	}
	return tp
}

func (s *Server) deskForm(w http.ResponseWriter, r *http.Request) {
	tp := s.deskType(w, r)
	if tp == nil {
		return
	}
	q := r.URL.Query()
	in := deskInput{ServiceKey: q.Get("service"), Priority: tp.Priority, State: q.Get("state"), Fields: map[string]string{}}
	if visitOf(r).principal.Actor.IsStaff() {
		in.CustomerID, in.Channel = q.Get("customer"), servicedesk.ChannelPhone
	}
	s.renderDeskForm(w, r, s.page(w, r, "desk.new.title"), http.StatusOK, tp, in)
}

// renderDeskForm draws a type's form with what was typed and, on the page,
// the errors; a state in the input lists the customer's services there.
func (s *Server) renderDeskForm(w http.ResponseWriter, r *http.Request, p *Page, status int, tp *servicedesk.Type, in deskInput) {
	a := p.Actor
	fp := deskFormPage{Page: p, Type: tp, Name: tp.Name.In(p.Lang), About: tp.Summary.In(p.Lang), Staff: a.IsStaff(), In: in,
		ShowService: tp.Service != servicedesk.ServiceNone, ServiceRequired: tp.Service == servicedesk.ServiceRequired,
		Multipart: len(tp.Attachments) > 0 && s.deps.Documents != nil, Action: "/requests/new/" + url.PathEscape(tp.Key),
		Post:    "/requests/new?type=" + url.QueryEscape(tp.Key),
		Chooser: "/requests/new"}
	p.Title = fp.Name
	if tp.Kind != servicedesk.KindAdministrative {
		fp.Chooser += "?category=" + url.QueryEscape(tp.Category)
	}
	fp.Fields = deskFields(p, tp, in.Fields)
	for _, at := range tp.Attachments {
		name := "attachment." + at.Key
		fp.Attachments = append(fp.Attachments, deskAttachmentInput{Name: name, Label: at.Label.In(p.Lang), Required: at.Required,
			Error: p.Err(name)})
	}
	if fp.Multipart {
		fp.Accept, fp.Limit = acceptedExtensions(), p.Bytes(s.deps.Documents.MaxBytes())
	}
	fp.Priorities = translatedOptions(p, "servicedesk.priority.", servicedesk.Priorities, in.Priority)
	customerID := a.CustomerID
	if fp.Staff {
		fp.Channels = translatedOptions(p, "servicedesk.channel.", []string{servicedesk.ChannelPhone, servicedesk.ChannelEmail}, in.Channel)
		cs, err := s.deps.Customers.List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		fp.Customers = []option{{Value: "", Label: p.T("desk.form.no_customer")}}
		customerID = ""
		for _, c := range cs {
			if c.ID == in.CustomerID {
				customerID = c.ID
			}
			fp.Customers = append(fp.Customers, option{Value: c.ID, Label: c.Name + " (" + c.Number + ")", Selected: c.ID == in.CustomerID})
		}
	}
	if err := s.fillDeskPlace(r, &fp, customerID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "desk_form", fp)
}

// deskFields are the type's fields with what was typed and their errors.
func deskFields(p *Page, tp *servicedesk.Type, values map[string]string) []deskField {
	out := make([]deskField, 0, len(tp.Fields))
	for _, f := range tp.Fields {
		name := "fields." + f.Key
		df := deskField{Name: name, Label: f.Label.In(p.Lang), Help: f.Help.In(p.Lang), Kind: f.Kind, Value: values[f.Key],
			Error: p.Err(name), Required: f.Required, Max: f.Max}
		if f.Kind == servicedesk.FieldSelect {
			df.Options = []option{{Value: "", Label: p.T("desk.form.choose")}}
			for _, o := range f.Options {
				df.Options = append(df.Options, option{Value: o.Key, Label: o.Label.In(p.Lang), Selected: o.Key == df.Value})
			}
		}
		out = append(out, df)
	}
	return out
}

// fillDeskPlace adds the choices that place the request: the billing
// accounts (for a type that needs no service) and the search by state
// over the customer's services, with its results.
func (s *Server) fillDeskPlace(r *http.Request, fp *deskFormPage, customerID string) error {
	p, in := fp.Page, fp.In
	if !fp.ServiceRequired && customerID != "" {
		accounts, err := s.deps.Customers.BillingAccounts(r.Context(), customerID)
		if err != nil {
			return err
		}
		fp.Accounts = []option{{Value: "", Label: p.T("desk.form.any_account")}}
		for _, b := range accounts {
			if !b.Retired {
				fp.Accounts = append(fp.Accounts, option{Value: b.ID, Label: b.Number + " · " + b.Name, Selected: b.ID == in.BillingAccountID})
			}
		}
	}
	if !fp.ShowService {
		return nil
	}
	fp.States = []option{{Value: "", Label: p.T("desk.form.pick_state")}}
	for _, st := range inventory.States {
		fp.States = append(fp.States, option{Value: st.Code, Label: st.Name, Selected: in.State == st.Code})
	}
	fp.States = append(fp.States, option{Value: otherRegion, Label: p.T("inventory.other_region"), Selected: in.State == otherRegion})
	if in.State == "" || r.Method != http.MethodGet {
		return nil
	}
	if in.State != otherRegion && inventory.StateName(in.State) == "" {
		p.Summary = p.T("web.error.bad_filter")
		return nil
	}
	if customerID == "" {
		p.Errors = map[string]string{"state": p.T("desk.form.customer_first")}
		return nil
	}
	fp.Searched = true
	f := serviceQuery{State: in.State}.filter(customerID)
	if fp.ServiceRequired && fp.Type.Kind != servicedesk.KindAdministrative {
		f.Category = &fp.Type.Category
	}
	f.Limit = deskFoundLimit
	found, total, err := s.deps.Inventory.Services(r.Context(), f)
	if err != nil {
		return err
	}
	fp.More = total - len(found)
	for _, v := range found {
		link := url.Values{"service": {v.Key}}
		if fp.Staff {
			link.Set("customer", customerID)
		}
		fp.Found = append(fp.Found, deskFoundService{Key: v.Key, Product: v.Product, Site: v.SiteName + ", " + v.SiteCity,
			Status: v.Status, URL: fp.Action + "?" + link.Encode()})
	}
	return nil
}

// createDeskRequest raises a request from its type's form; a multipart
// form brings the documents the type needs. The request's page greets
// the requester with its folio.
func (s *Server) createDeskRequest(w http.ResponseWriter, r *http.Request) {
	tp := s.deskType(w, r)
	if tp == nil {
		return
	}
	form, uploads, ok := s.readDeskForm(w, r)
	if !ok {
		return
	}
	defer closeUploads(uploads)
	in := deskInput{CustomerID: form.Get("customer"), ServiceKey: form.Get("service_key"), BillingAccountID: form.Get("billing_account"),
		Subject: form.Get("subject"), Description: form.Get("description"), Priority: form.Get("priority"),
		Channel: form.Get("channel"), Fields: map[string]string{}}
	for name, vals := range form {
		if key, ok := strings.CutPrefix(name, "fields."); ok && len(vals) > 0 {
			in.Fields[key] = vals[0]
		}
	}
	v, err := s.deps.Requests.Create(r.Context(), servicedesk.Input{CustomerID: in.CustomerID, TypeKey: tp.Key,
		ServiceKey: in.ServiceKey, BillingAccountID: in.BillingAccountID, Subject: in.Subject, Description: in.Description,
		Priority: in.Priority, Fields: in.Fields, Channel: in.Channel}, uploads)
	if err == nil {
		s.flash(w, deskCreatedFlash)
		http.Redirect(w, r, "/requests/"+url.PathEscape(v.Request.ID), http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "desk.new.title")
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	s.renderDeskForm(w, r, p, formStatus(err), tp, in)
}

// maxDeskFieldBytes bounds each text field of the multipart form: room
// for the longest description in any script.
const maxDeskFieldBytes = 64 << 10

// readDeskForm reads the new-request form: a plain form, or a multipart
// one whose "attachment.<key>" parts are files, each streamed to a
// temporary file by the document service (never whole in memory). When
// it returns false it has answered the request; otherwise the caller
// closes the uploads.
func (s *Server) readDeskForm(w http.ResponseWriter, r *http.Request) (url.Values, []servicedesk.Upload, bool) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if !s.parseForm(w, r) {
			return nil, nil, false
		}
		return r.PostForm, nil, true
	}
	mr, err := r.MultipartReader()
	if err != nil || s.deps.Documents == nil {
		s.badForm(w, r)
		return nil, nil, false
	}
	form := url.Values{}
	var uploads []servicedesk.Upload
	refuse := func(err error) (url.Values, []servicedesk.Upload, bool) {
		closeUploads(uploads)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(w, r, err)
		} else {
			s.badForm(w, r)
		}
		return nil, nil, false
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return form, uploads, true
		} else if err != nil {
			return refuse(err)
		}
		key, isFile := strings.CutPrefix(part.FormName(), "attachment.")
		if !isFile {
			b, err := io.ReadAll(io.LimitReader(part, maxDeskFieldBytes+1))
			if err == nil && len(b) > maxDeskFieldBytes {
				err = errors.New("form field too long")
			}
			if err != nil {
				return refuse(err)
			}
			form.Add(part.FormName(), string(b))
			continue
		}
		if part.FileName() == "" { // no file chosen for this input
			continue
		}
		f, err := s.deps.Documents.Receive(part)
		if err != nil {
			closeUploads(uploads)
			s.fail(w, r, err)
			return nil, nil, false
		}
		uploads = append(uploads, servicedesk.Upload{Key: key, FileName: part.FileName(), File: f})
	}
}

// closeUploads deletes the temporary files of a form's uploads.
func closeUploads(uploads []servicedesk.Upload) {
	for _, u := range uploads {
		u.File.Close()
	}
}
