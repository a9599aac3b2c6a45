package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/sqlstore"
)

// TestUploadRouteTakesMoreThanTheDefaultBodyLimit posts a 2 MiB CSV to the
// import route through the whole program: the 1 MiB default holds for
// every other route, and the upload gets the importer's own ceiling.
func TestUploadRouteTakesMoreThanTheDefaultBodyLimit(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Addr, cfg.DataDir, cfg.DatabaseURL = "127.0.0.1:0", t.TempDir(), sqlstore.TestURL(t)
	m := NewMain(cfg, slog.New(slog.DiscardHandler))
	box := &inbox{}
	m.Senders = map[string]notify.Sender{notify.ChannelEmail: box, notify.ChannelWhatsApp: box}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	ctx := context.Background()
	c := customer.Customer{ID: enlace.NewID(), Number: "100", Name: "Acme"}
	if err := m.Store.CreateCustomer(ctx, &c); err != nil {
		t.Fatal(err)
	}
	_, temp, err := m.Identity.CreateStaffUser(ctx, identity.NewStaffUser{Email: "pm@proveedor.example",
		FirstName: "Pablo", LastName: "PM", Role: identity.StaffAdmin})
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base := m.BaseURL()
	do := func(req *http.Request) *http.Response {
		t.Helper()
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	form := func(path string, v url.Values) *http.Response {
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return do(req)
	}
	form("/login", url.Values{"email": {"pm@proveedor.example"}, "password": {temp}})
	form("/login/code/send", url.Values{"channel": {"email"}})
	form("/login/code", url.Values{"code": {box.wait(t, "login_code")[0].Code}})
	if r := form("/password/change", url.Values{"current": {temp}, "password": {"Upload#2026x"}, "confirm": {"Upload#2026x"}}); r.StatusCode != 303 {
		t.Fatalf("password change = %d", r.StatusCode)
	}

	var csv strings.Builder
	csv.WriteString("sitio,direccion,ciudad,codigo_postal,estado,llave_de_servicio,categoria,producto,cuenta_facturacion,fecha_activacion\n")
	for i := 0; csv.Len() < 2<<20; i++ {
		fmt.Fprintf(&csv, "Matriz,Av. Constitución 100,Monterrey,64000,NLE,K-%07d,telco,Troncal SIP con 20 canales,X-1,2025-06-01\n", i)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "inventario.csv")
	fw.Write([]byte(csv.String()))
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/imports?customer="+c.ID, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if r := do(req); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/imports/") {
		t.Errorf("POST /imports with %d bytes = %d %q, want the upload taken and its page next", body.Len(),
			r.StatusCode, r.Header.Get("Location"))
	}
	// Every other route keeps the 1 MiB default.
	big := url.Values{"locale": {"es-MX"}, "recovery_email": {strings.Repeat("x", 2<<20)}}
	if r := form("/profile/preferences", big); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("POST /profile/preferences with 2 MiB = %d, want 413", r.StatusCode)
	}
}
