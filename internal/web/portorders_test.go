package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/document/doctest"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// orderForm is the form of a port order for customer A's signer, with
// numbers as the text area takes them.
func (w *numbersWorld) orderForm(numbers string) url.Values {
	return url.Values{"signerUserId": {w.aSigner.ID}, "siteId": {w.aSite}, "accountName": {"Alfa SA de CV"},
		"serviceAddress": {"Av. Constitución 100, Monterrey"}, "requestedDate": {"2026-04-15"}, "lines": {numbers}}
}

// order enters a port order for a tenant through the service, as the
// project manager, and sends its LOA to the tenant's signer.
func (w *numbersWorld) order(t *testing.T, tn *tenant, signer *identity.Member, numbers ...string) *porting.Order {
	t.Helper()
	in := porting.Input{CustomerID: tn.customer.ID, RequestedDate: schedule.Date{Year: 2026, Month: 4, Day: 15},
		SignerUserID: signer.ID, AccountName: tn.customer.Name + " SA", ServiceAddress: "Av. 1, Monterrey"}
	for _, n := range numbers {
		in.Lines = append(in.Lines, porting.LineInput{Number: n, Carrier: "Telmex", AccountNumber: "123"})
	}
	v, err := w.porting.Create(w.pmCtx(), in)
	must(t, err)
	v, err = w.porting.SendForSignature(w.pmCtx(), v.Order.ID)
	must(t, err)
	return v.Order
}

// TestPortOrderToSignature follows an order from the project manager's
// form, refused first for its numbers line by line, through the
// customer's CSR, the LOA sent for signature and the signer's typed
// signature on their page, to the signed order with its evidence.
func TestPortOrderToSignature(t *testing.T) {
	w := newNumbersWorld(t)
	pm := w.signedIn(w.pm.Email)
	pm.get("/port-orders/new").want(t, 200, "").contains(t, `id="port-order-customer"`, "Alfa (C-alfa)").
		notContains(t, `id="port-order-form"`)
	pm.get("/port-orders/new?customer="+w.a.customer.ID).want(t, 200, "").contains(t, `id="port-order-form"`,
		`value="`+w.aSigner.ID+`"`, "Matriz Alfa", "Faltan el CSR y la factura", `type="date"`).notContains(t, w.bSigner.ID)

	bad := w.orderForm("12, Telmex\n+52 55 7000 0100, Telmex\n+52 55 7000 0100, Telmex\n+52 81 8000 0200, Axtel\n+52 55 7000 0101")
	bad.Set("accountName", "")
	pm.post("/port-orders/new?customer="+w.a.customer.ID, bad).want(t, 422, "").contains(t, `id="line-errors"`, `id="lines[0]"`,
		"Renglón 1: «12» no es un número telefónico válido.", "Renglón 3: &#43;525570000100 ya está en la orden.",
		"Renglón 4: &#43;528180000200 ya está en el inventario", "Renglón 5: escriba el operador actual",
		"Escriba el nombre del titular", "&#43;52 55 7000 0101</textarea>")
	if _, total, err := w.porting.List(w.staffCtx(), porting.Filter{}); err != nil || total != 0 {
		t.Fatalf("refused form left %d orders (%v)", total, err)
	}

	r := pm.post("/port-orders/new?customer="+w.a.customer.ID,
		w.orderForm("+52 55 7000 0100, Telmex, 111\n+52 55 7000 0101; Telmex\n\n+52 55 7000 0102\tAxtel\t999\n"))
	if r.status != 303 || !strings.HasPrefix(r.location, "/port-orders/") {
		t.Fatalf("create = %d %q\n%s", r.status, r.location, r.body)
	}
	path := r.location
	pm.get(path).want(t, 200, "").contains(t, "PORT-2026-000001", "Se creó la orden de portabilidad.", `aria-current="step">Borrador`,
		"Operador actual: Telmex", "Operador actual: Axtel", "&#43;52 55 7000 0102", `id="act-send"`, `id="act-cancel"`, `id="order-edit"`,
		"CSR (registro de servicio del cliente)", `id="order-events"`).notContains(t, `id="act-submit"`, `id="order-sign"`)
	pm.get(path+"/edit").want(t, 200, "").contains(t, "&#43;525570000102, Axtel, 999", `value="2026-04-15"`)
	pm.get("/numbers?q=%2B52557000").want(t, 200, "").contains(t, "En portabilidad", "PORT-2026-000001")
	incoming, _, err := w.numbers.List(w.staffCtx(), numbering.Filter{Query: "+525570000100"})
	must(t, err)
	pm.get("/numbers/"+incoming[0].ID).want(t, 200, "").contains(t, `id="number-waiting"`,
		"24 horas después de que el operador confirme la fecha FOC de la orden PORT-2026-000001").notContains(t, `id="act-assign"`)
	pm.get("/port-orders?state=draft").want(t, 200, "").contains(t, `id="order-PORT-2026-000001"`, "Alfa", "15/04/2026")
	pm.get("/port-orders?state=signed&customer="+w.a.customer.ID).want(t, 200, "").contains(t, `id="port-orders-none"`)

	// The customer gives the CSR; the order and its page say so.
	admin := w.signedIn(w.a.admin.Email)
	admin.get(path).want(t, 200, "").contains(t, `id="attach-form"`).notContains(t, `id="order-actions"`, `id="order-events"`, `id="order-edit"`)
	admin.uploadTo(path+"/documents", map[string]string{"kind": "contract"}, "x.pdf", doctest.PDF("x")).want(t, 422, "").
		contains(t, "Elija si el archivo es el CSR o la factura")
	admin.uploadTo(path+"/documents", map[string]string{"kind": "csr"}, "csr.pdf", doctest.PDF("CSR Alfa")).want(t, 303, path+"#documents")
	admin.get(path).want(t, 200, "").contains(t, "Se recibió el documento.", "csr.pdf", "Falta un documento")

	pm.post(path+"/act", url.Values{"action": {"send"}}).want(t, 303, path+"#order-actions")
	o, err := w.porting.Get(w.staffCtx(), strings.TrimPrefix(path, "/port-orders/"))
	must(t, err)
	loa := "/documents/" + o.Order.LOADocumentID + "/download"
	signer := w.signedIn(w.aSigner.Email)
	signer.get(path).want(t, 200, "").contains(t, `id="order-sign"`, "Revisar y firmar la LOA", `href="`+loa+`" id="order-loa-link"`)
	for who, c := range map[string]*client{"signer": signer, "admin": admin, "pm": pm} {
		if res, body := c.download(loa, nil); res.StatusCode != 200 || !strings.HasPrefix(string(body), "%PDF") {
			t.Errorf("the LOA's download by the %s = %d", who, res.StatusCode)
		}
	}
	admin.get(path+"/sign").want(t, 403, "")
	pm.get(path+"/sign").want(t, 403, "")

	signer.get(path+"/sign").want(t, 200, "").contains(t, `name="sha256" value="`+o.Order.LOASHA256+`"`, `id="sig-pad"`,
		`value="typed" id="kind-typed" checked`, "Operador actual: Axtel", "&#43;52 55 7000 0100", `href="`+loa+`"`)
	signer.post(path+"/sign", url.Values{"kind": {"typed"}, "sha256": {o.Order.LOASHA256}}).want(t, 422, "").
		contains(t, "Escriba su nombre completo.", "Marque que revisó los números")
	signer.post(path+"/sign", url.Values{"kind": {"drawn"}, "name": {"Fernanda Firmante"}, "agree": {"yes"}, "sha256": {o.Order.LOASHA256},
		"image": {"data:image/png;base64,bm8gZXMgdW4gcG5n"}}).want(t, 422, "").contains(t, "Dibuje su firma", `value="Fernanda Firmante"`)
	signer.post(path+"/sign", url.Values{"kind": {"typed"}, "name": {"Fernanda Firmante"}, "agree": {"yes"}, "sha256": {"0000"}}).
		want(t, 409, "").contains(t, "La LOA cambió")
	if got, _ := w.porting.Get(w.staffCtx(), o.Order.ID); got.Order.State != porting.StateAwaitingSignature {
		t.Fatalf("refused signatures moved the order to %s", got.Order.State)
	}
	signer.post(path+"/sign", url.Values{"kind": {"typed"}, "name": {"Fernanda Firmante"}, "agree": {"yes"},
		"sha256": {o.Order.LOASHA256}}).want(t, 303, path)
	signer.get(path).want(t, 200, "").contains(t, "la LOA quedó firmada", `id="order-signature"`, "Fernanda Firmante", "127.0.0.1",
		o.Order.LOASHA256, `id="order-signed-link"`).notContains(t, `id="order-sign"`)
	signer.get(path+"/sign").want(t, 303, path)
	got, err := w.porting.Get(w.staffCtx(), o.Order.ID)
	must(t, err)
	if got.Order.State != porting.StateSigned || got.Order.Signature == nil || got.Order.Signature.Kind != porting.SignatureTyped ||
		got.Order.Signature.UserAgent == "" {
		t.Fatalf("signed order = %s, signature %+v", got.Order.State, got.Order.Signature)
	}
	// Without a carrier gateway the order cannot be submitted, and the
	// page says why.
	pm.get(path).want(t, 200, "").contains(t, `id="act-submit-submit"`, "disabled", "No hay una pasarela de operador")
}

// TestPortOrderEdit changes an order's numbers: a number taken off is
// given up, a new one comes in porting; an order awaiting its signature
// goes back to draft; bad input changes nothing.
func TestPortOrderEdit(t *testing.T) {
	w := newNumbersWorld(t)
	o := w.order(t, w.a, w.aSigner, "+52 55 7000 0100", "+52 55 7000 0101")
	path := "/port-orders/" + o.ID
	pm := w.signedIn(w.pm.Email)
	pm.get(path+"/edit").want(t, 200, "").contains(t, `id="edit-resign"`, "&#43;525570000101, Telmex, 123")
	form := w.orderForm("+52 55 7000 0100, Telmex\n+52 55 7000 0100, Telmex")
	pm.post(path+"/edit", form).want(t, 422, "").contains(t, "Renglón 2: &#43;525570000100 ya está en la orden.")
	if v, _ := w.porting.Get(w.staffCtx(), o.ID); v.Order.Version != o.Version || len(v.Lines) != 2 {
		t.Fatalf("refused edit changed the order: version %d, %d lines", v.Order.Version, len(v.Lines))
	}
	pm.post(path+"/edit", w.orderForm("+52 55 7000 0100, Telmex\n+52 55 7000 0105, Axtel")).want(t, 303, path)
	v, err := w.porting.Get(w.staffCtx(), o.ID)
	must(t, err)
	if v.Order.State != porting.StateDraft || len(v.Lines) != 2 || v.Lines[1].E164 != "+525570000105" || v.Order.SiteID != w.aSite {
		t.Errorf("edited order = %s, lines %+v", v.Order.State, v.Lines)
	}
	if n, _, err := w.numbers.List(w.staffCtx(), numbering.Filter{Query: "+525570000101"}); err != nil || len(n) != 1 ||
		n[0].State != numbering.StateReleased {
		t.Errorf("number taken off the order = %+v, %v; want released", n, err)
	}
}

// orderRoutesOf lists every route that names a port order, for the order
// at path.
func orderRoutesOf(path string, o *porting.Order) []deskRoute {
	act := func(action string, more ...string) deskRoute {
		f := url.Values{"action": {action}}
		for i := 0; i+1 < len(more); i += 2 {
			f.Set(more[i], more[i+1])
		}
		return deskRoute{"POST", path + "/act", f, false}
	}
	sign := url.Values{"kind": {"typed"}, "name": {"Intruso"}, "agree": {"yes"}, "sha256": {o.LOASHA256}}
	return []deskRoute{
		{"GET", path, nil, false},
		{"GET", path + "/edit", nil, false},
		{"POST", path + "/edit", url.Values{"lines": {"+52 55 9000 0100, Intruso"}, "accountName": {"Intruso"}}, false},
		act("send"), act("submit"), act("publish"), act("confirm_assigned"), act("complete"), act("cancel", "reason", "Intruso"),
		{"GET", path + "/sign", nil, false},
		{"POST", path + "/sign", sign, false},
		{"POST", path + "/documents", url.Values{"kind": {"csr"}}, true},
	}
}

// TestPortOrderTenancy walks every route of an order as every customer
// role of customer A against customer B's order awaiting its signature:
// each answers 404 and nothing of B's changes, and A's lists show none
// of it. Then A's own order: what only the project manager does is 403
// to the customer, and signing is the named signer's only.
func TestPortOrderTenancy(t *testing.T) {
	w := newNumbersWorld(t)
	bOrder := w.order(t, w.b, w.bSigner, "+52 81 9000 0100")
	aOrder := w.order(t, w.a, w.aSigner, "+52 55 9000 0100")
	customers := map[string]*client{
		"A admin":     w.signedIn(w.a.admin.Email),
		"A user":      w.signedIn(w.a.user.Email),
		"A technical": w.signedIn(w.member(t, identity.RoleTechnical, identity.AccessFull)),
		"A signer":    w.signedIn(w.aSigner.Email),
	}
	for who, c := range customers {
		for _, rt := range orderRoutesOf("/port-orders/"+bOrder.ID, bOrder) {
			t.Run(who+" "+rt.method+" "+rt.path+" "+rt.form.Get("action"), func(t *testing.T) {
				if r := c.call(rt); r.status != http.StatusNotFound {
					t.Errorf("%s %s %v as %s = %d, want 404\n%s", rt.method, rt.path, rt.form, who, r.status, r.body)
				}
			})
		}
		for _, path := range []string{"/port-orders", "/port-orders?customer=" + w.b.customer.ID, "/"} {
			if r := c.get(path); r.status != 200 || strings.Contains(r.body, bOrder.Folio) {
				t.Errorf("%s GET %s = %d or shows B's order", who, path, r.status)
			}
		}
		c.get("/port-orders/new").want(t, 403, "")
		c.post("/port-orders/new?customer="+w.a.customer.ID, w.orderForm("+52 55 9000 0200, Telmex")).want(t, 403, "")
	}
	v, err := w.porting.Get(w.staffCtx(), bOrder.ID)
	must(t, err)
	if v.Order.Version != bOrder.Version || v.Order.State != porting.StateAwaitingSignature || len(v.Documents) != 1 {
		t.Errorf("B's order changed: version %d, state %s, %d documents", v.Order.Version, v.Order.State, len(v.Documents))
	}

	aPath := "/port-orders/" + aOrder.ID
	admin := customers["A admin"]
	for _, rt := range orderRoutesOf(aPath, aOrder) {
		if rt.method == "GET" && rt.path == aPath || rt.path == aPath+"/documents" {
			continue
		}
		t.Run("A admin on A's order "+rt.method+" "+rt.path+" "+rt.form.Get("action"), func(t *testing.T) {
			if r := admin.call(rt); r.status != http.StatusForbidden {
				t.Errorf("%s %s %v = %d, want 403\n%s", rt.method, rt.path, rt.form, r.status, r.body)
			}
		})
	}
	customers["A user"].uploadTo(aPath+"/documents", map[string]string{"kind": "csr"}, "csr.pdf", doctest.PDF("x")).want(t, 403, "")
	if v, _ := w.porting.Get(w.staffCtx(), aOrder.ID); v.Order.Version != aOrder.Version || v.Order.State != porting.StateAwaitingSignature {
		t.Errorf("A's order changed by refused changes: version %d, state %s", v.Order.Version, v.Order.State)
	}
}

// TestNumbersAndPortingInEveryLanguage renders the pages of numbers and
// port orders in the three languages, forms refused included, and looks
// for keys left untranslated.
func TestNumbersAndPortingInEveryLanguage(t *testing.T) {
	w := newNumbersWorld(t)
	o := w.order(t, w.a, w.aSigner, "+52 55 9000 0100")
	pm := w.signedIn(w.pm.Email)
	admin := w.signedIn(w.a.admin.Email)
	signer := w.signedIn(w.aSigner.Email)
	r := pm.uploadTo("/numbers/import?customer="+w.a.customer.ID, nil, "n.csv", []byte("numero;estado\n+52 55 6000 0100;x\n"))
	imp := r.location
	if _, err := w.runner.RunDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	n, order := "/numbers/"+w.aNumbers[0].ID, "/port-orders/"+o.ID
	a := w.a.customer.ID
	pages := []langPage{
		{pm, "GET", "/numbers", nil},
		{pm, "GET", "/numbers?state=nope", nil},
		{pm, "GET", n, nil},
		{pm, "POST", n + "/act", url.Values{"event": {"assign"}, "assigneeKind": {"user"}}},
		{pm, "POST", n + "/details", url.Values{"cnam": {"DEMASIADO LARGO PARA CNAM"}}},
		{pm, "GET", "/numbers/new?customer=" + a, nil},
		{pm, "POST", "/numbers/new", url.Values{"from": {"1"}}},
		{pm, "GET", "/numbers/import?customer=" + a, nil},
		{pm, "GET", imp, nil},
		{pm, "GET", "/port-orders", nil},
		{pm, "GET", "/port-orders/new", nil},
		{pm, "GET", "/port-orders/new?customer=" + a, nil},
		{pm, "POST", "/port-orders/new?customer=" + a, url.Values{"lines": {"1, x\n+52 55 9000 0100"}}},
		{pm, "GET", order, nil},
		{pm, "POST", order + "/act", url.Values{"action": {"cancel"}}},
		{pm, "GET", order + "/edit", nil},
		{admin, "GET", "/numbers", nil},
		{admin, "GET", "/port-orders", nil},
		{admin, "GET", order, nil},
		{signer, "GET", order + "/sign", nil},
		{signer, "POST", order + "/sign", url.Values{"kind": {"typed"}, "sha256": {o.LOASHA256}}},
	}
	checkEveryLanguage(t, []*client{pm, admin, signer}, pages)
}
