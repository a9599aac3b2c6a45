// Package web is the server-rendered user interface of Enlace: sign-in with
// the second factor, password changes and recovery, self-registration, the
// home page, the notification center, users, access requests, the audit log,
// the outbox and the profile. Pages are html/template views parsed once at
// start-up; static files are embedded and served under content-hash names.
package web

import (
	"log/slog"
	"net/http"
	"time"
	_ "time/tzdata" // dates are shown in Mexico City time even where the host has no zone database

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/importer"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/licensing"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/reach"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// Deps are the services and settings the web UI runs with.
type Deps struct {
	Identity  *identity.Service
	Notify    *notify.Service
	Audit     *audit.Service
	Customers *customer.Service
	Contacts  *contact.Service
	Inventory *inventory.Manager
	Importer  *importer.Service
	Documents *document.Service
	Projects  *activation.Service
	Requests  *servicedesk.Service
	Licences  *licensing.Service
	Numbers   *numbering.Service
	Porting   *porting.Service
	Reach     *reach.Service
	Catalog   *i18n.Catalog
	Clock     enlace.Clock
	Logger    *slog.Logger
	// SecureCookies marks cookies Secure; set it whenever clients use HTTPS.
	SecureCookies bool
	// Demo shows a banner saying the installation is a demonstration, and
	// the outbox link where staff administrators read the login codes.
	Demo bool
	// Location is the time zone dates are shown in; nil means
	// America/Mexico_City, where the provider's customers are.
	Location *time.Location
}

// Server serves the web UI.
type Server struct {
	deps   Deps
	views  *views
	static *staticFiles
	log    *slog.Logger
}

// New returns a Server. The templates and static files are embedded, so a
// failure to parse them is a bug of the build, and New panics on it.
func New(d Deps) *Server {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Clock == nil {
		d.Clock = enlace.SystemClock{}
	}
	if d.Location == nil {
		loc, err := time.LoadLocation("America/Mexico_City")
		if err != nil {
			panic(err)
		}
		d.Location = loc
	}
	st, err := loadStatic()
	if err != nil {
		panic(err)
	}
	v, err := parseViews(st)
	if err != nil {
		panic(err)
	}
	return &Server{deps: d, views: v, static: st, log: d.Logger}
}

// Handler returns the web UI's routes on a mux of their own, for tests and
// tools. Unsafe cross-site requests are refused here as well as by the
// program's middleware, so that the forms stay protected however the
// handler is mounted.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Register(mux)
	return ops.CrossOriginProtection().Handler(mux)
}

// Register adds the web UI's routes to the program's mux. Every route
// first learns who is signed in, then states which session stage it needs.
// Registering on the one mux, rather than mounting a mux of our own, keeps
// each request's route pattern visible to the access log and the metrics.
func (s *Server) Register(mux *http.ServeMux) {
	s.routes(router{mux: mux, wrap: s.authenticate})
}

// BodyLimits are the request size limits of the routes that take files,
// by pattern, for the program's body limit (ops.LimitBodyByRoute): every
// other route keeps the small default.
func (s *Server) BodyLimits() map[string]int64 {
	limits := map[string]int64{}
	if s.deps.Importer != nil {
		limits["POST /imports"] = s.uploadLimit()
	}
	if s.deps.Documents != nil {
		limits["POST /documents/new"] = s.documentUploadLimit()
	}
	if s.deps.Projects != nil {
		limits["POST /runbooks"] = runbookUploadLimit()
		if s.deps.Documents != nil {
			limits["POST /projects/{id}/tasks/{taskID}/documents"] = s.documentUploadLimit()
		}
	}
	if s.deps.Requests != nil && s.deps.Documents != nil {
		limits["POST /requests/new"] = s.deskUploadLimit()
		limits["POST /requests/{id}/attachments"] = s.documentUploadLimit()
	}
	if s.deps.Numbers != nil {
		limits["POST /numbers/import"] = numberUploadLimit()
	}
	if s.deps.Porting != nil {
		limits["POST /port-orders/new"] = orderFormLimit
		limits["POST /port-orders/{id}/edit"] = orderFormLimit
		limits["POST /port-orders/{id}/sign"] = signFormLimit
		if s.deps.Documents != nil {
			limits["POST /port-orders/{id}/documents"] = s.documentUploadLimit()
		}
	}
	if s.deps.Licences != nil {
		limits["POST /numbers/licences"] = licenceUploadLimit()
	}
	if s.deps.Reach != nil {
		limits["POST /projects/{id}/reach/lines"] = reachPasteLimit
	}
	return limits
}

// router registers handlers on a mux, each wrapped the same way.
type router struct {
	mux  *http.ServeMux
	wrap func(http.Handler) http.Handler
}

func (r router) Handle(pattern string, h http.Handler) { r.mux.Handle(pattern, r.wrap(h)) }

func (r router) HandleFunc(pattern string, h http.HandlerFunc) { r.Handle(pattern, h) }

func (s *Server) routes(mux router) {
	// Static files need no session: they skip the lookup.
	mux.mux.Handle("GET /static/{name}", s.static)
	mux.HandleFunc("/", s.notFound)
	mux.HandleFunc("GET /{$}", s.active(s.home))
	mux.HandleFunc("POST /switch", s.active(s.switchCustomer))
	mux.HandleFunc("POST /lang", s.setLanguage)
	mux.HandleFunc("GET /help", s.helpCenter)
	mux.HandleFunc("GET /help/{slug}", s.helpEntry)

	mux.HandleFunc("GET /login", s.anonymous(s.loginForm))
	mux.HandleFunc("POST /login", s.anonymous(s.login))
	mux.HandleFunc("GET /login/code", s.secondFactor(s.codeForm))
	mux.HandleFunc("POST /login/code/send", s.secondFactor(s.sendCode))
	mux.HandleFunc("POST /login/code", s.secondFactor(s.verifyCode))
	mux.HandleFunc("GET /password/change", s.passwordStage(s.passwordForm))
	mux.HandleFunc("POST /password/change", s.passwordStage(s.changePassword))
	mux.HandleFunc("GET /logout", s.logoutForm)
	mux.HandleFunc("POST /logout", s.logout)

	mux.HandleFunc("GET /recover", s.anonymous(s.recoverForm))
	mux.HandleFunc("POST /recover", s.anonymous(s.startRecovery))
	mux.HandleFunc("POST /recover/send", s.anonymous(s.sendRecovery))
	mux.HandleFunc("GET /recover/{token}", s.anonymous(s.resetForm))
	mux.HandleFunc("POST /recover/{token}", s.anonymous(s.resetPassword))
	mux.HandleFunc("GET /register", s.anonymous(s.registerForm))
	mux.HandleFunc("POST /register", s.anonymous(s.register))

	mux.HandleFunc("GET /notifications", s.active(s.notifications))
	mux.HandleFunc("GET /notifications/{id}", s.active(s.notification))
	mux.HandleFunc("POST /notifications/read-all", s.active(s.readAllNotifications))

	mux.HandleFunc("GET /users", s.active(s.users))
	mux.HandleFunc("GET /users/new", s.active(s.newUserForm))
	mux.HandleFunc("POST /users/new", s.active(s.createUser))
	mux.HandleFunc("GET /users/{id}", s.active(s.editUserForm))
	mux.HandleFunc("POST /users/{id}", s.active(s.updateUser))
	mux.HandleFunc("GET /staff/new", s.active(s.newStaffForm))
	mux.HandleFunc("POST /staff/new", s.active(s.createStaff))

	mux.HandleFunc("GET /access-requests", s.active(s.accessRequests))
	mux.HandleFunc("GET /access-requests/{id}", s.active(s.accessRequest))
	mux.HandleFunc("POST /access-requests/{id}/approve", s.active(s.approveRequest))
	mux.HandleFunc("POST /access-requests/{id}/reject", s.active(s.rejectRequest))

	mux.HandleFunc("GET /services", s.active(s.services))
	mux.HandleFunc("GET /services/export", s.active(s.exportServices))
	mux.HandleFunc("GET /services/new", s.active(s.newServiceForm))
	mux.HandleFunc("POST /services/new", s.active(s.createService))
	mux.HandleFunc("GET /services/{id}", s.active(s.service))
	mux.HandleFunc("GET /services/{id}/edit", s.active(s.editServiceForm))
	mux.HandleFunc("POST /services/{id}/edit", s.active(s.updateService))
	mux.HandleFunc("POST /services/{id}/status", s.active(s.setServiceStatus))
	mux.HandleFunc("GET /sites", s.active(s.sites))
	mux.HandleFunc("GET /sites/new", s.active(s.newSiteForm))
	mux.HandleFunc("POST /sites/new", s.active(s.createSite))
	mux.HandleFunc("GET /sites/{id}", s.active(s.site))
	mux.HandleFunc("GET /sites/{id}/edit", s.active(s.editSiteForm))
	mux.HandleFunc("POST /sites/{id}/edit", s.active(s.updateSite))
	mux.HandleFunc("POST /sites/{id}/retire", s.active(s.retireSite))
	mux.HandleFunc("GET /imports", s.active(s.importForm))
	mux.HandleFunc("POST /imports", s.active(s.uploadImport))
	mux.HandleFunc("GET /imports/template.csv", s.active(s.importTemplate))
	mux.HandleFunc("GET /imports/{id}", s.active(s.importPreview))
	mux.HandleFunc("GET /imports/{id}/status", s.active(s.importStatus))
	mux.HandleFunc("GET /imports/{id}/errors.csv", s.active(s.importErrors))
	mux.HandleFunc("POST /imports/{id}/apply", s.active(s.applyImport))

	mux.HandleFunc("GET /customers", s.active(s.customers))
	mux.HandleFunc("GET /customers/new", s.active(s.newCustomerForm))
	mux.HandleFunc("POST /customers/new", s.active(s.createCustomer))
	mux.HandleFunc("GET /customers/{id}", s.active(s.customer))
	mux.HandleFunc("GET /customers/{id}/edit", s.active(s.editCustomerForm))
	mux.HandleFunc("POST /customers/{id}/edit", s.active(s.updateCustomer))
	mux.HandleFunc("GET /customers/{id}/accounts/new", s.active(s.newAccountForm))
	mux.HandleFunc("POST /customers/{id}/accounts/new", s.active(s.createAccount))
	mux.HandleFunc("GET /billing-accounts/{id}/edit", s.active(s.editAccountForm))
	mux.HandleFunc("POST /billing-accounts/{id}/edit", s.active(s.updateAccount))
	mux.HandleFunc("GET /account", s.active(s.accountInfo))
	mux.HandleFunc("GET /contacts", s.active(s.contacts))
	mux.HandleFunc("GET /contacts/new", s.active(s.newContactForm))
	mux.HandleFunc("POST /contacts/new", s.active(s.createContact))
	mux.HandleFunc("GET /contacts/{id}", s.active(s.editContactForm))
	mux.HandleFunc("POST /contacts/{id}", s.active(s.updateContact))
	mux.HandleFunc("POST /contacts/{id}/delete", s.active(s.deleteContact))

	mux.HandleFunc("GET /audit", s.active(s.auditLog))
	mux.HandleFunc("GET /outbox", s.active(s.outbox))

	mux.HandleFunc("GET /profile", s.active(s.profile))
	mux.HandleFunc("POST /profile/preferences", s.active(s.savePreferences))
	mux.HandleFunc("POST /profile/totp", s.active(s.beginTOTP))
	mux.HandleFunc("POST /profile/totp/confirm", s.active(s.confirmTOTP))
	mux.HandleFunc("POST /profile/totp/disable", s.active(s.disableTOTP))
	mux.HandleFunc("POST /profile/tokens", s.active(s.createToken))
	mux.HandleFunc("POST /profile/tokens/{id}/revoke", s.active(s.revokeToken))

	s.documentRoutes(mux)
	s.projectRoutes(mux)
	s.reachRoutes(mux)
	s.deskRoutes(mux)
	s.licenceRoutes(mux)
	s.numberRoutes(mux)
	s.portOrderRoutes(mux)
}
