package web

import (
	"fmt"
	"io"
	"mime"
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
	ServeDocument(w, r, d, content)
}

// ServeDocument writes a document's content as an attachment: the type
// detected at upload, nosniff, a file name safe in every browser (RFC 6266
// with an RFC 5987 UTF-8 form), and Range support. The API serves files
// the same way.
func ServeDocument(w http.ResponseWriter, r *http.Request, d *document.Document, content io.ReadSeeker) {
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Disposition", ContentDisposition(d.FileName))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("ETag", `"`+d.SHA256+`"`)
	http.ServeContent(w, r, "", d.CreatedAt, content)
}

// ContentDisposition returns an attachment header for name: an ASCII
// fallback (non-ASCII letters and quotes replaced) and the exact name
// percent-encoded in UTF-8 as filename*.
func ContentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		switch {
		case r == '"' || r == '\\' || r == '%' || r < 0x20 || r == 0x7f:
			return '_'
		case r > 0x7e:
			return '_'
		}
		return r
	}, name)
	v := mime.FormatMediaType("attachment", map[string]string{"filename": ascii})
	if v == "" {
		v = `attachment; filename="documento"`
	}
	if ascii != name {
		v += "; filename*=UTF-8''" + rfc5987(name)
	}
	return v
}

// rfc5987 percent-encodes every byte of s that is not an attr-char.
func rfc5987(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
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
