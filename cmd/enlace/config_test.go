package main

import (
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// parse runs ParseConfig on args with env as the whole environment.
func parse(args []string, env map[string]string) (Config, error) {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return ParseConfig(fs, args, func(k string) string { return env[k] })
}

func TestParseConfig(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		want func(*Config) // changes to DefaultConfig with its derived database
	}{
		{name: "defaults", want: func(c *Config) {}},
		{
			name: "environment",
			env: map[string]string{
				"ENLACE_ADDR": "0.0.0.0:9000", "ENLACE_DATA_DIR": "/var/lib/enlace",
				"ENLACE_BASE_URL": "https://portal.example.com/", "ENLACE_LOG_LEVEL": "debug",
				"ENLACE_TRUST_PROXY": "true", "ENLACE_TLS_TERMINATED": "1",
				"ENLACE_MAX_BODY_BYTES": "4096", "ENLACE_WORKERS": "8",
				"ENLACE_SMTP_HOST": "smtp.example.com", "ENLACE_SMTP_PORT": "465",
				"ENLACE_SMTP_USERNAME": "u", "ENLACE_SMTP_PASSWORD": "p",
				"ENLACE_SMTP_FROM": "Enlace <no-reply@example.com>", "ENLACE_SMTP_TLS": "tls",
				"ENLACE_WHATSAPP_TOKEN": "tok", "ENLACE_WHATSAPP_PHONE_NUMBER_ID": "123",
				"ENLACE_WHATSAPP_BASE_URL": "https://graph.example.com", "ENLACE_WHATSAPP_TEMPLATE": "login_code",
			},
			want: func(c *Config) {
				c.Addr, c.DataDir, c.DatabaseURL = "0.0.0.0:9000", "/var/lib/enlace", "/var/lib/enlace/enlace.db"
				c.BaseURL, c.LogLevel = "https://portal.example.com", slog.LevelDebug
				c.TrustProxy, c.TLSTerminated, c.MaxBodyBytes, c.Workers = true, true, 4096, 8
				c.SMTP = SMTPConfig{Host: "smtp.example.com", Port: 465, Username: "u", Password: "p",
					From: "Enlace <no-reply@example.com>", TLS: "tls"}
				c.WhatsApp = WhatsAppConfig{Token: "tok", PhoneNumberID: "123",
					BaseURL: "https://graph.example.com", Template: "login_code"}
			},
		},
		{
			name: "flags win over the environment",
			args: []string{"--addr", "127.0.0.1:7000", "--data", "/srv/flag", "--workers", "2", "--trust-proxy=false"},
			env:  map[string]string{"ENLACE_ADDR": "0.0.0.0:9000", "ENLACE_DATA_DIR": "/srv/env", "ENLACE_WORKERS": "8", "ENLACE_TRUST_PROXY": "true"},
			want: func(c *Config) {
				c.Addr, c.DataDir, c.DatabaseURL, c.Workers = "127.0.0.1:7000", "/srv/flag", "/srv/flag/enlace.db", 2
			},
		},
		{
			name: "PostgreSQL",
			env:  map[string]string{"ENLACE_DATABASE_URL": "postgres://enlace@db:5432/enlace?sslmode=disable"},
			want: func(c *Config) { c.DatabaseURL = "postgres://enlace@db:5432/enlace?sslmode=disable" },
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(tt.args, tt.env)
			if err != nil {
				t.Fatalf("ParseConfig() = %v", err)
			}
			want := DefaultConfig()
			want.DatabaseURL = "data/enlace.db"
			tt.want(&want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseConfig() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{name: "base URL without scheme", env: map[string]string{"ENLACE_BASE_URL": "portal.example.com"}, wantErr: "ENLACE_BASE_URL"},
		{name: "base URL with another scheme", args: []string{"--base-url", "ftp://portal.example.com"}, wantErr: "--base-url"},
		{name: "base URL unparsable", args: []string{"--base-url", "http://[::1"}, wantErr: "ENLACE_BASE_URL"},
		{name: "unknown SMTP TLS mode", env: map[string]string{"ENLACE_SMTP_TLS": "ssl"}, wantErr: "ENLACE_SMTP_TLS"},
		{name: "SMTP credentials in clear", env: map[string]string{"ENLACE_SMTP_HOST": "h", "ENLACE_SMTP_USERNAME": "u",
			"ENLACE_SMTP_FROM": "a@example.com", "ENLACE_SMTP_TLS": "none"}, wantErr: "in clear"},
		{name: "SMTP without sender", env: map[string]string{"ENLACE_SMTP_HOST": "h"}, wantErr: "ENLACE_SMTP_FROM"},
		{name: "address without port", args: []string{"--addr", "localhost"}, wantErr: "ENLACE_ADDR"},
		{name: "address with a word for port", args: []string{"--addr", "localhost:http"}, wantErr: "ENLACE_ADDR"},
		{name: "workers not a number", env: map[string]string{"ENLACE_WORKERS": "many"}, wantErr: "ENLACE_WORKERS"},
		{name: "no workers", args: []string{"--workers", "0"}, wantErr: "ENLACE_WORKERS"},
		{name: "tiny body limit", args: []string{"--max-body-bytes", "10"}, wantErr: "ENLACE_MAX_BODY_BYTES"},
		{name: "unknown log level", env: map[string]string{"ENLACE_LOG_LEVEL": "loud"}, wantErr: "ENLACE_LOG_LEVEL"},
		{name: "PostgreSQL URL without host", env: map[string]string{"ENLACE_DATABASE_URL": "postgres:///enlace"}, wantErr: "ENLACE_DATABASE_URL"},
		{name: "WhatsApp token without sender", env: map[string]string{"ENLACE_WHATSAPP_TOKEN": "t"}, wantErr: "ENLACE_WHATSAPP_PHONE_NUMBER_ID"},
		{name: "unknown flag", args: []string{"--colour"}, wantErr: "colour"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(tt.args, tt.env)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseConfig(%q, %v) = %v, want an error naming %s", tt.args, tt.env, err, tt.wantErr)
			}
		})
	}
}
