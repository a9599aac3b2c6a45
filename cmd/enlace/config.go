package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/blob"
	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/ops"
)

// Config is everything an operator can set, read from ENLACE_* variables
// and command-line flags (a flag wins over its variable), checked once at
// start-up and then passed to whoever needs it.
type Config struct {
	// Addr is the host:port the HTTP server listens on.
	Addr string
	// DataDir holds the SQLite database and anything else written to disk.
	DataDir string
	// DatabaseURL is a postgres:// URL, or a SQLite file path; empty means
	// DataDir/enlace.db.
	DatabaseURL string
	// BaseURL is the public address used in links sent by e-mail; empty
	// means http:// and the address the server listens on.
	BaseURL string
	SMTP    SMTPConfig
	// WhatsApp configures second-factor codes and notices by WhatsApp.
	WhatsApp WhatsAppConfig
	LogLevel slog.Level
	// TrustProxy takes the client address from X-Forwarded-For: turn it on
	// only behind a proxy that sets that header.
	TrustProxy bool
	// TLSTerminated says a proxy in front serves HTTPS: responses carry
	// HSTS and cookies are marked Secure.
	TLSTerminated bool
	// TMFExactFields makes a TMF621 field selection return only the
	// attributes named, without id, href and @type: what the old R18
	// conformance kit demands; off, a selection also carries the
	// identifying attributes TMF630 asks for.
	TMFExactFields bool
	// MaxBodyBytes caps the size of request bodies.
	MaxBodyBytes int64
	// Workers bounds how many background jobs run at once in this process.
	Workers int
	// Blob says where shared documents' files are kept.
	Blob BlobConfig
	// DocumentMaxBytes is the largest document file an upload may carry.
	DocumentMaxBytes int64
	// Carrier is the gateway of the carrier that ports numbers in
	// (docs/carrier.md); without a URL, port orders cannot be submitted.
	Carrier CarrierConfig
	// ProviderName is the provider's name as letters of authorization
	// state it.
	ProviderName string
}

// CarrierConfig connects the carrier gateway: its base URL and bearer
// token, and the secret its webhooks are signed with (the two secrets
// come only from the environment).
type CarrierConfig struct {
	URL           string
	Token         string
	WebhookSecret string
}

// BlobConfig chooses the store of document files: a folder (Dir, default
// <data>/blobs) or an S3-compatible bucket.
type BlobConfig struct {
	Store string // folder or s3
	Dir   string
	S3    blob.S3Config
}

// BlobDir is the folder of document files: Blob.Dir, or <data>/blobs.
func (c Config) BlobDir() string {
	if c.Blob.Dir != "" {
		return c.Blob.Dir
	}
	return filepath.Join(c.DataDir, "blobs")
}

// Blob stores.
var blobStores = []string{"folder", "s3"}

// maxDocumentBytes bounds ENLACE_DOCUMENT_MAX_BYTES: an upload is spooled
// to disk and sent to S3 in one PUT, which S3 allows up to 5 GiB.
const maxDocumentBytes = 1 << 30

// SMTPConfig says how to reach the SMTP server; with no Host, messages
// stay in the outbox and nothing is sent.
type SMTPConfig struct {
	Host     string
	Port     int // 0: 25, 587 or 465 by TLS mode
	Username string
	Password string
	From     string
	TLS      string // none, starttls or tls
}

// WhatsAppConfig reaches the WhatsApp Business Cloud API; with no Token,
// WhatsApp is off.
type WhatsAppConfig struct {
	Token         string
	PhoneNumberID string
	BaseURL       string
	Template      string
}

// SMTP TLS modes.
var smtpTLSModes = []string{"none", "starttls", "tls"}

// DefaultConfig returns the settings Enlace runs with when none are given:
// a developer's machine with SQLite under ./data.
func DefaultConfig() Config {
	return Config{
		Addr:         "127.0.0.1:8080",
		DataDir:      "./data",
		SMTP:         SMTPConfig{TLS: "starttls"},
		LogLevel:     slog.LevelInfo,
		MaxBodyBytes: ops.DefaultMaxBodyBytes,
		Workers:      jobs.DefaultWorkers,

		Blob:             BlobConfig{Store: "folder"},
		DocumentMaxBytes: document.DefaultMaxBytes,
		ProviderName:     "Enlace Telecom",
	}
}

// envFlags pairs each environment variable with the flag it sets.
var envFlags = []struct{ env, flag string }{
	{"ENLACE_ADDR", "addr"},
	{"ENLACE_DATA_DIR", "data"},
	{"ENLACE_DATABASE_URL", "database-url"},
	{"ENLACE_BASE_URL", "base-url"},
	{"ENLACE_SMTP_HOST", "smtp-host"},
	{"ENLACE_SMTP_PORT", "smtp-port"},
	{"ENLACE_SMTP_USERNAME", "smtp-username"},
	{"ENLACE_SMTP_FROM", "smtp-from"},
	{"ENLACE_SMTP_TLS", "smtp-tls"},
	{"ENLACE_WHATSAPP_PHONE_NUMBER_ID", "whatsapp-phone-number-id"},
	{"ENLACE_WHATSAPP_BASE_URL", "whatsapp-base-url"},
	{"ENLACE_WHATSAPP_TEMPLATE", "whatsapp-template"},
	{"ENLACE_LOG_LEVEL", "log-level"},
	{"ENLACE_TRUST_PROXY", "trust-proxy"},
	{"ENLACE_TLS_TERMINATED", "tls-terminated"},
	{"ENLACE_TMF_EXACT_FIELDS", "tmf-exact-fields"},
	{"ENLACE_MAX_BODY_BYTES", "max-body-bytes"},
	{"ENLACE_WORKERS", "workers"},
	{"ENLACE_BLOB_STORE", "blob-store"},
	{"ENLACE_BLOB_DIR", "blob-dir"},
	{"ENLACE_S3_ENDPOINT", "s3-endpoint"},
	{"ENLACE_S3_BUCKET", "s3-bucket"},
	{"ENLACE_S3_REGION", "s3-region"},
	{"ENLACE_S3_ACCESS_KEY", "s3-access-key"},
	{"ENLACE_S3_PATH_STYLE", "s3-path-style"},
	{"ENLACE_S3_PREFIX", "s3-prefix"},
	{"ENLACE_DOCUMENT_MAX_BYTES", "document-max-bytes"},
	{"ENLACE_CARRIER_URL", "carrier-url"},
	{"ENLACE_PROVIDER_NAME", "provider-name"},
}

// register defines a flag for every setting but the two secrets, which
// come only from the environment: a flag would show them in ps.
func (c *Config) register(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen on this host:port")
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data directory")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "postgres:// URL or SQLite file (default <data>/enlace.db)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public URL for links in messages (default http://<addr>)")
	fs.StringVar(&c.SMTP.Host, "smtp-host", c.SMTP.Host, "SMTP server; empty sends no e-mail")
	fs.IntVar(&c.SMTP.Port, "smtp-port", c.SMTP.Port, "SMTP port (default by TLS mode: 25, 587, 465)")
	fs.StringVar(&c.SMTP.Username, "smtp-username", c.SMTP.Username, "SMTP user name")
	fs.StringVar(&c.SMTP.From, "smtp-from", c.SMTP.From, `sender address, e.g. "Enlace <no-reply@example.com>"`)
	fs.StringVar(&c.SMTP.TLS, "smtp-tls", c.SMTP.TLS, "SMTP TLS mode: none, starttls or tls")
	fs.StringVar(&c.WhatsApp.PhoneNumberID, "whatsapp-phone-number-id", c.WhatsApp.PhoneNumberID, "WhatsApp sender phone number id")
	fs.StringVar(&c.WhatsApp.BaseURL, "whatsapp-base-url", c.WhatsApp.BaseURL, "WhatsApp Cloud API base URL")
	fs.StringVar(&c.WhatsApp.Template, "whatsapp-template", c.WhatsApp.Template, "WhatsApp template for login codes")
	fs.TextVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", c.TrustProxy, "take the client address from X-Forwarded-For")
	fs.BoolVar(&c.TMFExactFields, "tmf-exact-fields", c.TMFExactFields, "a TMF621 field selection returns only the attributes named")
	fs.BoolVar(&c.TLSTerminated, "tls-terminated", c.TLSTerminated, "a proxy in front serves HTTPS (HSTS, Secure cookies)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", c.MaxBodyBytes, "largest request body accepted")
	fs.IntVar(&c.Workers, "workers", c.Workers, "background jobs run at once")
	fs.StringVar(&c.Blob.Store, "blob-store", c.Blob.Store, "where document files are kept: folder or s3")
	fs.StringVar(&c.Blob.Dir, "blob-dir", c.Blob.Dir, "folder of document files (default <data>/blobs)")
	fs.StringVar(&c.Blob.S3.Endpoint, "s3-endpoint", c.Blob.S3.Endpoint, "S3-compatible service URL, e.g. https://s3.us-east-1.amazonaws.com")
	fs.StringVar(&c.Blob.S3.Bucket, "s3-bucket", c.Blob.S3.Bucket, "S3 bucket of document files")
	fs.StringVar(&c.Blob.S3.Region, "s3-region", c.Blob.S3.Region, "S3 region")
	fs.StringVar(&c.Blob.S3.AccessKey, "s3-access-key", c.Blob.S3.AccessKey, "S3 access key id (the secret: ENLACE_S3_SECRET_KEY)")
	fs.BoolVar(&c.Blob.S3.PathStyle, "s3-path-style", c.Blob.S3.PathStyle, "address the bucket in the path, as MinIO and most self-hosted servers want")
	fs.StringVar(&c.Blob.S3.Prefix, "s3-prefix", c.Blob.S3.Prefix, "prefix of the objects' keys, e.g. documents/")
	fs.Int64Var(&c.DocumentMaxBytes, "document-max-bytes", c.DocumentMaxBytes, "largest document file accepted")
	fs.StringVar(&c.Carrier.URL, "carrier-url", c.Carrier.URL, "carrier gateway URL for number porting (token: ENLACE_CARRIER_TOKEN, webhook secret: ENLACE_CARRIER_WEBHOOK_SECRET)")
	fs.StringVar(&c.ProviderName, "provider-name", c.ProviderName, "the provider's name in letters of authorization")
}

// ParseConfig returns DefaultConfig overridden by the environment (read
// through getenv) and then by the flags in args, as registered on fs, which
// may hold a subcommand's own flags too. The result is validated.
func ParseConfig(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	c.register(fs)
	// Setting the flags from the environment before parsing gives the
	// precedence for free: flags parsed later overwrite these values.
	for _, ef := range envFlags {
		if v := getenv(ef.env); v != "" {
			if err := fs.Set(ef.flag, v); err != nil {
				return Config{}, fmt.Errorf("%s=%q: %w", ef.env, v, err)
			}
		}
	}
	c.SMTP.Password = getenv("ENLACE_SMTP_PASSWORD")
	c.WhatsApp.Token = getenv("ENLACE_WHATSAPP_TOKEN")
	c.Blob.S3.SecretKey = getenv("ENLACE_S3_SECRET_KEY")
	c.Carrier.Token = getenv("ENLACE_CARRIER_TOKEN")
	c.Carrier.WebhookSecret = getenv("ENLACE_CARRIER_WEBHOOK_SECRET")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = filepath.Join(c.DataDir, "enlace.db")
	}
	c.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	return c, c.Validate()
}

// IsPostgres reports whether the database is PostgreSQL rather than SQLite.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// Validate reports the first setting that cannot work, naming its variable.
func (c Config) Validate() error {
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("--addr/ENLACE_ADDR %q: %w", c.Addr, err)
	} else if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("--addr/ENLACE_ADDR %q: port is not a number from 0 to 65535", c.Addr)
	}
	if c.DataDir == "" {
		return fmt.Errorf("--data/ENLACE_DATA_DIR is empty")
	}
	if c.IsPostgres() {
		if u, err := url.Parse(c.DatabaseURL); err != nil || u.Host == "" {
			return fmt.Errorf("--database-url/ENLACE_DATABASE_URL: not a PostgreSQL URL with a host")
		}
	}
	if c.BaseURL != "" {
		if err := checkHTTPURL(c.BaseURL); err != nil {
			return fmt.Errorf("--base-url/ENLACE_BASE_URL %q: %w", c.BaseURL, err)
		}
	}
	if err := c.SMTP.validate(); err != nil {
		return err
	}
	if err := c.WhatsApp.validate(); err != nil {
		return err
	}
	if c.MaxBodyBytes < 1024 {
		return fmt.Errorf("--max-body-bytes/ENLACE_MAX_BODY_BYTES %d: want at least 1024", c.MaxBodyBytes)
	}
	if c.Workers < 1 {
		return fmt.Errorf("--workers/ENLACE_WORKERS %d: want at least 1", c.Workers)
	}
	if c.Carrier.URL != "" {
		if err := (carrier.Config{BaseURL: c.Carrier.URL, Token: c.Carrier.Token}).Validate(); err != nil {
			return fmt.Errorf("--carrier-url/ENLACE_CARRIER_URL, ENLACE_CARRIER_TOKEN: %w", err)
		}
	}
	return c.validateDocuments()
}

func (c Config) validateDocuments() error {
	if c.DocumentMaxBytes < 1024 || c.DocumentMaxBytes > maxDocumentBytes {
		return fmt.Errorf("--document-max-bytes/ENLACE_DOCUMENT_MAX_BYTES %d: want 1024 to %d", c.DocumentMaxBytes, maxDocumentBytes)
	}
	switch c.Blob.Store {
	case "folder":
	case "s3":
		if err := c.Blob.S3.Validate(); err != nil {
			return fmt.Errorf("ENLACE_BLOB_STORE=s3 (ENLACE_S3_ENDPOINT, _BUCKET, _ACCESS_KEY, _SECRET_KEY, _PREFIX): %w", err)
		}
	default:
		return fmt.Errorf("--blob-store/ENLACE_BLOB_STORE %q: want %s", c.Blob.Store, strings.Join(blobStores, " or "))
	}
	return nil
}

func (s SMTPConfig) validate() error {
	switch {
	case !slices.Contains(smtpTLSModes, s.TLS):
		return fmt.Errorf("--smtp-tls/ENLACE_SMTP_TLS %q: want none, starttls or tls", s.TLS)
	case s.Port < 0 || s.Port > 65535:
		return fmt.Errorf("--smtp-port/ENLACE_SMTP_PORT %d: out of range", s.Port)
	case s.Host == "":
		return nil
	case s.Password != "" && s.Username == "":
		return fmt.Errorf("ENLACE_SMTP_PASSWORD is set but --smtp-username/ENLACE_SMTP_USERNAME is not")
	case s.Username != "" && s.TLS == "none":
		return fmt.Errorf("--smtp-username/ENLACE_SMTP_USERNAME with --smtp-tls/ENLACE_SMTP_TLS=none would send the password in clear")
	}
	if _, err := mail.ParseAddress(s.From); err != nil {
		return fmt.Errorf("--smtp-from/ENLACE_SMTP_FROM %q: %w", s.From, err)
	}
	return nil
}

func (w WhatsAppConfig) validate() error {
	if w.BaseURL != "" {
		if err := checkHTTPURL(w.BaseURL); err != nil {
			return fmt.Errorf("--whatsapp-base-url/ENLACE_WHATSAPP_BASE_URL %q: %w", w.BaseURL, err)
		}
	}
	if w.Token != "" && w.PhoneNumberID == "" {
		return fmt.Errorf("ENLACE_WHATSAPP_TOKEN is set but --whatsapp-phone-number-id/ENLACE_WHATSAPP_PHONE_NUMBER_ID is not")
	}
	return nil
}

// checkHTTPURL accepts an absolute http or https URL with a host.
func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an absolute http:// or https:// URL")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("want no query or fragment")
	}
	return nil
}
