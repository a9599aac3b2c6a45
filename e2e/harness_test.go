// Package e2e drives the real enlace binary in headless Chromium through
// the journeys people take: sign in with an e-mailed code, change a
// temporary password, register and be approved, create a user. They run
// when ENLACE_BROWSER_TESTS=1 (as .ci/run sets it) and a Chromium is found.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// binary is the enlace program built once for all tests.
var binary string

func TestMain(m *testing.M) {
	if os.Getenv("ENLACE_BROWSER_TESTS") == "" {
		fmt.Println("e2e: browser tests skipped; set ENLACE_BROWSER_TESTS=1 to run them")
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "enlace-e2e-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "enlace")
	build := exec.Command("go", "build", "-o", binary, "../cmd/enlace")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Println("e2e: build enlace:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// demo is a running `enlace demo` and what it printed.
type demo struct {
	URL    string
	Logins struct {
		URL   string `json:"url"`
		Users []struct {
			Email, Password, Role, Customer string
		} `json:"users"`
	}
	out *syncBuffer
}

// startDemo runs `enlace demo` on a free port in a fresh folder and waits
// for its logins file.
func startDemo(t *testing.T) *demo {
	t.Helper()
	if binary == "" {
		t.Skip("browser tests are off")
	}
	dir := t.TempDir()
	d := &demo{out: &syncBuffer{}}
	cmd := exec.Command(binary, "demo", "--data", dir, "--addr", "127.0.0.1:0")
	cmd.Stdout = d.out
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start demo: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if t.Failed() {
			t.Logf("demo stdout:\n%s\ndemo stderr:\n%s", d.out.String(), stderr.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(filepath.Join(dir, "demo-logins.json"))
		if err == nil && json.Unmarshal(b, &d.Logins) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo did not start within 10 s; stderr:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	d.URL = d.Logins.URL
	return d
}

// mail waits for the newest message printed for a recipient that matches
// re and returns re's first group.
func (d *demo) mail(t *testing.T, to string, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		messages := strings.Split(d.out.String(), "\n── ")
		for i := len(messages) - 1; i >= 0; i-- {
			if !strings.HasPrefix(messages[i], "email to "+to+" ──") {
				continue
			}
			if m := re.FindStringSubmatch(messages[i]); m != nil {
				return m[1]
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no e-mail to %s matching %s", to, re)
	return ""
}

var (
	// The code stands alone on an indented line of the login-code e-mail;
	// other e-mails (a runbook's note with a link) may hold six digits too.
	codePattern     = regexp.MustCompile(`(?m)^ {4}(\d{6})\s*$`)
	passwordPattern = regexp.MustCompile(`([A-Za-z0-9]{10}Kp7#)`)
)

// browser starts a headless Chromium of its own, so that every person in
// a test has their own cookies.
func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.NoSandbox,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "es-MX"),
		chromedp.WindowSize(390, 844), // a phone: the portal must work there
	)
	if path := os.Getenv("ENLACE_CHROMIUM"); path != "" {
		opts = append(opts, chromedp.ExecPath(path))
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	// The browser starts with the first run on a context and lives as long
	// as that context: start it here, not under a step's short timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// tab is a person's browser on the demo.
type tab struct {
	t   *testing.T
	ctx context.Context
	d   *demo
}

func (d *demo) open(t *testing.T) *tab { return &tab{t: t, ctx: browser(t), d: d} }

// visit loads a path and waits for an element.
func (p *tab) visit(path, waitFor string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.d.URL+path), chromedp.WaitVisible(chromedp.ID(waitFor)))
}

// fill sets form fields by id.
func (p *tab) fill(fields ...string) {
	p.t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		p.do(chromedp.SetValue(chromedp.ID(fields[i]), fields[i+1]))
	}
}

// submit clicks a button, waits for the next page to load and for an
// element on it.
func (p *tab) submit(button, waitFor string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.ID(button)))); err != nil {
		p.fail("click #%s: %v", button, err)
	}
	p.do(chromedp.WaitVisible(chromedp.ID(waitFor)))
}

// text returns the text of an element.
func (p *tab) text(id string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.ID(id)))
	if err != nil {
		p.fail("text of #%s: %v", id, err)
	}
	return s
}

// do runs actions, each step given 10 seconds: a page that never shows
// what a step waits for fails the test then, with a screenshot.
func (p *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.fail("%v", err)
	}
}

// fail stops the test with the page's address and a screenshot for the
// failure's reader.
func (p *tab) fail(format string, args ...any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(p.ctx), 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		name := filepath.Join(os.TempDir(), strings.ReplaceAll(p.t.Name(), "/", "_")+".png")
		os.WriteFile(name, shot, 0o644)
		p.t.Logf("screenshot: %s", name)
	}
	p.t.Fatalf("at %s: %s", loc, fmt.Sprintf(format, args...))
}

// signIn logs in with a password and the code e-mailed for it, and waits
// for waitFor: the home page, or the forced password change.
func (p *tab) signIn(email, password, waitFor string) {
	p.t.Helper()
	p.visit("/login", "login-email")
	p.fill("login-email", email, "login-password", password)
	p.submit("login-submit", "send-email")
	p.submit("send-email", "code")
	p.fill("code", p.d.mail(p.t, email, codePattern))
	p.submit("code-submit", waitFor)
}

// syncBuffer is a bytes.Buffer safe for the process writing and the test
// reading at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
