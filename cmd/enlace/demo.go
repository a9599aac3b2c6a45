package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/carrier/fakecarrier"
	"github.com/enlace-portal/enlace/internal/porting"

	"github.com/enlace-portal/enlace/internal/demo"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

// demoLogins names the file in the data folder where the demo writes its
// logins, and by which a folder is known to be a demo's.
const demoLogins = "demo-logins.json"

// runDemo serves Enlace with demo data on a fresh SQLite database in the
// data folder. A folder left by an earlier demo is reset; any other folder
// with files in it is refused, so that a demo never touches real data. It
// sends no e-mail or WhatsApp message: they are printed to stdout and kept
// in the outbox that staff administrators read.
func runDemo(m *Main, stdout io.Writer) error {
	dir := m.Config.DataDir
	if err := resetDemoDir(dir); err != nil {
		return err
	}
	m.Config.DatabaseURL = filepath.Join(dir, "enlace.db")
	printer := demo.TerminalSender{Print: func(format string, args ...any) { fmt.Fprintf(stdout, format, args...) }}
	m.Senders = map[string]notify.Sender{notify.ChannelEmail: printer, notify.ChannelWhatsApp: printer}
	m.Demo = true
	// The demo replays weeks of the service desk before today, on a clock
	// every service shares.
	replay := &enlace.ReplayClock{Base: m.Clock}
	m.Clock, m.HoldJobs = replay, true

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Port orders go to a fake carrier on a local port, unless a real
	// gateway is configured.
	serveCarrier := func() {}
	if m.Config.Carrier.URL == "" {
		var err error
		if serveCarrier, err = m.fakeCarrier(ctx); err != nil {
			return err
		}
	}
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	serveCarrier()
	logins, err := demo.Seed(ctx, m.Store, m.Identity, m.Clock, m.BaseURL(), identity.DefaultHashParams, demo.WithDocuments(m.Documents),
		demo.WithProjects(m.Projects), demo.WithRequests(m.demoRequests(replay), replay), demo.WithPorting(m.Numbers, m.demoPorting(replay)),
		demo.WithReach(m.Reach))
	if err == nil {
		// What fell due during the history (SLA notices, requests that
		// close by themselves) runs now, on today's clock.
		m.StartJobs(ctx)
		err = logins.WriteFile(filepath.Join(dir, demoLogins))
	}
	if err != nil {
		m.Close()
		return fmt.Errorf("load demo data: %w", err)
	}
	printLogins(stdout, logins, dir)
	<-ctx.Done()
	stop()
	return m.Close()
}

// resetDemoDir makes dir an empty folder, removing what an earlier demo
// left there and refusing anything else.
func resetDemoDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o750)
	} else if err != nil {
		return fmt.Errorf("read data folder: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, demoLogins)); err != nil {
		return usageError{fmt.Errorf("the data folder %s holds files that are not a demo's; run the demo with --data and a new folder", dir)}
	}
	for _, name := range []string{"enlace.db", "enlace.db-wal", "enlace.db-shm", demoLogins} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("reset demo folder: %w", err)
		}
	}
	return nil
}

func printLogins(w io.Writer, l *demo.Logins, dir string) {
	fmt.Fprintf(w, "\nEnlace demo: %s\n\nSign in with any of these (password %s); the login code is\n"+
		"printed here and kept in the outbox page of the staff administrator:\n", l.URL, demo.Password)
	for _, u := range l.Users {
		fmt.Fprintf(w, "  %-34s %-14s %s\n", u.Email, u.Role, u.Customer)
	}
	fmt.Fprintf(w, "\nLogins and API tokens: %s\nPress Ctrl+C to stop.\n\n", filepath.Join(dir, demoLogins))
}

// fakeCarrier points the demo's port orders at a fake carrier gateway on
// a local port: the client is set now, for Open to hand the porting
// service, and the gateway starts serving when the returned function is
// called — once Run knows the address its webhooks go to. It answers a
// submitted order two minutes later, so a visitor sees it move.
func (m *Main) fakeCarrier(ctx context.Context) (func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fake carrier: %w", err)
	}
	token, secret := rand.Text(), rand.Text()
	m.Carrier = carrier.New(carrier.Config{BaseURL: "http://" + ln.Addr().String(), Token: token})
	m.Config.Carrier.WebhookSecret = secret
	return func() {
		gw := fakecarrier.New(m.Clock, fakecarrier.Config{Token: token, WebhookURL: m.BaseURL() + "/api/v1/carrier/events",
			WebhookSecret: secret, AnswerAfter: 2 * time.Minute})
		server := &http.Server{Handler: gw, ReadHeaderTimeout: 10 * time.Second}
		go server.Serve(ln)
		go gw.Run(ctx, time.Second)
		context.AfterFunc(ctx, func() { server.Close() })
	}, nil
}

// demoPorting is the porting the demo replays its history through, like
// demoRequests: the real one's, without e-mail.
func (m *Main) demoPorting(clock enlace.Clock) *porting.Service {
	svc := porting.NewService(m.Store, m.Carrier, m.Projects, m.loaWriter(), nil, clock,
		porting.Config{BaseURL: m.BaseURL(), Location: m.Projects.Location()})
	svc.SetFiles(m.Documents)
	svc.SetProjects(m.Projects)
	return svc
}

// demoRequests is the service desk the demo replays its history through:
// the real one's, without e-mail, so that the terminal does not fill with
// weeks of notices nobody was there to read.
func (m *Main) demoRequests(clock enlace.Clock) *servicedesk.Service {
	svc := servicedesk.NewService(m.Store, m.Projects, nil, clock,
		servicedesk.Config{BaseURL: m.BaseURL(), Location: m.Projects.Location()})
	svc.SetFiles(m.Documents)
	return svc
}
