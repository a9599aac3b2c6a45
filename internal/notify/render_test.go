package notify_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/notify"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// sampleData is the data each purpose is rendered with in the golden files,
// with characters that must survive (ñ, ü, ß, €, <, &).
var sampleData = map[string]map[string]any{
	notify.PurposeLoginCode:     {"Name": "Begoña", "Code": "482913"},
	notify.PurposePasswordReset: {"Name": "Jürgen Weiß", "URL": "https://portal.example.mx/reset/abc?x=1&y=2"},
	notify.PurposeAccessRequestReceived: {"Name": "Ana López", "RequesterName": "Luis <Peña>",
		"RequesterEmail": "luis@example.mx", "CustomerName": "Cafés Peñón & Hijos", "URL": "https://portal.example.mx/access-requests"},
	notify.PurposeAccessRequestApproved: {"Name": "Luis Peña", "CustomerName": "Cafés Peñón & Hijos",
		"Email": "luis@example.mx", "Password": "Xk7-pq9-Tz", "URL": "https://portal.example.mx/login"},
	notify.PurposeAccessRequestRejected: {"Name": "Luis Peña", "CustomerName": "Cafés Peñón & Hijos", "Reason": "No trabaja en el área de compras (€)."},
	notify.PurposeWelcomeUser: {"Name": "Straße Müller", "CustomerName": "Cafés Peñón & Hijos",
		"Email": "sm@example.de", "Password": "Xk7-pq9-Tz", "URL": "https://portal.example.mx/login"},
	notify.PurposePasswordChanged: {"Name": "Begoña", "URL": "https://portal.example.mx/forgot"},
	notify.PurposeRequestReceived: {"Name": "Begoña", "Folio": "REQ-2026-000042", "Subject": "Sin Internet en Peñón & Hijos",
		"URL": "https://portal.example.mx/requests/r1"},
	notify.PurposeRequestPhase: {"Name": "Begoña", "Folio": "REQ-2026-000042", "Subject": "Sin Internet en Peñón & Hijos",
		"Phase": "closed", "Reason": "", "Resolution": "Se cambió el módem <ONT>.", "Survey": "yes", "URL": "https://portal.example.mx/requests/r1"},
	notify.PurposeRequestAssigned: {"Name": "Jürgen", "Folio": "REQ-2026-000042", "Subject": "Sin Internet en Peñón & Hijos",
		"Priority": "high", "Customer": "Cafés Peñón & Hijos", "URL": "https://portal.example.mx/requests/r1"},
	notify.PurposeRequestComment: {"Name": "Begoña", "Folio": "REQ-2026-000042", "Subject": "Sin Internet en Peñón & Hijos",
		"Author": "Jürgen Weiß", "Body": "¿Puede reiniciar el equipo <ONT> & confirmar?", "URL": "https://portal.example.mx/requests/r1"},
	notify.PurposeRequestSLA: {"Name": "Jürgen", "Folio": "REQ-2026-000042", "Subject": "Sin Internet en Peñón & Hijos",
		"Target": "resolution", "Kind": "breach", "Due": "2026-11-23 13:00", "URL": "https://portal.example.mx/requests/r1"},
}

func mustRenderer(t *testing.T) *notify.Renderer {
	t.Helper()
	r, err := notify.NewRenderer(i18n.MustLoad())
	if err != nil {
		t.Fatalf("NewRenderer() = %v", err)
	}
	return r
}

// TestEmailGolden renders every purpose in every language and compares it
// with testdata/<purpose>.<lang>.golden; run with -update after changing a
// template or a text, and read the diff.
func TestEmailGolden(t *testing.T) {
	r := mustRenderer(t)
	for purpose, data := range sampleData {
		for _, lang := range []string{"es-MX", "en", "de"} {
			t.Run(purpose+"/"+lang, func(t *testing.T) {
				m, err := r.EmailMessage(lang, purpose, "to@example.mx", data)
				if err != nil {
					t.Fatalf("EmailMessage(%s, %s) = %v", lang, purpose, err)
				}
				got := "Subject: " + m.Subject + "\n\n" + m.BodyText + "\n----\n" + m.BodyHTML
				for _, leak := range []string{"notify.", "<no value>", "{{"} {
					if strings.Contains(got, leak) {
						t.Errorf("EmailMessage(%s, %s) contains %q:\n%s", lang, purpose, leak, got)
					}
				}
				compareGolden(t, filepath.Join("testdata", purpose+"."+lang+".golden"), got)
			})
		}
	}
}

func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func TestRenderErrors(t *testing.T) {
	r := mustRenderer(t)
	for _, tt := range []struct {
		name     string
		purpose  string
		data     map[string]any
		whatsapp bool
	}{
		{"unknown purpose", "birthday", map[string]any{}, false},
		{"missing code", notify.PurposeLoginCode, map[string]any{"Name": "Ana"}, false},
		{"empty URL", notify.PurposePasswordReset, map[string]any{"URL": ""}, false},
		{"no whatsapp text", notify.PurposeWelcomeUser, sampleData[notify.PurposeWelcomeUser], true},
	} {
		var err error
		if tt.whatsapp {
			_, err = r.WhatsAppMessage("es-MX", tt.purpose, "+5215512345678", tt.data)
		} else {
			_, err = r.EmailMessage("es-MX", tt.purpose, "a@example.mx", tt.data)
		}
		if err == nil {
			t.Errorf("%s: render = nil error, want one", tt.name)
		}
	}
}

func TestWhatsAppLoginCode(t *testing.T) {
	r := mustRenderer(t)
	for lang, want := range map[string]string{
		"es-MX": "Su código de acceso a Enlace es 482913. Vence en 60 segundos. No lo comparta con nadie.",
		"fr-FR": "Su código de acceso a Enlace es 482913. Vence en 60 segundos. No lo comparta con nadie.",
		"de":    "Ihr Anmeldecode für Enlace lautet 482913. Er ist 60 Sekunden gültig. Geben Sie ihn an niemanden weiter.",
	} {
		m, err := r.WhatsAppMessage(lang, notify.PurposeLoginCode, "+5215512345678", map[string]any{"Code": "482913"})
		if err != nil {
			t.Fatal(err)
		}
		got := notify.Message{Channel: m.Channel, Recipient: m.Recipient, Purpose: m.Purpose, BodyText: m.BodyText, Code: m.Code}
		wantMsg := notify.Message{Channel: notify.ChannelWhatsApp, Recipient: "+5215512345678",
			Purpose: notify.PurposeLoginCode, BodyText: want, Code: "482913"}
		if diff := cmp.Diff(wantMsg, got); diff != "" {
			t.Errorf("WhatsAppMessage(%s) (-want +got):\n%s", lang, diff)
		}
	}
}
