package api

import (
	"errors"
	"maps"
	"net/http"
	"net/url"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// documentRoutes serve the document repository (I1).
var documentRoutes = []route{
	{method: "GET", path: "/documents", query: listParams("customerId", "billingAccountId", "kind"), handle: (*API).listDocuments},
	{method: "POST", path: "/documents", handle: (*API).uploadDocument},
	{method: "GET", path: "/documents/{id}", handle: (*API).getDocument},
	{method: "GET", path: "/documents/{id}/content", handle: (*API).documentContent},
	{method: "DELETE", path: "/documents/{id}", handle: (*API).retireDocument},
}

// documentUploadPattern is the route whose body may be as large as a file.
const documentUploadPattern = "POST " + Prefix + "/documents"

// BodyLimits are the request size limits of the API routes that take
// files, by pattern, for the program's body limit (ops.LimitBodyByRoute).
func (a *API) BodyLimits() map[string]int64 {
	limits := map[string]int64{}
	if a.Documents != nil {
		limits[documentUploadPattern] = a.documentUploadLimit()
	}
	for _, m := range []map[string]int64{a.requestBodyLimits(), a.numberBodyLimits(), a.portOrderBodyLimits(),
		a.carrierBodyLimits(), a.licenceBodyLimits()} {
		maps.Copy(limits, m)
	}
	return limits
}

func (a *API) documentUploadLimit() int64 { return a.Documents.MaxBytes() + 64<<10 }

// documentJSON is a document with the link its content downloads from.
type documentJSON struct {
	document.Document
	ContentURL string `json:"contentUrl"`
}

func documentOut(d *document.Document) documentJSON {
	return documentJSON{Document: *d, ContentURL: Prefix + "/documents/" + url.PathEscape(d.ID) + "/content"}
}

// documents returns the service, or not found where the program runs
// without one.
func (a *API) documents() (*document.Service, error) {
	if a.Documents == nil {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return a.Documents, nil
}

// listDocuments pages through the documents the token may see, newest
// first: a customer user's own customer's (and, unless administrator, only
// the whole customer's and their billing accounts').
func (a *API) listDocuments(w http.ResponseWriter, r *http.Request) error {
	docs, err := a.documents()
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	f := document.Filter{BillingAccountID: q.str("billingAccountId"), Kind: q.oneOf("kind", document.Kinds),
		Offset: p.Offset, Limit: p.Limit}
	if c := q.str("customerId"); c != nil {
		f.CustomerID = *c
	}
	if err := q.err(); err != nil {
		return err
	}
	ds, total, err := docs.List(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, mapItems(ds, documentOut), total, p)
}

func (a *API) getDocument(w http.ResponseWriter, r *http.Request) error {
	docs, err := a.documents()
	if err != nil {
		return err
	}
	d, err := docs.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, documentOut(d))
}

// documentContent downloads the file; the service audits each download.
func (a *API) documentContent(w http.ResponseWriter, r *http.Request) error {
	docs, err := a.documents()
	if err != nil {
		return err
	}
	d, content, err := docs.Open(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	defer content.Close()
	document.Serve(w, r, d, content)
	return nil
}

func (a *API) retireDocument(w http.ResponseWriter, r *http.Request) error {
	docs, err := a.documents()
	if err != nil {
		return err
	}
	if err := docs.Retire(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// documentFields names the service's field errors as the multipart form's
// fields.
var documentFields = map[string]string{"customer": "customerId", "billing_account": "billingAccountId"}

// uploadDocument takes a multipart/form-data body: customerId,
// billingAccountId (optional), kind, title, description (optional) and
// file, in any order. The file streams to a spool file, never whole in
// memory.
func (a *API) uploadDocument(w http.ResponseWriter, r *http.Request) error {
	docs, err := a.documents()
	if err != nil {
		return err
	}
	if !document.CanManage(enlace.ActorFrom(r.Context())) {
		return enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	u, err := a.readUpload(w, r, docs, "customerId", "billingAccountId", "kind", "title", "description")
	if err != nil {
		return err
	}
	defer u.file.Close()
	in := document.Input{CustomerID: u.fields["customerId"], BillingAccountID: u.fields["billingAccountId"],
		Kind: u.fields["kind"], Title: u.fields["title"], Description: u.fields["description"], FileName: u.fileName}
	d, err := docs.Create(r.Context(), in, u.file)
	if err != nil {
		return renameFields(err, documentFields)
	}
	w.Header().Set("Location", Prefix+"/documents/"+url.PathEscape(d.ID))
	return writeJSON(w, http.StatusCreated, documentOut(d))
}

// renameFields renames the field errors of err for the API's names.
func renameFields(err error, names map[string]string) error {
	var e *enlace.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]enlace.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		out.Fields[i] = f
	}
	return &out
}
