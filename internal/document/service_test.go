package document_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/blob"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/document/doctest"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// fixture is a store on a fresh database (SQLite, or PostgreSQL when
// ENLACE_TEST_DATABASE_URL is set), a folder blob store, and two customers:
// A with accounts A1 and A2, B with B1.
type fixture struct {
	t          *testing.T
	clock      *enlace.FakeClock
	store      *sqlstore.Store
	blobs      *blob.Folder
	svc        *document.Service
	a, b       customer.Customer
	a1, a2, b1 customer.BillingAccount
	exec       *identity.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clock := enlace.NewFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
	store := sqlstore.MustOpenTest(t, clock)
	blobs, err := blob.NewFolder(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, clock: clock, store: store, blobs: blobs,
		svc: document.NewService(store, blobs, document.Config{MaxBytes: 64 << 10, TempDir: t.TempDir()})}
	ctx := context.Background()
	f.a = customer.Customer{ID: enlace.NewID(), Number: "100", Name: "Alfa"}
	f.b = customer.Customer{ID: enlace.NewID(), Number: "200", Name: "Beta"}
	must(t, store.CreateCustomer(ctx, &f.a))
	must(t, store.CreateCustomer(ctx, &f.b))
	for _, ba := range []*customer.BillingAccount{&f.a1, &f.a2, &f.b1} {
		*ba = customer.BillingAccount{ID: enlace.NewID(), CustomerID: f.a.ID}
	}
	f.b1.CustomerID = f.b.ID
	f.a1.Number, f.a2.Number, f.b1.Number = "A1", "A2", "B1"
	for _, ba := range []*customer.BillingAccount{&f.a1, &f.a2, &f.b1} {
		ba.Name = ba.Number
		must(t, store.CreateBillingAccount(ctx, ba))
	}
	f.exec = &identity.User{ID: enlace.NewID(), Email: "ejecutivo@proveedor.mx", FirstName: "Eva", LastName: "Ejecutiva",
		Locale: "es-MX", StaffRole: identity.StaffAccountExec}
	must(t, store.CreateUser(ctx, f.exec, "x", false, nil))
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// as returns a context acting as the named actor of the fixture.
func (f *fixture) as(who string) context.Context {
	actors := map[string]*enlace.Actor{
		"exec":       {UserID: f.exec.ID, Email: f.exec.Email, StaffRole: identity.StaffAccountExec, IP: "10.0.0.7"},
		"admin":      {UserID: f.exec.ID, Email: f.exec.Email, StaffRole: identity.StaffAdmin},
		"technician": {UserID: enlace.NewID(), Email: "tec@proveedor.mx", StaffRole: identity.StaffTechnician},
		"support":    {UserID: enlace.NewID(), Email: "soporte@proveedor.mx", StaffRole: identity.StaffSupport},
		"A admin":    {UserID: enlace.NewID(), Email: "admin@alfa.mx", CustomerID: f.a.ID, CustomerRole: identity.RoleAdmin, IP: "192.0.2.9"},
		"A user A1":  {UserID: enlace.NewID(), Email: "user@alfa.mx", CustomerID: f.a.ID, CustomerRole: identity.RoleUser, BillingAccountIDs: []string{f.a1.ID}, ReadOnly: true},
		"A user none": {UserID: enlace.NewID(), Email: "nadie@alfa.mx", CustomerID: f.a.ID, CustomerRole: identity.RoleUser,
			BillingAccountIDs: []string{}},
		"B admin": {UserID: enlace.NewID(), Email: "admin@beta.mx", CustomerID: f.b.ID, CustomerRole: identity.RoleAdmin},
	}
	a, ok := actors[who]
	if !ok {
		f.t.Fatalf("no actor %q", who)
	}
	return enlace.WithActor(context.Background(), a)
}

func (f *fixture) upload(in document.Input, content []byte) *document.Document {
	f.t.Helper()
	d, err := f.svc.Upload(f.as("exec"), in, bytes.NewReader(content))
	if err != nil {
		f.t.Fatalf("Upload(%+v): %v", in, err)
	}
	return d
}

func TestUploadAndDownload(t *testing.T) {
	f := newFixture(t)
	pdf := doctest.PDF("Contrato")
	d := f.upload(document.Input{CustomerID: f.a.ID, Kind: document.KindContract, Title: " Contrato marco ",
		Description: "Firmado en 2026", FileName: `C:\docs\Contrato Año 2026.pdf`}, pdf)
	if d.Title != "Contrato marco" || d.FileName != "Contrato Año 2026.pdf" || d.ContentType != "application/pdf" ||
		d.Size != int64(len(pdf)) || len(d.SHA256) != 64 || d.UploaderEmail != f.exec.Email {
		t.Errorf("uploaded %+v", d)
	}
	// The blob is keyed by the document id, never by the file name.
	rc, size, err := f.blobs.Get(t.Context(), d.ID)
	must(t, err)
	rc.Close()
	if size != int64(len(pdf)) {
		t.Errorf("blob size %d, want %d", size, len(pdf))
	}

	for i := range 3 {
		got, content, err := f.svc.Open(f.as("A admin"), d.ID)
		must(t, err)
		b, _ := io.ReadAll(content)
		content.Close()
		if !bytes.Equal(b, pdf) {
			t.Fatalf("download %d: got %d bytes, want the PDF", i, len(b))
		}
		if got.ID != d.ID {
			t.Errorf("Open returned %s", got.ID)
		}
	}
	again, err := f.svc.Get(f.as("A admin"), d.ID)
	must(t, err)
	if again.Downloads != 3 || again.LastDownloadedAt == nil {
		t.Errorf("downloads = %d, last %v; want 3 and a time", again.Downloads, again.LastDownloadedAt)
	}

	// Every download is in the audit log: who, what, when, from where.
	action := "document.download"
	entries, total, err := f.store.FindAuditEntries(t.Context(), audit.Filter{Action: &action, Limit: 10})
	must(t, err)
	if total != 3 {
		t.Fatalf("%d download entries, want 3", total)
	}
	e := entries[0]
	if e.ObjectID != d.ID || e.CustomerID != f.a.ID || e.ActorEmail != "admin@alfa.mx" || e.IP != "192.0.2.9" ||
		!e.CreatedAt.Equal(f.clock.Now()) || !strings.Contains(e.Detail, d.SHA256) {
		t.Errorf("download entry %+v", e)
	}
	upload := "document.upload"
	if _, n, _ := f.store.FindAuditEntries(t.Context(), audit.Filter{Action: &upload, Limit: 10}); n != 1 {
		t.Errorf("%d upload entries, want 1", n)
	}
}

func TestUploadTypes(t *testing.T) {
	f := newFixture(t)
	for name, tt := range map[string]struct {
		file    string
		content []byte
		want    string // content type; "" refused
	}{
		"pdf":                 {"a.pdf", doctest.PDF("x"), "application/pdf"},
		"xlsx":                {"tarifas.xlsx", doctest.OOXML("xlsx"), document.TypeXLSX.ContentType},
		"docx":                {"manual.docx", doctest.OOXML("docx"), document.TypeDOCX.ContentType},
		"png":                 {"foto.png", doctest.PNG(), "image/png"},
		"jpeg":                {"foto.jpg", doctest.JPEG(), "image/jpeg"},
		"exe named pdf":       {"factura.pdf", doctest.EXE(), ""},
		"zip named docx":      {"manual.docx", doctest.Zip(map[string]string{"a.txt": "a"}), ""},
		"html named pdf":      {"factura.pdf", doctest.HTML(), ""},
		"docm named docx":     {"macro.docx", doctest.OOXML("docm"), ""},
		"pdf named exe":       {"raro.exe", doctest.PDF("y"), "application/pdf"},
		"empty":               {"vacio.pdf", nil, ""},
		"over the size limit": {"grande.pdf", append(doctest.PDF("z"), bytes.Repeat([]byte(" "), 64<<10)...), ""},
	} {
		t.Run(name, func(t *testing.T) {
			d, err := f.svc.Upload(f.as("exec"), document.Input{CustomerID: f.a.ID, Kind: document.KindOther, Title: name,
				FileName: tt.file}, bytes.NewReader(tt.content))
			if tt.want == "" {
				fe := enlace.AsError(err).Fields
				if enlace.ErrorCode(err) != enlace.EINVALID || len(fe) != 1 || fe[0].Field != "file" {
					t.Fatalf("Upload = %v, want one error on the file", err)
				}
				return
			}
			must(t, err)
			if d.ContentType != tt.want {
				t.Errorf("content type %q, want %q", d.ContentType, tt.want)
			}
		})
	}
	// The refusals name what is allowed and the limit.
	_, err := f.svc.Upload(f.as("exec"), document.Input{CustomerID: f.a.ID, Kind: document.KindOther, Title: "x"}, bytes.NewReader(doctest.EXE()))
	if got := enlace.AsError(err).Fields[0]; got.Message != "documents.error.type_not_allowed" || got.Args["Allowed"] != "PDF, XLSX, DOCX, PPTX, PNG, JPEG" {
		t.Errorf("type error %+v", got)
	}
	_, err = f.svc.Upload(f.as("exec"), document.Input{CustomerID: f.a.ID, Kind: document.KindOther, Title: "x"}, bytes.NewReader(make([]byte, 65<<10)))
	if got := enlace.AsError(err).Fields[0]; got.Message != "documents.error.too_large" || got.Args["Limit"] != "64 KB" {
		t.Errorf("size error %+v", got)
	}
	// pdf, xlsx, docx, png, jpeg and the renamed pdf: six, nothing else.
	if _, n, _ := f.svc.List(f.as("exec"), document.Filter{CustomerID: f.a.ID}); n != 6 {
		t.Errorf("%d documents stored, want 6", n)
	}
}

func TestUploadBadInput(t *testing.T) {
	f := newFixture(t)
	pdf := doctest.PDF("x")
	tests := []struct {
		name    string
		in      document.Input
		content []byte
		fields  []string
	}{
		{"nothing", document.Input{}, nil, []string{"title", "kind", "customer", "file"}},
		{"unknown kind", document.Input{CustomerID: f.a.ID, Title: "t", Kind: "secret"}, pdf, []string{"kind"}},
		{"title too long", document.Input{CustomerID: f.a.ID, Title: strings.Repeat("a", 201), Kind: "other"}, pdf, []string{"title"}},
		{"description too long", document.Input{CustomerID: f.a.ID, Title: "t", Kind: "other", Description: strings.Repeat("d", 2001)}, pdf, []string{"description"}},
		{"unknown customer", document.Input{CustomerID: enlace.NewID(), Title: "t", Kind: "other"}, pdf, []string{"customer"}},
		{"another customer's account", document.Input{CustomerID: f.a.ID, BillingAccountID: f.b1.ID, Title: "t", Kind: "other"}, pdf, []string{"billing_account"}},
		{"unknown account", document.Input{CustomerID: f.a.ID, BillingAccountID: "nope", Title: "t", Kind: "other"}, pdf, []string{"billing_account"}},
		{"bad file and bad title", document.Input{CustomerID: f.a.ID, Kind: "other"}, doctest.HTML(), []string{"title", "file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var content io.Reader
			if tt.content != nil {
				content = bytes.NewReader(tt.content)
			}
			_, err := f.svc.Upload(f.as("exec"), tt.in, content)
			var got []string
			for _, fe := range enlace.AsError(err).Fields {
				got = append(got, fe.Field)
			}
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("field errors (-want +got):\n%s", diff)
			}
		})
	}
	if _, n, _ := f.svc.List(f.as("exec"), document.Filter{}); n != 0 {
		t.Errorf("%d documents stored by bad input", n)
	}
	entries, _, _ := f.store.FindAuditEntries(t.Context(), audit.Filter{Limit: 10})
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "document.") {
			t.Errorf("bad input audited %s", e.Action)
		}
	}
}

// TestTenancy checks who sees, downloads, uploads and retires what.
func TestTenancy(t *testing.T) {
	f := newFixture(t)
	pdf := doctest.PDF("x")
	whole := f.upload(document.Input{CustomerID: f.a.ID, Kind: "contract", Title: "A entero", FileName: "a.pdf"}, pdf)
	ofA1 := f.upload(document.Input{CustomerID: f.a.ID, BillingAccountID: f.a1.ID, Kind: "invoice", Title: "A1", FileName: "a1.pdf"}, pdf)
	ofA2 := f.upload(document.Input{CustomerID: f.a.ID, BillingAccountID: f.a2.ID, Kind: "invoice", Title: "A2", FileName: "a2.pdf"}, pdf)
	ofB := f.upload(document.Input{CustomerID: f.b.ID, Kind: "contract", Title: "B", FileName: "b.pdf"}, pdf)

	sees := map[string][]string{
		"exec":        {ofB.ID, ofA2.ID, ofA1.ID, whole.ID},
		"technician":  {ofB.ID, ofA2.ID, ofA1.ID, whole.ID},
		"A admin":     {ofA2.ID, ofA1.ID, whole.ID},
		"A user A1":   {ofA1.ID, whole.ID},
		"A user none": {whole.ID},
		"B admin":     {ofB.ID},
	}
	all := []*document.Document{whole, ofA1, ofA2, ofB}
	for who, want := range sees {
		t.Run(who, func(t *testing.T) {
			ctx := f.as(who)
			ds, total, err := f.svc.List(ctx, document.Filter{})
			must(t, err)
			var got []string
			for _, d := range ds {
				got = append(got, d.ID)
			}
			if diff := cmp.Diff(want, got); diff != "" || total != len(want) {
				t.Errorf("List (-want +got), total %d:\n%s", total, diff)
			}
			for _, d := range all {
				visible := false
				for _, id := range want {
					visible = visible || id == d.ID
				}
				_, gerr := f.svc.Get(ctx, d.ID)
				_, rc, oerr := f.svc.Open(ctx, d.ID)
				if rc != nil {
					rc.Close()
				}
				for op, err := range map[string]error{"Get": gerr, "Open": oerr} {
					if visible && err != nil {
						t.Errorf("%s(%s) = %v, want it", op, d.Title, err)
					}
					if !visible && enlace.ErrorCode(err) != enlace.ENOTFOUND {
						t.Errorf("%s(%s) = %v, want not found", op, d.Title, err)
					}
				}
			}
		})
	}
	// Filters a customer user may not use answer not found.
	if _, _, err := f.svc.List(f.as("A user A1"), document.Filter{BillingAccountID: &f.a2.ID}); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("A user listing A2: %v, want not found", err)
	}
	if _, _, err := f.svc.List(f.as("A admin"), document.Filter{CustomerID: f.b.ID}); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("A admin listing B: %v, want not found", err)
	}
	// Only staff administrators and account executives upload and retire.
	in := document.Input{CustomerID: f.a.ID, Kind: "other", Title: "x"}
	for who, want := range map[string]string{"A admin": enlace.EFORBIDDEN, "B admin": enlace.ENOTFOUND,
		"technician": enlace.EFORBIDDEN, "support": enlace.EFORBIDDEN} {
		if _, err := f.svc.Upload(f.as(who), in, bytes.NewReader(pdf)); enlace.ErrorCode(err) != want {
			t.Errorf("%s Upload = %v, want %s", who, err, want)
		}
	}
	for who, want := range map[string]string{"A admin": enlace.EFORBIDDEN, "B admin": enlace.ENOTFOUND, "technician": enlace.EFORBIDDEN} {
		if err := f.svc.Retire(f.as(who), whole.ID); enlace.ErrorCode(err) != want {
			t.Errorf("%s Retire = %v, want %s", who, err, want)
		}
	}
	if _, err := f.svc.Get(f.as("exec"), whole.ID); err != nil {
		t.Errorf("document gone after refused retirements: %v", err)
	}
	if _, _, err := f.svc.List(context.Background(), document.Filter{}); enlace.ErrorCode(err) != enlace.EUNAUTHORIZED {
		t.Errorf("anonymous List = %v", err)
	}
}

func TestRetire(t *testing.T) {
	f := newFixture(t)
	d := f.upload(document.Input{CustomerID: f.a.ID, Kind: "contract", Title: "Viejo", FileName: "v.pdf"}, doctest.PDF("v"))
	must(t, f.svc.Retire(f.as("admin"), d.ID))
	for _, who := range []string{"exec", "A admin"} {
		if _, err := f.svc.Get(f.as(who), d.ID); enlace.ErrorCode(err) != enlace.ENOTFOUND {
			t.Errorf("%s Get of a retired document = %v", who, err)
		}
	}
	if err := f.svc.Retire(f.as("admin"), d.ID); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("second Retire = %v", err)
	}
	// The file goes once the retirement's job runs; the row and its audit stay.
	if _, _, err := f.blobs.Get(t.Context(), d.ID); err != nil {
		t.Fatalf("blob gone before the job ran: %v", err)
	}
	r := jobs.NewRunner(f.store, f.clock, slog.New(slog.DiscardHandler))
	f.svc.Register(r)
	n, err := r.RunDue(t.Context())
	must(t, err)
	if n != 1 {
		t.Errorf("ran %d jobs, want 1", n)
	}
	if _, _, err := f.blobs.Get(t.Context(), d.ID); enlace.ErrorCode(err) != enlace.ENOTFOUND {
		t.Errorf("blob after the job: %v, want not found", err)
	}
	row, err := f.store.DocumentByID(t.Context(), d.ID)
	must(t, err)
	if row.RetiredAt == nil || row.RetiredBy != f.exec.ID || row.SHA256 != d.SHA256 {
		t.Errorf("retired row %+v", row)
	}
	retire := "document.retire"
	if _, n, _ := f.store.FindAuditEntries(t.Context(), audit.Filter{Action: &retire, Limit: 10}); n != 1 {
		t.Errorf("%d retire entries, want 1", n)
	}
}

func TestListFilters(t *testing.T) {
	f := newFixture(t)
	pdf := doctest.PDF("x")
	var ids []string
	for i, in := range []document.Input{
		{CustomerID: f.a.ID, Kind: "contract", Title: "1"},
		{CustomerID: f.a.ID, BillingAccountID: f.a1.ID, Kind: "invoice", Title: "2"},
		{CustomerID: f.a.ID, BillingAccountID: f.a1.ID, Kind: "contract", Title: "3"},
		{CustomerID: f.a.ID, Kind: "manual", Title: "4"},
	} {
		f.clock.Advance(time.Duration(i) * time.Minute)
		ids = append(ids, f.upload(in, pdf).ID)
	}
	contract, invoice := "contract", "invoice"
	tests := []struct {
		name string
		f    document.Filter
		want []string
	}{
		{"all newest first", document.Filter{CustomerID: f.a.ID}, []string{ids[3], ids[2], ids[1], ids[0]}},
		{"by kind", document.Filter{CustomerID: f.a.ID, Kind: &contract}, []string{ids[2], ids[0]}},
		{"by account", document.Filter{CustomerID: f.a.ID, BillingAccountID: &f.a1.ID}, []string{ids[2], ids[1]}},
		{"by kind and account", document.Filter{CustomerID: f.a.ID, BillingAccountID: &f.a1.ID, Kind: &invoice}, []string{ids[1]}},
		{"page 2 of 3", document.Filter{CustomerID: f.a.ID, Offset: 3, Limit: 3}, []string{ids[0]}},
		{"other customer", document.Filter{CustomerID: f.b.ID}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, _, err := f.svc.List(f.as("exec"), tt.f)
			must(t, err)
			var got []string
			for _, d := range ds {
				got = append(got, d.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	bad := "secreto"
	if _, _, err := f.svc.List(f.as("exec"), document.Filter{Kind: &bad}); enlace.ErrorCode(err) != enlace.EINVALID {
		t.Errorf("unknown kind filter = %v", err)
	}
}
