package api

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/blob"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/document/doctest"
	"github.com/enlace-portal/enlace/internal/identity"
)

const (
	staffExec = "staff account executive"
	apiDocMax = 64 << 10
)

// withDocuments adds the document repository (a folder blob store) and an
// account executive's token to the fixture.
func (f *fixture) withDocuments() *document.Service {
	f.t.Helper()
	blobs, err := blob.NewFolder(filepath.Join(f.t.TempDir(), "blobs"))
	must(f.t, err)
	docs := document.NewService(f.store, blobs, document.Config{MaxBytes: apiDocMax, TempDir: f.t.TempDir()})
	f.api.Documents = docs
	exec, _, err := f.svc.CreateStaffUser(f.staffCtx, identity.NewStaffUser{Email: "ejecutivo@provider.example",
		FirstName: "Eva", LastName: "Ejecutiva", Role: identity.StaffAccountExec})
	must(f.t, err)
	f.tokens[staffExec] = f.token(exec.ID, "")
	return docs
}

// share uploads a document through the service as the staff administrator.
func (f *fixture) share(docs *document.Service, in document.Input) *document.Document {
	f.t.Helper()
	d, err := docs.Upload(f.staffCtx, in, bytes.NewReader(doctest.PDF(in.Title)))
	must(f.t, err)
	return d
}

// multipartBody builds an upload body: fields in the given order, and the
// file where "file" appears among them.
func multipartBody(fields [][2]string, fileName string, content []byte) call {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, kv := range fields {
		if kv[0] == "file" {
			fw, _ := mw.CreateFormFile("file", fileName)
			fw.Write(content)
			continue
		}
		mw.WriteField(kv[0], kv[1])
	}
	mw.Close()
	return call{method: "POST", path: "/documents", body: b.String(), contentType: mw.FormDataContentType()}
}

func TestDocumentsAPI(t *testing.T) {
	f := newFixture(t)
	docs := f.withDocuments()
	pdf := doctest.PDF("Manual del conmutador")
	// The file first, the fields after: any order is fine.
	c := multipartBody([][2]string{{"file", ""}, {"customerId", f.a.customer.ID}, {"kind", "manual"},
		{"title", "Manual del conmutador"}, {"description", "Versión 2"}}, "Manual conmutador ñ.pdf", pdf)
	c.as = staffExec
	var d documentJSON
	resp := f.doJSON(c, http.StatusCreated, &d)
	if d.ContentType != "application/pdf" || d.Size != int64(len(pdf)) || d.FileName != "Manual conmutador ñ.pdf" ||
		d.BillingAccountID != "" || d.ContentURL != Prefix+"/documents/"+d.ID+"/content" {
		t.Errorf("created %+v", d)
	}
	if resp.Header.Get("Location") != Prefix+"/documents/"+d.ID {
		t.Errorf("Location = %q", resp.Header.Get("Location"))
	}

	var l list[documentJSON]
	f.doJSON(call{as: aUser, method: "GET", path: "/documents?kind=manual"}, 200, &l)
	if l.Total != 1 || l.Items[0].ID != d.ID {
		t.Errorf("list = %+v", l)
	}
	f.doJSON(call{as: aAdmin, method: "GET", path: "/documents/" + d.ID}, 200, nil)

	for range 2 {
		res, body := f.do(call{as: aUser, method: "GET", path: "/documents/" + d.ID + "/content"})
		if res.StatusCode != 200 || !bytes.Equal(body, pdf) || res.Header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''Manual%20conmutador%20%C3%B1.pdf") ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("download = %d %v, %d bytes", res.StatusCode, res.Header, len(body))
		}
	}
	action := "document.download"
	entries, total, err := f.store.FindAuditEntries(f.ctx, audit.Filter{Action: &action, Limit: 5})
	must(t, err)
	if total != 2 || entries[0].ObjectID != d.ID || entries[0].CustomerID != f.a.customer.ID || entries[0].ActorID != f.a.userID {
		t.Errorf("download audit: %d %+v", total, entries)
	}

	res, _ := f.do(call{as: staffExec, method: "DELETE", path: "/documents/" + d.ID})
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE = %d", res.StatusCode)
	}
	res, body := f.do(call{as: aUser, method: "GET", path: "/documents/" + d.ID + "/content"})
	checkProblem(t, res, body, 404)
	if _, n, _ := docs.List(f.staffCtx, document.Filter{}); n != 0 {
		t.Errorf("%d documents listed after retiring", n)
	}
}

func TestDocumentsAPIBadInput(t *testing.T) {
	f := newFixture(t)
	docs := f.withDocuments()
	pdf := doctest.PDF("x")
	good := [][2]string{{"customerId", f.a.customer.ID}, {"kind", "contract"}, {"title", "T"}, {"file", ""}}
	with := func(k, v string) [][2]string {
		out := [][2]string{}
		for _, kv := range good {
			if kv[0] == k {
				kv[1] = v
			}
			out = append(out, kv)
		}
		return out
	}
	tests := []struct {
		name    string
		c       call
		status  int
		pointer string // the field the problem names, if any
	}{
		{"exe", multipartBody(good, "a.pdf", doctest.EXE()), 422, "/file"},
		{"docm", multipartBody(good, "a.docx", doctest.OOXML("docm")), 422, "/file"},
		{"too large", multipartBody(good, "a.pdf", append(pdf, make([]byte, apiDocMax)...)), 422, "/file"},
		{"no file", multipartBody(good[:3], "", nil), 422, "/file"},
		{"no title", multipartBody(with("title", ""), "a.pdf", pdf), 422, "/title"},
		{"bad kind", multipartBody(with("kind", "x"), "a.pdf", pdf), 422, "/kind"},
		{"other customer's account", multipartBody(append(good, [2]string{"billingAccountId", f.b.accounts[0].ID}), "a.pdf", pdf), 422, "/billingAccountId"},
		{"unknown customer", multipartBody(with("customerId", "nope"), "a.pdf", pdf), 422, "/customerId"},
		{"unknown field", multipartBody(append(good, [2]string{"owner", "x"}), "a.pdf", pdf), 400, "/owner"},
		{"two files", multipartBody(append(good, [2]string{"file", ""}), "a.pdf", pdf), 400, "/file"},
		{"json", call{method: "POST", path: "/documents", body: `{"title":"x"}`}, 415, ""},
		{"broken multipart", call{method: "POST", path: "/documents", body: "--x\r\nnada", contentType: "multipart/form-data; boundary=x"}, 400, ""},
		{"unknown kind filter", call{method: "GET", path: "/documents?kind=secret"}, 400, ""},
		{"unknown parameter", call{method: "GET", path: "/documents?owner=x"}, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.c.as = staffExec
			res, body := f.do(tt.c)
			p := checkProblem(t, res, body, tt.status)
			if tt.pointer == "" {
				return
			}
			var raw struct {
				Errors []struct{ Field string } `json:"errors"`
			}
			json.Unmarshal(body, &raw)
			found := false
			for _, e := range raw.Errors {
				found = found || strings.TrimPrefix(e.Field, "/") == strings.TrimPrefix(tt.pointer, "/")
			}
			if !found {
				t.Errorf("problem %+v names no %s: %s", p, tt.pointer, body)
			}
		})
	}
	// A request larger than the upload limit is refused before it is read.
	c := multipartBody(good, "a.pdf", make([]byte, apiDocMax+70<<10))
	c.as = staffExec
	res, body := f.do(c)
	checkProblem(t, res, body, http.StatusRequestEntityTooLarge)
	if _, n, _ := docs.List(f.staffCtx, document.Filter{}); n != 0 {
		t.Errorf("%d documents stored by bad input", n)
	}
}
