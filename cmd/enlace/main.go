// Command enlace runs the Enlace customer self-service portal: the web UI,
// the JSON APIs and the background jobs, in one process.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/api"
	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/blob"
	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/importer"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/licensing"
	"github.com/enlace-portal/enlace/internal/mail"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/ops"
	"github.com/enlace-portal/enlace/internal/ordering"
	"github.com/enlace-portal/enlace/internal/porting"
	"github.com/enlace-portal/enlace/internal/reach"
	"github.com/enlace-portal/enlace/internal/report"
	"github.com/enlace-portal/enlace/internal/servicedesk"
	"github.com/enlace-portal/enlace/internal/sqlstore"
	"github.com/enlace-portal/enlace/internal/tmf"
	"github.com/enlace-portal/enlace/internal/web"
	"github.com/enlace-portal/enlace/internal/whatsapp"
)

// ShutdownTimeout bounds how long Close waits for requests in flight; it
// stays below the 30 seconds orchestrators usually grant before SIGKILL.
const ShutdownTimeout = 20 * time.Second

func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "enlace:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// Main is the program: the store, the services and the HTTP server, built
// from a Config. Tests run the real thing on 127.0.0.1:0 through it.
type Main struct {
	Config Config
	Logger *slog.Logger
	Clock  enlace.Clock

	// Demo marks a demonstration: the UI says so and links the outbox.
	Demo bool
	// HoldJobs makes Run serve without running background jobs until
	// StartJobs: the demo replays its history first, and jobs judging
	// leases by a clock that leaps forward would take each other's work.
	HoldJobs bool
	// Senders deliver outbox messages by channel; nil means as configured.
	Senders map[string]notify.Sender

	// Set by Open.
	Store     *sqlstore.Store
	Catalog   *i18n.Catalog
	Identity  *identity.Service
	Notify    *notify.Service
	Audit     *audit.Service
	Customers *customer.Service
	Contacts  *contact.Service
	Inventory *inventory.Manager
	Importer  *importer.Service
	Documents *document.Service
	Projects  *activation.Service
	Ordering  *ordering.Service
	Requests  *servicedesk.Service
	Numbers   *numbering.Service
	Licences  *licensing.Service
	Porting   *porting.Service
	Reach     *reach.Service
	// Carrier is the carrier gateway port orders go to; nil when none is
	// configured (the demo sets up a fake one before Open).
	Carrier porting.Carrier
	// TicketHubs delivers TMF621 events to hub subscribers.
	TicketHubs *tmf.TroubleTicketHubs
	Metrics    *ops.Metrics

	// Set by Run.
	Runner   *jobs.Runner
	ln       net.Listener
	server   *http.Server
	stopJobs context.CancelFunc
	jobsDone chan struct{}
}

// NewMain returns a Main for cfg that logs to logger.
func NewMain(cfg Config, logger *slog.Logger) *Main {
	return &Main{Config: cfg, Logger: logger, Clock: enlace.SystemClock{}}
}

// Open connects to the database, applies pending migrations and builds
// the services; it is all that the commands which serve nothing need.
func (m *Main) Open(ctx context.Context) error {
	if !m.Config.IsPostgres() {
		// SQLite creates the file but not the directory it sits in.
		if err := os.MkdirAll(m.Config.DataDir, 0o750); err != nil {
			return fmt.Errorf("create data directory: %w", err)
		}
	}
	store, err := sqlstore.Open(ctx, m.Config.DatabaseURL, m.Clock)
	if err != nil {
		return err
	}
	m.Store = store
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	if m.Catalog, err = i18n.Load(); err != nil {
		return fmt.Errorf("load messages: %w", err)
	}
	renderer, err := notify.NewRenderer(m.Catalog)
	if err != nil {
		return fmt.Errorf("load message templates: %w", err)
	}
	idCfg := identity.DefaultConfig()
	idCfg.BaseURL = m.BaseURL()
	m.Identity = identity.NewService(store, m.Clock, renderer, idCfg)
	m.Notify = notify.NewService(store)
	m.Audit = audit.NewService(store)
	m.Customers = customer.NewService(store)
	m.Contacts = contact.NewService(store, store)
	m.Inventory = inventory.NewManager(store, m.Clock)
	m.Importer = importer.NewService(store, m.Inventory, m.Clock)
	if m.Documents, err = m.documents(ctx); err != nil {
		return err
	}
	catalog := activation.NewCatalog(store)
	if err := catalog.SyncShipped(ctx); err != nil {
		return fmt.Errorf("install runbooks: %w", err)
	}
	m.Projects = activation.NewService(store, catalog, renderer, m.Clock, activation.Config{BaseURL: m.BaseURL()})
	m.Ordering = ordering.NewService(ordering.Deps{Store: store, Projects: m.Projects, Customers: m.Customers,
		Inventory: m.Inventory, Renderer: tmf.EventRenderer{Catalog: m.Catalog, BaseURL: m.BaseURL()}, Clock: m.Clock, Logger: m.Logger})
	m.Projects.SetFiles(m.Documents)
	m.Requests = servicedesk.NewService(store, m.Projects, renderer, m.Clock,
		servicedesk.Config{BaseURL: m.BaseURL(), Location: m.Projects.Location()})
	m.Requests.SetFiles(m.Documents)
	m.Numbers = numbering.NewService(store, m.Clock)
	m.Licences = licensing.NewService(store, m.Clock)
	m.Numbers.SetLicences(m.Licences)
	if m.Carrier == nil && m.Config.Carrier.URL != "" {
		m.Carrier = carrier.New(carrier.Config{BaseURL: m.Config.Carrier.URL, Token: m.Config.Carrier.Token})
	}
	m.Porting = porting.NewService(store, m.Carrier, m.Projects, m.loaWriter(), renderer, m.Clock,
		porting.Config{BaseURL: m.BaseURL(), Location: m.Projects.Location()})
	m.Porting.SetFiles(m.Documents)
	m.Porting.SetProjects(m.Projects)
	m.Reach = reach.NewService(store, m.Projects, m.Clock)
	m.TicketHubs = tmf.NewTroubleTicketHubs(store, m.Requests, m.BaseURL(), m.Clock)
	m.Requests.SetWatcher(m.TicketHubs)
	m.Metrics = ops.NewMetrics(store, m.Logger)
	return nil
}

// loaWriter writes port orders' letters of authorization.
func (m *Main) loaWriter() report.LOAWriter {
	return report.LOAWriter{Catalog: m.Catalog, ProviderName: m.Config.ProviderName, Location: m.Projects.Location()}
}

// documents builds the document service on the configured blob store; an
// S3 bucket that cannot be reached stops the start, as a database would.
func (m *Main) documents(ctx context.Context) (*document.Service, error) {
	var blobs document.BlobStore
	switch m.Config.Blob.Store {
	case "s3":
		s3, err := blob.NewS3(m.Config.Blob.S3)
		if err != nil {
			return nil, err
		}
		if err := s3.Check(ctx); err != nil {
			return nil, err
		}
		blobs = s3
	default:
		folder, err := blob.NewFolder(m.Config.BlobDir())
		if err != nil {
			return nil, err
		}
		blobs = folder
	}
	return document.NewService(m.Store, blobs, document.Config{MaxBytes: m.Config.DocumentMaxBytes}), nil
}

// Run listens on Config.Addr, opens everything, and starts serving HTTP
// and running jobs in the background. It returns once Enlace serves;
// Close stops it.
func (m *Main) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// Listening first lets BaseURL name the port chosen for 127.0.0.1:0.
	m.ln = ln
	if err := m.Open(ctx); err != nil {
		return err
	}

	senders, err := m.senders()
	if err != nil {
		return err
	}
	m.Runner = jobs.NewRunner(m.Store, m.Clock, m.Logger)
	m.Runner.Workers = m.Config.Workers
	notify.NewDeliverer(m.Store, senders, m.Logger).Register(m.Runner)
	m.Importer.Register(m.Runner)
	m.Documents.Register(m.Runner)
	m.Projects.Register(m.Runner)
	m.Ordering.Register(m.Runner)
	m.Requests.Register(m.Runner)
	m.Numbers.Register(m.Runner)
	m.Porting.Register(m.Runner)
	m.Reach.Register(m.Runner)
	m.TicketHubs.Register(m.Runner)
	m.Runner.Sweep("identity", m.Identity.Sweep)
	if !m.HoldJobs {
		m.StartJobs(ctx)
	}

	m.server = &http.Server{
		Handler:           m.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := m.server.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("http server stopped", "err", err)
		}
	}()
	m.Logger.Info("enlace serving", "addr", ln.Addr().String(), "url", m.BaseURL(),
		"database", m.Store.Dialect(), "workers", m.Config.Workers)
	return nil
}

// senders returns who delivers each channel: SMTP and the WhatsApp Cloud
// API when configured; otherwise messages stay in the outbox, readable by
// staff administrators, and the log says so once.
func (m *Main) senders() (map[string]notify.Sender, error) {
	if m.Senders != nil {
		return m.Senders, nil
	}
	senders := map[string]notify.Sender{notify.ChannelEmail: notify.OutboxOnly{}, notify.ChannelWhatsApp: notify.OutboxOnly{}}
	if c := m.Config.SMTP; c.Host != "" {
		s, err := mail.NewSender(mail.Config{Host: c.Host, Port: c.Port, Username: c.Username, Password: c.Password, From: c.From, TLS: c.TLS})
		if err != nil {
			return nil, fmt.Errorf("smtp: %w", err)
		}
		senders[notify.ChannelEmail] = s
	} else {
		m.Logger.Warn("no SMTP server configured (ENLACE_SMTP_HOST): e-mail stays in the outbox")
	}
	if c := m.Config.WhatsApp; c.Token != "" {
		s, err := whatsapp.NewSender(whatsapp.Config{BaseURL: c.BaseURL, PhoneNumberID: c.PhoneNumberID, Token: c.Token, Template: c.Template})
		if err != nil {
			return nil, fmt.Errorf("whatsapp: %w", err)
		}
		senders[notify.ChannelWhatsApp] = s
	} else {
		m.Logger.Warn("no WhatsApp token configured (ENLACE_WHATSAPP_TOKEN): WhatsApp messages stay in the outbox")
	}
	return senders, nil
}

// handler is the root of every request: the operations endpoints and the
// application's routes on one mux, behind the shared middleware.
func (m *Main) handler() http.Handler {
	mux := http.NewServeMux()
	ops.Mount(mux, m.Store.Ready, m.Metrics, m.Logger)

	ui := web.New(web.Deps{Identity: m.Identity, Notify: m.Notify, Audit: m.Audit, Customers: m.Customers,
		Contacts: m.Contacts, Inventory: m.Inventory, Importer: m.Importer, Documents: m.Documents, Projects: m.Projects, Requests: m.Requests,
		Numbers: m.Numbers, Porting: m.Porting, Reach: m.Reach, Licences: m.Licences,
		Catalog: m.Catalog, Clock: m.Clock, Logger: m.Logger, SecureCookies: m.Config.TLSTerminated, Demo: m.Demo})
	ui.Register(mux)
	v1 := api.New(api.Deps{Identity: m.Identity, Notify: m.Notify, Audit: m.Audit, Customers: m.Customers, Contacts: m.Contacts,
		Inventory: m.Inventory, Documents: m.Documents, Projects: m.Projects, Requests: m.Requests, Catalog: m.Catalog, Logger: m.Logger,
		Numbers: m.Numbers, Porting: m.Porting, Reach: m.Reach, Licences: m.Licences, CarrierSecret: m.Config.Carrier.WebhookSecret,
		MaxBodyBytes: m.Config.MaxBodyBytes})
	v1.Register(mux)
	limits := ui.BodyLimits()
	maps.Copy(limits, v1.BodyLimits())
	tmf.New(tmf.Deps{Identity: m.Identity, Customers: m.Customers, Contacts: m.Contacts, Ordering: m.Ordering,
		Requests: m.Requests, TroubleTicketHubs: m.TicketHubs, ExactFields: m.Config.TMFExactFields, Catalog: m.Catalog,
		Logger: m.Logger, BaseURL: m.Config.BaseURL, MaxBodyBytes: m.Config.MaxBodyBytes}).Register(mux)

	// Browsers must not post to the web UI from other sites; the APIs take
	// bearer tokens only, and the protection lets them through.
	return ops.Wrap(ops.CrossOriginProtection().Handler(mux), ops.Options{
		Logger:        m.Logger,
		Metrics:       m.Metrics,
		TrustProxy:    m.Config.TrustProxy,
		TLSTerminated: m.Config.TLSTerminated,
		MaxBodyBytes:  m.Config.MaxBodyBytes,
		BodyLimits:    limits,
		Routes:        mux,
	})
}

// StartJobs starts running background jobs; Run does unless HoldJobs.
func (m *Main) StartJobs(ctx context.Context) {
	jobsCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	m.stopJobs, m.jobsDone = stop, make(chan struct{})
	go func() {
		defer close(m.jobsDone)
		m.Runner.Run(jobsCtx)
	}()
}

// BaseURL returns the public URL of Enlace: the configured one, or else
// http:// and the address the server listens on.
func (m *Main) BaseURL() string {
	if m.Config.BaseURL != "" {
		return m.Config.BaseURL
	} else if m.ln != nil {
		return "http://" + m.ln.Addr().String()
	}
	return "http://" + m.Config.Addr
}

// Close stops in order: the HTTP server finishes the requests in flight
// (for at most ShutdownTimeout), then the job runner lets its running jobs
// end, then the database closes. It is safe after a failed Run.
func (m *Main) Close() error {
	var errs []error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
		defer cancel()
		if err := m.server.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("shut down http server: %w", err))
		}
	} else if m.ln != nil {
		errs = append(errs, m.ln.Close())
	}
	if m.stopJobs != nil {
		m.stopJobs()
		<-m.jobsDone
	}
	if m.Store != nil {
		if err := m.Store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close database: %w", err))
		}
	}
	return errors.Join(errs...)
}

// serve runs Enlace until SIGINT or SIGTERM.
func serve(m *Main) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	<-ctx.Done()
	stop() // a second signal now kills the process at once
	m.Logger.Info("shutting down")
	return m.Close()
}
