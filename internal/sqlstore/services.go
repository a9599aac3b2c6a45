package sqlstore

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
)

const serviceColumns = `v.id, v.customer_id, v.billing_account_id, v.site_id, v.service_key, v.category, v.product,
	v.status, v.state, v.activated_on, v.created_at, v.updated_at,
	st.name AS site_name, st.city AS site_city, b.number AS account_number`

const serviceJoins = ` JOIN sites st ON st.id = v.site_id JOIN billing_accounts b ON b.id = v.billing_account_id`

const (
	serviceInsertColumns = `id, customer_id, billing_account_id, site_id, service_key, category, product, status,
		state, activated_on, created_at, updated_at`
	serviceInsertWidth = 12
)

func serviceValues(v *inventory.Service, dst []any) []any {
	return append(dst, v.ID, v.CustomerID, v.BillingAccountID, v.SiteID, v.Key, v.Category, v.Product, v.Status,
		v.State, v.ActivatedOn, v.CreatedAt, v.UpdatedAt)
}

// CreateService stores a new service; a service key in use is a conflict.
func (s *Store) CreateService(ctx context.Context, v *inventory.Service, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		v.CreatedAt, v.UpdatedAt = tx.now, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO services (`+serviceInsertColumns+`) VALUES `+
			placeholders(1, 1, serviceInsertWidth), serviceValues(v, nil)...); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// UpdateService stores a service's fields and status, taking the state of
// its (possibly new) site.
func (s *Store) UpdateService(ctx context.Context, v *inventory.Service, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		v.UpdatedAt = tx.now
		res, err := tx.ExecContext(ctx, `
			UPDATE services SET billing_account_id = $1, site_id = $2, service_key = $3, category = $4, product = $5,
				status = $6, activated_on = $7, updated_at = $8,
				state = (SELECT state FROM sites WHERE id = $2)
			WHERE id = $9`,
			v.BillingAccountID, v.SiteID, v.Key, v.Category, v.Product, v.Status, v.ActivatedOn, tx.now, v.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		return tx.record(ctx, effects...)
	})
}

// ServiceByID returns a service with its site's name and account number.
func (s *Store) ServiceByID(ctx context.Context, id string) (*inventory.Service, error) {
	var v inventory.Service
	if err := s.one(ctx, "error.not_found", &v, `SELECT `+serviceColumns+` FROM services v`+serviceJoins+
		` WHERE v.id = $1`, id); err != nil {
		return nil, err
	}
	return &v, nil
}

// serviceWhere builds the conditions of f; facets leaves out the four
// filters the facet counts group by.
func serviceWhere(f inventory.ServiceFilter, facets bool) *where {
	w := &where{}
	w.add("v.customer_id = ?", f.CustomerID)
	if f.Accounts != nil {
		if len(f.Accounts) == 0 {
			w.add("FALSE")
		} else {
			w.add("v.billing_account_id IN (" + w.in(f.Accounts) + ")")
		}
	}
	if f.SiteID != nil {
		w.add("v.site_id = ?", *f.SiteID)
	}
	if f.KeyPrefix != nil {
		// A range on the key index; keys are upper-case ASCII below '~'.
		w.add("v.service_key >= ? AND v.service_key < ?", *f.KeyPrefix, *f.KeyPrefix+"~")
	}
	if facets {
		return w
	}
	if f.State != nil {
		w.add("v.state = ?", *f.State)
	}
	if f.BillingAccountID != nil {
		w.add("v.billing_account_id = ?", *f.BillingAccountID)
	}
	if f.Category != nil {
		w.add("v.category = ?", *f.Category)
	}
	if f.Status != nil {
		w.add("v.status = ?", *f.Status)
	}
	return w
}

// CountServices counts the services matching f from the services table alone.
func (s *Store) CountServices(ctx context.Context, f inventory.ServiceFilter) (int, error) {
	w := serviceWhere(f, false)
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT COUNT(*) FROM services v WHERE `+w.String(), w.args...)
	return n, err
}

// FindServices returns one page of services by key. The page's ids come
// from an index of the filters in key order (a deferred join), and only
// those rows are joined with their sites and accounts, however deep the
// offset.
func (s *Store) FindServices(ctx context.Context, f inventory.ServiceFilter) ([]inventory.Service, error) {
	w := serviceWhere(f, false)
	filter := w.String()
	query := `SELECT ` + serviceColumns + ` FROM (SELECT v.id FROM services v WHERE ` + filter +
		` ORDER BY v.service_key LIMIT ` + w.arg(f.Limit) + ` OFFSET ` + w.arg(f.Offset) + `) page
		JOIN services v ON v.id = page.id` + serviceJoins + ` ORDER BY v.service_key`
	vs := []inventory.Service{}
	err := s.db.SelectContext(ctx, &vs, query, w.args...)
	return vs, err
}

// ServiceFacets counts the services of f's customer, accounts, site and
// key prefix by state, billing account, category and status: one GROUP BY
// read from the services_facets index alone.
func (s *Store) ServiceFacets(ctx context.Context, f inventory.ServiceFilter) ([]inventory.Facet, error) {
	w := serviceWhere(f, true)
	facets := []inventory.Facet{}
	err := s.db.SelectContext(ctx, &facets, `
		SELECT v.state, v.billing_account_id, v.category, v.status, COUNT(*) AS n FROM services v
		WHERE `+w.String()+` GROUP BY v.state, v.billing_account_id, v.category, v.status`, w.args...)
	return facets, err
}

// EachService streams the services matching f by key into fn; f's offset
// and limit are ignored.
func (s *Store) EachService(ctx context.Context, f inventory.ServiceFilter, fn func(*inventory.Service) error) error {
	w := serviceWhere(f, false)
	rows, err := s.db.QueryxContext(ctx, `SELECT `+serviceColumns+` FROM services v`+serviceJoins+
		` WHERE `+w.String()+` ORDER BY v.service_key`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var v inventory.Service
	for rows.Next() {
		v = inventory.Service{}
		if err := rows.StructScan(&v); err != nil {
			return err
		}
		if err := fn(&v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ExistingServiceKeys returns those of keys already in use, by any customer.
func (s *Store) ExistingServiceKeys(ctx context.Context, keys []string) ([]string, error) {
	return existingKeys(ctx, s.db, keys)
}

func existingKeys(ctx context.Context, q sqlx.QueryerContext, keys []string) ([]string, error) {
	taken := []string{}
	for lo := 0; lo < len(keys); lo += 500 {
		chunk := keys[lo:min(lo+500, len(keys))]
		query, args, err := sqlx.In(`SELECT service_key FROM services WHERE service_key IN (?)`, chunk)
		if err != nil {
			return nil, err
		}
		var found []string
		if err := sqlx.SelectContext(ctx, q, &found, sqlx.Rebind(sqlx.DOLLAR, query), args...); err != nil {
			return nil, err
		}
		taken = append(taken, found...)
	}
	return taken, nil
}

// ImportInventory writes many new sites and services of one customer in
// one transaction, with INSERTs prepared once, of as many rows each as the
// dialect does best with,
// and records the effects with them. Sites and services must be validated
// (inventory.Manager.Import does it) and carry their ids; each service's
// State must be its site's. A service key already in use, or repeated in
// services, makes it write nothing and return an EINVALID error whose
// fields are named "services.<i>.service_key", i being the index in
// services (0-based).
func (s *Store) ImportInventory(ctx context.Context, customerID string, sites []inventory.Site, services []inventory.Service, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if err := tx.checkImportKeys(ctx, services); err != nil {
			return err
		}
		for i := range sites {
			sites[i].CustomerID, sites[i].CreatedAt, sites[i].UpdatedAt = customerID, tx.now, tx.now
		}
		for i := range services {
			services[i].CustomerID, services[i].CreatedAt, services[i].UpdatedAt = customerID, tx.now, tx.now
		}
		err := insertBatches(ctx, tx, "sites", siteInsertColumns, siteInsertWidth, tx.store.dialect.insertBatch(), len(sites),
			func(i int, dst []any) []any { return siteValues(&sites[i], dst) })
		if err != nil {
			return err
		}
		err = insertBatches(ctx, tx, "services", serviceInsertColumns, serviceInsertWidth, tx.store.dialect.insertBatch(), len(services),
			func(i int, dst []any) []any { return serviceValues(&services[i], dst) })
		if err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// checkImportKeys reports keys repeated in the batch or already in use.
func (tx *Tx) checkImportKeys(ctx context.Context, services []inventory.Service) error {
	first := make(map[string]int, len(services))
	keys := make([]string, 0, len(services))
	var fields []enlace.FieldError
	for i := range services {
		k := services[i].Key
		if j, dup := first[k]; dup {
			fields = append(fields, enlace.Field(fmt.Sprintf("services.%d.service_key", i), "inventory.error.key_repeated", "Row", j))
			continue
		}
		first[k] = i
		keys = append(keys, k)
	}
	taken, err := existingKeys(ctx, tx, keys)
	if err != nil {
		return err
	}
	for _, k := range taken {
		fields = append(fields, enlace.Field(fmt.Sprintf("services.%d.service_key", first[k]), "inventory.error.key_taken"))
	}
	return enlace.Invalid(fields)
}

// insertBatches inserts n rows into table, batch rows per statement; the
// full-batch statement is prepared once.
func insertBatches(ctx context.Context, tx *Tx, table, columns string, width, batch, n int, values func(i int, dst []any) []any) error {
	if n == 0 {
		return nil
	}
	head := `INSERT INTO ` + table + ` (` + columns + `) VALUES `
	args := make([]any, 0, batch*width)
	var full *sqlx.Stmt
	for lo := 0; lo < n; lo += batch {
		hi := min(lo+batch, n)
		args = args[:0]
		for i := lo; i < hi; i++ {
			args = values(i, args)
		}
		if hi-lo < batch {
			if _, err := tx.ExecContext(ctx, head+placeholders(1, hi-lo, width), args...); err != nil {
				return err
			}
			continue
		}
		if full == nil {
			st, err := tx.PreparexContext(ctx, head+placeholders(1, batch, width))
			if err != nil {
				return err
			}
			defer st.Close()
			full = st
		}
		if _, err := full.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}
