package whatsapp_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/notify"
	"github.com/enlace-portal/enlace/internal/whatsapp"
)

// request is what the fake Cloud API received.
type request struct {
	Method, Path, Auth, ContentType string
	Body                            map[string]any
}

// fakeAPI answers every request with status and records it in *got.
func fakeAPI(t *testing.T, status int, got *request) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		*got = request{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), ContentType: r.Header.Get("Content-Type")}
		if err := json.Unmarshal(b, &got.Body); err != nil {
			t.Errorf("request body %q is not JSON: %v", b, err)
		}
		w.WriteHeader(status)
		io.WriteString(w, `{"messages":[{"id":"wamid.X"}]}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSendPayload(t *testing.T) {
	text := map[string]any{
		"messaging_product": "whatsapp", "recipient_type": "individual", "to": "5215512345678", "type": "text",
		"text": map[string]any{"preview_url": false, "body": "Su código de acceso a Enlace es 482913."},
	}
	codeParam := []any{map[string]any{"type": "text", "text": "482913"}}
	tmpl := map[string]any{
		"messaging_product": "whatsapp", "recipient_type": "individual", "to": "5215512345678", "type": "template",
		"template": map[string]any{
			"name": "enlace_code", "language": map[string]any{"code": "es_MX"},
			"components": []any{
				map[string]any{"type": "body", "parameters": codeParam},
				map[string]any{"type": "button", "sub_type": "url", "index": "0", "parameters": codeParam},
			},
		},
	}
	msg := notify.Message{ID: "m1", Channel: notify.ChannelWhatsApp, Recipient: "+5215512345678",
		BodyText: "Su código de acceso a Enlace es 482913.", Code: "482913"}
	noCode := msg
	noCode.Code = ""
	for _, tt := range []struct {
		name     string
		template string
		msg      notify.Message
		want     map[string]any
	}{
		{"no template configured", "", msg, text},
		{"code with template", "enlace_code", msg, tmpl},
		{"no code with template", "enlace_code", noCode, text},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got request
			srv := fakeAPI(t, http.StatusOK, &got)
			s, err := whatsapp.NewSender(whatsapp.Config{BaseURL: srv.URL, PhoneNumberID: "1234567890",
				Token: "tok€n", Template: tt.template, TemplateLanguage: "es_MX"})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Send(context.Background(), tt.msg); err != nil {
				t.Fatalf("Send() = %v", err)
			}
			want := request{Method: "POST", Path: "/v21.0/1234567890/messages", Auth: "Bearer tok€n",
				ContentType: "application/json", Body: tt.want}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	for _, tt := range []struct {
		status    int
		permanent bool
	}{
		{http.StatusBadRequest, true},
		{http.StatusUnauthorized, true},
		{http.StatusTooManyRequests, false},
		{http.StatusInternalServerError, false},
		{http.StatusServiceUnavailable, false},
	} {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			var got request
			srv := fakeAPI(t, tt.status, &got)
			s, err := whatsapp.NewSender(whatsapp.Config{BaseURL: srv.URL, PhoneNumberID: "1", Token: "t"})
			if err != nil {
				t.Fatal(err)
			}
			err = s.Send(context.Background(), notify.Message{ID: "m1", Recipient: "+491701234567", BodyText: "x"})
			if err == nil {
				t.Fatalf("Send() on %d = nil, want an error", tt.status)
			}
			if p := jobs.IsPermanent(err); p != tt.permanent {
				t.Errorf("IsPermanent(Send() on %d = %v) = %v, want %v", tt.status, err, p, tt.permanent)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tt := range []struct {
		name  string
		cfg   whatsapp.Config
		valid bool
	}{
		{"minimal", whatsapp.Config{PhoneNumberID: "1", Token: "t"}, true},
		{"no token", whatsapp.Config{PhoneNumberID: "1"}, false},
		{"no phone number id", whatsapp.Config{Token: "t"}, false},
		{"relative base url", whatsapp.Config{PhoneNumberID: "1", Token: "t", BaseURL: "graph.facebook.com"}, false},
	} {
		if err := tt.cfg.Validate(); (err == nil) != tt.valid {
			t.Errorf("%s: Validate() = %v, want valid %v", tt.name, err, tt.valid)
		}
	}
}
