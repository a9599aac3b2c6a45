package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/enlace-portal/enlace/internal/identity"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

const usage = `Usage: enlace <command> [flags]

Commands:
  serve                 run the portal (web UI, APIs, background jobs)
  migrate               apply pending database migrations and exit
  demo                  run with demo data in a fresh temporary directory
  user create-admin     create a staff administrator with a temporary password
  version               print the version

Run "enlace <command> -h" for the flags of a command. Every flag can also be
set with its ENLACE_* environment variable; a flag wins over its variable.
`

// usageError is a command line that names no command or bad flags.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

// run executes the command named by args, with getenv standing in for the
// environment so that tests can pass their own.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{errors.New("no command given")}
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve", "migrate", "demo":
		m, err := setUp(cmd, rest, getenv, stderr, nil)
		if m == nil {
			return err
		}
		switch cmd {
		case "serve":
			return serve(m)
		case "migrate":
			return migrate(m)
		}
		return runDemo(m, stdout)
	case "user":
		if len(rest) == 0 || rest[0] != "create-admin" {
			fmt.Fprint(stderr, usage)
			return usageError{errors.New(`"user" wants the subcommand "create-admin"`)}
		}
		return createAdmin(rest[1:], getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, versionString())
		return nil
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return usageError{fmt.Errorf("unknown command %q", cmd)}
	}
}

// setUp parses the configuration from the flags of cmd (plus those extra
// registers) and the environment, and sets up logging. A nil Main with a
// nil error means the user asked for -h.
func setUp(cmd string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (*Main, error) {
	fs := flag.NewFlagSet("enlace "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if extra != nil {
		extra(fs)
	}
	cfg, err := ParseConfig(fs, args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return nil, nil
	} else if err != nil {
		return nil, usageError{err}
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	// Packages that log without a logger of their own use the default.
	slog.SetDefault(logger)
	return NewMain(cfg, logger), nil
}

// migrate applies the pending migrations, for deployments that migrate in
// a release step before starting the new version.
func migrate(m *Main) error {
	defer m.Close()
	return m.Open(context.Background())
}

// createAdmin creates a staff administrator and prints the temporary
// password they must change when they first sign in.
func createAdmin(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var in identity.NewStaffUser
	m, err := setUp("user create-admin", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&in.Email, "email", "", "e-mail address of the administrator (required)")
		fs.StringVar(&in.FirstName, "first-name", "", "first name (required)")
		fs.StringVar(&in.LastName, "last-name", "", "last name (required)")
		fs.StringVar(&in.Locale, "locale", "es-MX", "language: es-MX, en or de")
	})
	if m == nil {
		return err
	}
	if in.Email == "" || in.FirstName == "" || in.LastName == "" {
		return usageError{errors.New("user create-admin: --email, --first-name and --last-name are required")}
	}
	defer m.Close()
	ctx := context.Background()
	if err := m.Open(ctx); err != nil {
		return err
	}
	in.Role = identity.StaffAdmin
	u, password, err := m.Identity.CreateStaffUser(ctx, in)
	if err != nil {
		return fmt.Errorf("create administrator: %w", err)
	}
	fmt.Fprintf(stdout, "Administrator %s created.\nTemporary password: %s\nIt must be changed at the first sign-in.\n",
		u.Email, password)
	return nil
}

// versionString names the version and, when the binary was built from a
// Git checkout, the commit.
func versionString() string {
	s := "enlace " + version
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return s
	}
	var rev, modified string
	for _, kv := range info.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			if kv.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev != "" {
		s += " (" + rev[:min(12, len(rev))] + modified + ")"
	}
	return strings.TrimSpace(s + " " + info.GoVersion)
}
