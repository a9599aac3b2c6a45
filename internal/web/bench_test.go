package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/sqlstore"
	"github.com/enlace-portal/enlace/internal/web"
)

// codeKeeper renders messages and keeps the last login code.
type codeKeeper struct {
	*notify.Renderer
	code string
}

func (k *codeKeeper) EmailMessage(lang, purpose, to string, data map[string]any) (notify.Message, error) {
	if c, ok := data["Code"].(string); ok {
		k.code = c
	}
	return k.Renderer.EmailMessage(lang, purpose, to, data)
}

// BenchmarkHomePage renders the signed-in home page of a customer
// administrator — session lookup, the bell with its unread count, the
// pending access requests widget — through the real handler and store.
func BenchmarkHomePage(b *testing.B) {
	ctx := context.Background()
	clock := enlace.NewFakeClock(time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC))
	store := sqlstore.MustOpenTest(b, clock)
	catalog := i18n.MustLoad()
	r, err := notify.NewRenderer(catalog)
	if err != nil {
		b.Fatal(err)
	}
	keeper := &codeKeeper{Renderer: r}
	id := identity.NewService(store, clock, keeper, identity.Config{Hash: identity.HashParams{Time: 1, Memory: 1024, Threads: 1}})
	h := web.New(web.Deps{Identity: id, Notify: notify.NewService(store), Audit: audit.NewService(store),
		Customers: customer.NewService(store), Inventory: inventory.NewManager(store, clock), Catalog: catalog,
		Clock: clock}).Handler()

	c := customer.Customer{ID: enlace.NewID(), Number: "100", Name: "Acme"}
	ba := customer.BillingAccount{ID: enlace.NewID(), CustomerID: c.ID, Number: "A-1", Name: "Acme"}
	inv := customer.Invoice{ID: enlace.NewID(), CustomerID: c.ID, BillingAccountID: ba.ID, Number: "F-1", IssuedOn: clock.Now()}
	u := &identity.User{ID: enlace.NewID(), Email: "admin@acme.example", FirstName: "Ana", LastName: "Admin", Locale: "es-MX"}
	m := &identity.Membership{ID: enlace.NewID(), UserID: u.ID, CustomerID: c.ID, Role: identity.RoleAdmin, AccessLevel: identity.AccessFull}
	for _, err := range []error{store.CreateCustomer(ctx, &c), store.CreateBillingAccount(ctx, &ba), store.CreateInvoice(ctx, &inv),
		store.CreateUser(ctx, u, identity.HashPassword("Bench#2026x", identity.HashParams{Time: 1, Memory: 1024, Threads: 1}), false, m)} {
		if err != nil {
			b.Fatal(err)
		}
	}
	// Three pending requests, each leaving a notification: a busy bell.
	for i := range 3 {
		if _, err := id.Register(ctx, identity.Registration{CustomerNumber: "100", AccountNumber: "A-1", InvoiceNumber: "F-1",
			Email: fmt.Sprintf("p%d@acme.example", i), FirstName: "P", LastName: "Q"}); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 12 {
		if err := store.RecordEffects(ctx, notify.Notification{UserID: u.ID, CustomerID: c.ID, Kind: "bench",
			TitleKey: "identity.notice.membership_added.title", BodyKey: "identity.notice.membership_added.body",
			Args: map[string]string{"N": fmt.Sprint(i)}}); err != nil {
			b.Fatal(err)
		}
	}
	token, sess, err := id.Login(ctx, u.Email, "Bench#2026x", "bench")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := id.SendCode(ctx, sess, identity.ChannelEmail, "", ""); err != nil {
		b.Fatal(err)
	}
	if _, err := id.VerifyCode(ctx, sess, keeper.code); err != nil {
		b.Fatal(err)
	}

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: "enlace_session", Value: token})
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("GET / = %d", w.Code)
		}
	}
}
