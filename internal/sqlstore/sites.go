package sqlstore

import (
	"context"
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
)

const siteColumns = `s.id, s.customer_id, COALESCE(s.billing_account_id, '') AS billing_account_id, s.name,
	s.address_line1, s.address_line2, s.city, s.postal_code, s.state, s.region, s.country, s.latitude,
	s.longitude, s.retired_at, s.created_at, s.updated_at`

// CreateSite stores a new site.
func (s *Store) CreateSite(ctx context.Context, site *inventory.Site, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		site.CreatedAt, site.UpdatedAt = tx.now, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO sites (`+siteInsertColumns+`) VALUES `+placeholders(1, 1, siteInsertWidth),
			siteValues(site, nil)...); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

const (
	siteInsertColumns = `id, customer_id, billing_account_id, name, address_line1, address_line2, city, postal_code,
		state, region, country, latitude, longitude, retired_at, created_at, updated_at`
	siteInsertWidth = 16
)

func siteValues(site *inventory.Site, dst []any) []any {
	var account any
	if site.BillingAccountID != "" {
		account = site.BillingAccountID
	}
	return append(dst, site.ID, site.CustomerID, account, site.Name, site.AddressLine1, site.AddressLine2,
		site.City, site.PostalCode, site.State, site.Region, site.Country, site.Latitude, site.Longitude,
		site.RetiredAt, site.CreatedAt, site.UpdatedAt)
}

// UpdateSite stores a site's fields and retirement, and copies its state
// onto its services, which count and page by state.
func (s *Store) UpdateSite(ctx context.Context, site *inventory.Site, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		site.UpdatedAt = tx.now
		var account any
		if site.BillingAccountID != "" {
			account = site.BillingAccountID
		}
		res, err := tx.ExecContext(ctx, `
			UPDATE sites SET billing_account_id = $1, name = $2, address_line1 = $3, address_line2 = $4, city = $5,
				postal_code = $6, state = $7, region = $8, country = $9, latitude = $10, longitude = $11,
				retired_at = $12, updated_at = $13
			WHERE id = $14`,
			account, site.Name, site.AddressLine1, site.AddressLine2, site.City, site.PostalCode, site.State,
			site.Region, site.Country, site.Latitude, site.Longitude, site.RetiredAt, tx.now, site.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE services SET state = $1, updated_at = $2 WHERE site_id = $3 AND state <> $1`,
			site.State, tx.now, site.ID); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// SiteByID returns a site.
func (s *Store) SiteByID(ctx context.Context, id string) (*inventory.Site, error) {
	var site inventory.Site
	if err := s.one(ctx, "error.not_found", &site, `SELECT `+siteColumns+` FROM sites s WHERE s.id = $1`, id); err != nil {
		return nil, err
	}
	return &site, nil
}

// CustomerSites returns every site of a customer by name, retired ones too.
func (s *Store) CustomerSites(ctx context.Context, customerID string) ([]inventory.Site, error) {
	sites := []inventory.Site{}
	err := s.db.SelectContext(ctx, &sites, `SELECT `+siteColumns+` FROM sites s WHERE s.customer_id = $1 ORDER BY s.name, s.id`, customerID)
	return sites, err
}

// FindSites pages through a customer's sites by name along the
// sites_customer index.
func (s *Store) FindSites(ctx context.Context, f inventory.SiteFilter) ([]inventory.Site, int, error) {
	var w where
	w.add("s.customer_id = ?", f.CustomerID)
	if f.Accounts != nil {
		if len(f.Accounts) == 0 {
			return []inventory.Site{}, 0, nil
		}
		in1, in2 := w.in(f.Accounts), w.in(f.Accounts)
		w.add("(s.billing_account_id IN (" + in1 + ") OR EXISTS (SELECT 1 FROM services v WHERE v.site_id = s.id AND v.billing_account_id IN (" + in2 + ")))")
	}
	if f.State != nil {
		w.add("s.state = ?", *f.State)
	}
	if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
		q := "%" + likeEscape(strings.ToLower(strings.TrimSpace(*f.Query))) + "%"
		w.add(`(lower(s.name) LIKE ? ESCAPE '\' OR lower(s.city) LIKE ? ESCAPE '\' OR lower(s.address_line1) LIKE ? ESCAPE '\')`, q, q, q)
	}
	if !f.IncludeRetired {
		w.add("s.retired_at IS NULL")
	}
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM sites s WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, err
	}
	filter := w.String()
	sites := []inventory.Site{}
	err := s.db.SelectContext(ctx, &sites, `SELECT `+siteColumns+` FROM sites s WHERE `+filter+
		` ORDER BY s.name, s.id LIMIT `+w.arg(f.Limit)+` OFFSET `+w.arg(f.Offset), w.args...)
	return sites, total, err
}

// SiteServesAccounts reports whether a site has a service on one of the
// billing accounts.
func (s *Store) SiteServesAccounts(ctx context.Context, siteID string, accounts []string) (bool, error) {
	if len(accounts) == 0 {
		return false, nil
	}
	var w where
	w.add("site_id = ?", siteID)
	w.add("billing_account_id IN (" + w.in(accounts) + ")")
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT COUNT(*) FROM (SELECT 1 FROM services WHERE `+w.String()+` LIMIT 1) x`, w.args...)
	return n > 0, err
}

// ActiveServicesAt counts the services of a site that are not retired.
func (s *Store) ActiveServicesAt(ctx context.Context, siteID string) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT COUNT(*) FROM services WHERE site_id = $1 AND status <> $2`,
		siteID, inventory.StatusRetired)
	return n, err
}

// in binds a list of values and returns their placeholders, "$3, $4, $5".
func (w *where) in(vals []string) string {
	ps := make([]string, len(vals))
	for i, v := range vals {
		ps[i] = w.arg(v)
	}
	return strings.Join(ps, ", ")
}

// likeEscape escapes the LIKE wildcards of user input (ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// placeholders returns the VALUES tuples of a multi-row insert of rows
// rows of width columns, numbered from $first: "($1, $2), ($3, $4)".
func placeholders(first, rows, width int) string {
	var b strings.Builder
	n := first
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range width {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			n++
		}
		b.WriteByte(')')
	}
	return b.String()
}
