package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
)

// documentRoutes are the document repository's pages (I1); they exist
// when the server has a document service.
func (s *Server) documentRoutes(mux router) {
	if s.deps.Documents == nil {
		return
	}
	mux.HandleFunc("GET /documents", s.active(s.documents))
	mux.HandleFunc("GET /documents/new", s.active(s.newDocumentForm))
	mux.HandleFunc("POST /documents/new", s.active(s.uploadDocument))
	mux.HandleFunc("GET /documents/{id}/download", s.active(s.downloadDocument))
	mux.HandleFunc("POST /documents/{id}/retire", s.active(s.retireDocument))
}

// documentsPage lists the documents shared with a customer, newest first,
// filtered by kind and billing account. Customer users see their own
// customer's; staff pick the customer.
type documentsPage struct {
	*Page
	Customers  []customer.Customer // the staff picker
	CustomerID string
	Choose     bool
	Documents  []documentRow
	Pager      *pager
	Kinds      []option
	Accounts   []option
	CanManage  bool
	// Query is the ?customer= suffix of staff links.
	Query string
}

// documentRow is one document as the list shows it.
type documentRow struct {
	document.Document
	KindLabel, Account, Size, Shared string
}

func (s *Server) documents(w http.ResponseWriter, r *http.Request) {
	a := visitOf(r).principal.Actor
	q := r.URL.Query()
	p := s.page(w, r, "documents.title")
	dp := documentsPage{Page: p, CustomerID: scopeCustomer(r), CanManage: document.CanManage(a)}
	dp.Query = customerQuery(dp.CustomerID, a.IsStaff())
	if a.IsStaff() {
		cs, err := s.deps.Customers.List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		dp.Customers, dp.Choose = cs, dp.CustomerID == ""
	}
	kind, account := q.Get("kind"), q.Get("account")
	if kind != "" && !slices.Contains(document.Kinds, kind) {
		p.Summary, kind = p.T("web.error.bad_filter"), ""
	}
	dp.Kinds = append([]option{{Value: "", Label: p.T("documents.all_kinds")}}, translatedOptions(p, "documents.kind.", document.Kinds, kind)...)
	if dp.Choose {
		s.render(w, r, http.StatusOK, "documents", dp)
		return
	}
	accounts, err := s.deps.Customers.BillingAccounts(r.Context(), dp.CustomerID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := map[string]string{}
	dp.Accounts = []option{{Value: "", Label: p.T("documents.all_accounts")}}
	for _, b := range accounts {
		names[b.ID] = b.Number + " · " + b.Name
		dp.Accounts = append(dp.Accounts, option{Value: b.ID, Label: names[b.ID], Selected: b.ID == account})
	}
	page := pageNumber(r)
	f := document.Filter{CustomerID: dp.CustomerID, Offset: (page - 1) * listLimit, Limit: listLimit}
	if kind != "" {
		f.Kind = &kind
	}
	if account != "" {
		f.BillingAccountID = &account
	}
	docs, total, err := s.deps.Documents.List(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, d := range docs {
		row := documentRow{Document: d, KindLabel: p.T("documents.kind." + d.Kind), Size: p.Bytes(d.Size),
			Shared: p.DateTime(d.CreatedAt), Account: p.T("documents.whole_customer")}
		if d.BillingAccountID != "" {
			row.Account = names[d.BillingAccountID]
		}
		dp.Documents = append(dp.Documents, row)
	}
	dp.Pager = newPager(p, r, page, listLimit, total)
	s.render(w, r, http.StatusOK, "documents", dp)
}

// Bytes writes a file size in the page's language: "1.5 MB", "1,5 MB".
func (p *Page) Bytes(n int64) string {
	h := document.HumanSize(n)
	if p.Lang == "de" {
		h = strings.Replace(h, ".", ",", 1)
	}
	return h
}

// downloadDocument sends a document's file, any number of times; the
// service writes each download to the audit log before a byte leaves.
// http.ServeContent answers Range and conditional requests from the
// blob's ReadSeeker.
func (s *Server) downloadDocument(w http.ResponseWriter, r *http.Request) {
	d, content, err := s.deps.Documents.Open(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer content.Close()
	document.Serve(w, r, d, content)
}

func (s *Server) retireDocument(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	d, err := s.deps.Documents.Get(r.Context(), id)
	if err == nil {
		err = s.deps.Documents.Retire(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, "documents.flash.retired")
	http.Redirect(w, r, "/documents"+customerQuery(d.CustomerID, visitOf(r).principal.Actor.IsStaff()), http.StatusSeeOther)
}

// documentUploadLimit is the body limit of the upload route: the largest
// file plus room for the form's other fields and the multipart framing.
func (s *Server) documentUploadLimit() int64 { return s.deps.Documents.MaxBytes() + 64<<10 }
