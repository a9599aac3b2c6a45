package activation

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// Catalog is the provider's runbooks: every version stored, the shipped
// ones included, parsed once per process. A version never changes once
// stored, so the cache needs no invalidation across replicas.
type Catalog struct {
	store  Store
	mu     sync.RWMutex
	parsed map[string]*runbook.Template // by key@version
}

// NewCatalog returns a Catalog over store.
func NewCatalog(store Store) *Catalog {
	return &Catalog{store: store, parsed: map[string]*runbook.Template{}}
}

func versionKey(key string, version int) string { return fmt.Sprintf("%s@%d", key, version) }

// Template returns one version of a runbook.
func (c *Catalog) Template(ctx context.Context, key string, version int) (*runbook.Template, error) {
	c.mu.RLock()
	tp := c.parsed[versionKey(key, version)]
	c.mu.RUnlock()
	if tp != nil {
		return tp, nil
	}
	v, err := c.store.RunbookVersion(ctx, key, version)
	if err != nil {
		return nil, err
	}
	tp, err = runbook.Parse([]byte(v.Source))
	if err != nil {
		return nil, fmt.Errorf("stored runbook %s@%d: %w", key, version, err)
	}
	c.mu.Lock()
	c.parsed[versionKey(key, version)] = tp
	c.mu.Unlock()
	return tp, nil
}

// Current returns the newest version of every runbook, by name key.
func (c *Catalog) Current(ctx context.Context) ([]*runbook.Template, error) {
	versions, err := c.store.RunbookVersions(ctx)
	if err != nil {
		return nil, err
	}
	newest := map[string]int{}
	for _, v := range versions {
		newest[v.Key] = max(newest[v.Key], v.Version)
	}
	out := make([]*runbook.Template, 0, len(newest))
	for key, version := range newest {
		tp, err := c.Template(ctx, key, version)
		if err != nil {
			return nil, err
		}
		out = append(out, tp)
	}
	slices.SortFunc(out, func(a, b *runbook.Template) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// Latest returns the newest version of one runbook.
func (c *Catalog) Latest(ctx context.Context, key string) (*runbook.Template, error) {
	all, err := c.Current(ctx)
	if err != nil {
		return nil, err
	}
	for _, tp := range all {
		if tp.Key == key {
			return tp, nil
		}
	}
	return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
}

// Versions returns the stored versions of one runbook, newest first.
func (c *Catalog) Versions(ctx context.Context, key string) ([]RunbookVersion, error) {
	all, err := c.store.RunbookVersions(ctx)
	if err != nil {
		return nil, err
	}
	var out []RunbookVersion
	for _, v := range all {
		if v.Key == key {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b RunbookVersion) int { return b.Version - a.Version })
	return out, nil
}

// Source returns the YAML of a runbook version, what an editor starts from.
func (c *Catalog) Source(ctx context.Context, key string, version int) (string, error) {
	v, err := c.store.RunbookVersion(ctx, key, version)
	if err != nil {
		return "", err
	}
	return v.Source, nil
}

// CanEditRunbooks reports whether the actor may publish runbook versions:
// staff administrators only.
func CanEditRunbooks(a *enlace.Actor) bool { return a != nil && a.StaffRole == "admin" }

// Publish validates a runbook written by a staff administrator and stores
// it as a new version. Its version must follow the newest stored one of
// its key (a new key starts at 1); projects under way keep theirs.
func (c *Catalog) Publish(ctx context.Context, source []byte) (*runbook.Template, error) {
	a := enlace.ActorFrom(ctx)
	if a == nil {
		return nil, enlace.Errorf(enlace.EUNAUTHORIZED, "error.unauthorized")
	}
	if !CanEditRunbooks(a) {
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden")
	}
	tp, err := runbook.Parse(source)
	if err != nil {
		return nil, err
	}
	versions, err := c.Versions(ctx, tp.Key)
	if err != nil {
		return nil, err
	}
	next := 1
	if len(versions) > 0 {
		next = versions[0].Version + 1
	}
	if tp.Version != next {
		return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("version", "runbook.error.next_version", "version", next)})
	}
	v := &RunbookVersion{Key: tp.Key, Version: tp.Version, Source: string(source), CreatedBy: a.UserID}
	if err := c.store.AddRunbookVersion(ctx, v, audit.Record(ctx, "runbook.publish", "runbook", tp.Key, "",
		map[string]string{"version": fmt.Sprint(tp.Version)})); err != nil {
		if enlace.ErrorCode(err) == enlace.ECONFLICT {
			return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("version", "runbook.error.next_version", "version", next+1)})
		}
		return nil, err
	}
	return tp, nil
}

// SyncShipped stores the shipped runbook versions the database does not
// have yet, so that a new release's runbooks appear on upgrade. Several
// replicas starting at once may race; the loser's conflict is harmless.
func (c *Catalog) SyncShipped(ctx context.Context) error {
	shipped, err := runbook.Shipped()
	if err != nil {
		return err
	}
	stored, err := c.store.RunbookVersions(ctx)
	if err != nil {
		return err
	}
	for _, tp := range shipped {
		if slices.ContainsFunc(stored, func(v RunbookVersion) bool { return v.Key == tp.Key && v.Version == tp.Version }) {
			continue
		}
		src, err := runbook.ShippedSource(tp.Key)
		if err != nil {
			return err
		}
		err = c.store.AddRunbookVersion(ctx, &RunbookVersion{Key: tp.Key, Version: tp.Version, Source: string(src), CreatedBy: "enlace"})
		if err != nil && enlace.ErrorCode(err) != enlace.ECONFLICT {
			return err
		}
		slog.Info("runbook installed", "runbook", tp.Key, "version", tp.Version)
	}
	return nil
}
