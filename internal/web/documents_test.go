package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/blob"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/document/doctest"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/importer"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/web"
)

// docMax is the file limit of the document tests: above the 64 KiB every
// other route of the test server takes, so the upload route's own limit
// is what lets a file through.
const docMax = 256 << 10

// newDocEnv is newEnv with the document repository wired in (a folder
// blob store) and the program's per-route body limits around the UI.
func newDocEnv(t *testing.T) (*env, *document.Service) {
	t.Helper()
	e := newEnv(t)
	blobs, err := blob.NewFolder(filepath.Join(t.TempDir(), "blobs"))
	must(t, err)
	docs := document.NewService(e.store, blobs, document.Config{MaxBytes: docMax, TempDir: t.TempDir()})
	inv := inventory.NewManager(e.store, e.clock)
	s := web.New(web.Deps{Identity: e.id, Notify: notify.NewService(e.store), Audit: audit.NewService(e.store),
		Customers: customer.NewService(e.store), Inventory: inv, Importer: importer.NewService(e.store, inv, e.clock),
		Documents: docs, Catalog: i18n.MustLoad(), Clock: e.clock, Demo: true})
	mux := http.NewServeMux()
	s.Register(mux)
	srv := httptest.NewServer(ops.Chain(ops.CrossOriginProtection().Handler(mux), ops.RequestID(false),
		ops.LimitBodyByRoute(64<<10, mux, s.BodyLimits())))
	t.Cleanup(srv.Close)
	e.srv = srv
	return e, docs
}

// share uploads a document as the staff administrator, through the service.
func (e *env) share(docs *document.Service, in document.Input, content []byte) *document.Document {
	e.t.Helper()
	d, err := docs.Upload(e.staffCtx(), in, bytes.NewReader(content))
	must(e.t, err)
	return d
}

// uploadDoc posts the upload form: fields first, the file last (as a
// browser sends the form), or no file part when name is empty.
func (c *client) uploadDoc(customerID string, fields map[string]string, name string, content []byte) resp {
	c.e.t.Helper()
	return c.uploadTo("/documents/new?customer="+url.QueryEscape(customerID), fields, name, content)
}

// uploadTo posts a multipart form to path: fields first, the file last.
func (c *client) uploadTo(path string, fields map[string]string, name string, content []byte) resp {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(content)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// download fetches a document with the client's cookies and returns the
// whole response, headers included.
func (c *client) download(path string, header http.Header) (*http.Response, []byte) {
	c.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.srv.URL+path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestDocumentUploadAndDownload(t *testing.T) {
	e, _ := newDocEnv(t)
	a := e.newTenant("Alfa")
	exec := e.signedIn(e.newStaff(identity.StaffAccountExec))
	exec.get("/documents/new?customer="+a.customer.ID).want(t, 200, "").contains(t, `enctype="multipart/form-data"`,
		"PDF, XLSX, DOCX, PPTX, PNG, JPEG", "256 KB", `data-max-bytes="262144"`)

	// Larger than the 64 KiB default body limit: the route's own limit lets it in.
	pdf := doctest.PDF("Contrato marco")
	pdf = append(pdf[:len(pdf)-6], append(bytes.Repeat([]byte("%relleno\n"), 100<<10/9), []byte("%%EOF\n")...)...)
	name := "Contrato Año 2026 (firmado).pdf"
	exec.uploadDoc(a.customer.ID, map[string]string{"title": "Contrato marco", "description": "Vigencia 36 meses",
		"kind": "contract", "billing_account": ""}, name, pdf).want(t, 303, "/documents?customer="+a.customer.ID)
	list := exec.get("/documents?customer="+a.customer.ID).want(t, 200, "").contains(t, "Contrato marco", "Vigencia 36 meses",
		name, "Todo el cliente", "Contrato", document.HumanSize(int64(len(pdf))), "02/03/2026 09:00", "Documento compartido con el cliente.")
	id := idAfter(t, list.body, `<tr id="document-`)

	user := e.signedIn(a.user.Email)
	user.get("/documents").want(t, 200, "").contains(t, "Contrato marco", `/documents/`+id+`/download`)
	for range 2 {
		res, body := user.download("/documents/"+id+"/download", nil)
		if res.StatusCode != 200 || !bytes.Equal(body, pdf) {
			t.Fatalf("download = %d, %d bytes; want the %d uploaded", res.StatusCode, len(body), len(pdf))
		}
		for h, want := range map[string]string{
			"Content-Type":           "application/pdf",
			"Content-Disposition":    `attachment; filename="Contrato A_o 2026 (firmado).pdf"; filename*=UTF-8''Contrato%20A%C3%B1o%202026%20%28firmado%29.pdf`,
			"X-Content-Type-Options": "nosniff",
			"Content-Length":         strconv.Itoa(len(pdf)),
			"Accept-Ranges":          "bytes",
		} {
			if got := res.Header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
	}
	res, body := user.download("/documents/"+id+"/download", http.Header{"Range": {"bytes=0-7"}})
	if res.StatusCode != http.StatusPartialContent || string(body) != string(pdf[:8]) {
		t.Errorf("range download = %d %q", res.StatusCode, body)
	}

	// Every download is audited: three, by the user, from the test's address.
	action := "document.download"
	entries, total, err := e.store.FindAuditEntries(context.Background(), audit.Filter{Action: &action, Limit: 10})
	must(t, err)
	if total != 3 || entries[0].ActorEmail != a.user.Email || entries[0].ObjectID != id || entries[0].IP == "" {
		t.Errorf("download audit: %d entries, first %+v", total, entries)
	}
	exec.get("/documents?customer="+a.customer.ID).want(t, 200, "").contains(t, `<td>3</td>`)

	// Retiring hides it from everyone.
	exec.post("/documents/"+id+"/retire", nil).want(t, 303, "/documents?customer="+a.customer.ID)
	user.get("/documents").want(t, 200, "").contains(t, "No hay documentos compartidos.")
	user.get("/documents/"+id+"/download").want(t, 404, "")
}

func TestDocumentUploadErrors(t *testing.T) {
	e, docs := newDocEnv(t)
	a, b := e.newTenant("Alfa"), e.newTenant("Beta")
	exec := e.signedIn(e.newStaff(identity.StaffAccountExec))
	good := map[string]string{"title": "T", "kind": "manual", "billing_account": ""}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for kk, vv := range good {
			m[kk] = vv
		}
		m[k] = v
		return m
	}
	over := append(doctest.PDF("x"), bytes.Repeat([]byte(" "), docMax)...)
	tests := []struct {
		name    string
		fields  map[string]string
		file    string
		content []byte
		status  int
		says    []string
	}{
		{"exe named pdf", good, "factura.pdf", doctest.EXE(), 422, []string{"Este tipo de archivo no está permitido. Se aceptan: PDF, XLSX, DOCX, PPTX, PNG, JPEG."}},
		{"html named pdf", good, "factura.pdf", doctest.HTML(), 422, []string{"no está permitido"}},
		{"zip named xlsx", good, "tarifas.xlsx", doctest.Zip(map[string]string{"a.txt": "a"}), 422, []string{"no está permitido"}},
		{"over the file limit", good, "grande.pdf", over[:docMax+100], 422, []string{"El archivo pesa más de 256 KB, el máximo permitido."}},
		{"over the route limit", good, "enorme.pdf", append(over, over...), 413, []string{"El archivo pesa más de 256 KB"}},
		{"no file", good, "", nil, 422, []string{"Elija el archivo que quiere compartir."}},
		{"empty file", good, "vacio.pdf", nil, 422, []string{"El archivo está vacío."}},
		{"no title", with("title", ""), "a.pdf", doctest.PDF("a"), 422, []string{"Escriba un título."}},
		{"unknown kind", with("kind", "secreto"), "a.pdf", doctest.PDF("a"), 422, []string{"Elija un tipo de documento de la lista."}},
		{"another customer's account", with("billing_account", b.account.ID), "a.pdf", doctest.PDF("a"), 422, []string{"Elija una cuenta de facturación activa de este cliente."}},
		{"every problem at once", map[string]string{"kind": "x"}, "a.exe", doctest.EXE(), 422, []string{"Escriba un título.", "Elija un tipo", "no está permitido"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := exec.uploadDoc(a.customer.ID, tt.fields, tt.file, tt.content)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d\n%s", r.status, tt.status, r.body)
			}
			r.contains(t, tt.says...)
			r.contains(t, `id="document-form"`, `id="error-summary"`)
		})
	}
	// A form that is not multipart is broken.
	exec.post("/documents/new?customer="+a.customer.ID, url.Values{"title": {"x"}}).want(t, 400, "")
	// Nothing was stored or audited.
	if _, n, _ := docs.List(e.staffCtx(), document.Filter{}); n != 0 {
		t.Errorf("%d documents stored by bad uploads", n)
	}
	action := "document.upload"
	if _, n, _ := e.store.FindAuditEntries(context.Background(), audit.Filter{Action: &action, Limit: 1}); n != 0 {
		t.Errorf("%d uploads audited", n)
	}
}

func TestDocumentsPageFilters(t *testing.T) {
	e, docs := newDocEnv(t)
	a := e.newTenant("Alfa")
	e.share(docs, document.Input{CustomerID: a.customer.ID, Kind: "contract", Title: "Contrato general"}, doctest.PDF("c"))
	e.share(docs, document.Input{CustomerID: a.customer.ID, BillingAccountID: a.account.ID, Kind: "invoice", Title: "Factura enero"}, doctest.PNG())
	admin := e.signedIn(a.admin.Email)
	r := admin.get("/documents?kind=invoice").want(t, 200, "").contains(t, "Factura enero", "Copia de factura", "A-alfa · Alfa HQ")
	if strings.Contains(r.body, "Contrato general") {
		t.Error("kind filter let a contract through")
	}
	r = admin.get("/documents?account="+a.account.ID).want(t, 200, "").contains(t, "Factura enero")
	if strings.Contains(r.body, "Contrato general") {
		t.Error("account filter let a whole-customer document through")
	}
	admin.get("/documents?kind=nope").want(t, 200, "").contains(t, "Contrato general", `id="error-summary"`)
	// Staff pick the customer first; customer users get no upload button.
	e.signedIn(e.admin.Email).get("/documents").want(t, 200, "").contains(t, `id="choose-customer"`)
	if strings.Contains(admin.get("/documents").body, `id="document-new"`) {
		t.Error("a customer administrator is offered the upload form")
	}
	r = admin.get("/documents")
	if !strings.Contains(r.body, `id="nav-documents"`) {
		t.Error("no Documents entry in the menu")
	}
}

func TestDocumentPagesInEveryLanguage(t *testing.T) {
	e, docs := newDocEnv(t)
	a := e.newTenant("Alfa")
	e.share(docs, document.Input{CustomerID: a.customer.ID, Kind: "loa", Title: "LOA", Description: "Portabilidad"}, doctest.PDF("l"))
	staff := e.signedIn(e.admin.Email)
	admin := e.signedIn(a.admin.Email)
	for _, lang := range []string{"es-MX", "en", "de"} {
		for _, c := range []*client{staff, admin} {
			c.post("/lang", url.Values{"lang": {lang}})
		}
		for _, p := range []struct {
			c    *client
			path string
		}{
			{staff, "/documents"},
			{staff, "/documents?customer=" + a.customer.ID},
			{staff, "/documents/new?customer=" + a.customer.ID},
			{admin, "/documents"},
		} {
			r := p.c.get(p.path).want(t, 200, "")
			if !strings.Contains(r.body, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s: not in %s", lang, p.path, lang)
			}
			if keys := rawKey.FindAllString(stripAssets(r.body), -1); len(keys) > 0 {
				t.Errorf("%s %s shows untranslated keys %v", lang, p.path, keys)
			}
		}
		r := staff.uploadDoc(a.customer.ID, map[string]string{"title": "", "kind": "loa"}, "x.pdf", doctest.EXE())
		if keys := rawKey.FindAllString(stripAssets(r.body), -1); r.status != 422 || len(keys) > 0 {
			t.Errorf("%s upload errors: %d, untranslated %v", lang, r.status, keys)
		}
	}
	de := e.signedIn(a.user.Email)
	de.post("/lang", url.Values{"lang": {"de"}})
	png := doctest.PNG()
	png = append(png, make([]byte, 1536-len(png))...) // 1.5 KB: readers stop after the header
	e.share(docs, document.Input{CustomerID: a.customer.ID, Kind: "other", Title: "Groß"}, png)
	de.get("/documents").want(t, 200, "").contains(t, "Vollmacht (LOA)", "1,5 KB", "Sonstiges")
}
