package inventory

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// Import writes new sites and services of one customer, all or nothing,
// with one audit entry. Sites without an id get one. A service names its
// site by SiteID: one of the new sites or an existing site of the
// customer. Every problem is reported at once as field errors named
// "sites.<i>.<field>" or "services.<i>.<field>", i being the index in the
// slice (0-based), e.g. "services.41.service_key" for a key already in use
// or repeated in the batch; nothing is written then.
func (m *Manager) Import(ctx context.Context, customerID string, sites []Site, services []Service) error {
	if err := m.CheckImport(ctx, customerID, sites, services); err != nil {
		return err
	}
	effect := audit.Record(ctx, "inventory.import", "customer", customerID, customerID,
		map[string]any{"sites": len(sites), "services": len(services)})
	return m.store.ImportInventory(ctx, customerID, sites, services, effect)
}

// CheckImport is Import's validation without the write, for a preview: it
// normalizes the rows in place (ids given to new sites, keys upper-cased,
// states as codes) and reports every problem.
func (m *Manager) CheckImport(ctx context.Context, customerID string, sites []Site, services []Service) error {
	if err := writer(ctx); err != nil {
		return err
	}
	if customerID == "" {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("customer_id", "inventory.error.customer_required")})
	}
	bas, err := m.store.BillingAccounts(ctx, customerID)
	if err != nil {
		return err
	}
	accounts := make(map[string]bool, len(bas))
	for _, b := range bas {
		accounts[b.ID] = true
	}
	existing, err := m.store.CustomerSites(ctx, customerID)
	if err != nil {
		return err
	}
	siteState := make(map[string]string, len(existing)+len(sites))
	for _, s := range existing {
		if !s.Retired() {
			siteState[s.ID] = s.State
		}
	}
	var fields []enlace.FieldError
	prefix := func(kind string, i int, errs []enlace.FieldError) {
		for _, f := range errs {
			f.Field = fmt.Sprintf("%s.%d.%s", kind, i, f.Field)
			fields = append(fields, f)
		}
	}
	for i := range sites {
		s := &sites[i]
		if s.ID == "" {
			s.ID = enlace.NewID()
		}
		s.CustomerID, s.RetiredAt = customerID, nil
		s.Normalize()
		var errs []enlace.FieldError
		if err := s.Validate(); err != nil {
			errs = enlace.AsError(err).Fields
		}
		if s.BillingAccountID != "" && !accounts[s.BillingAccountID] {
			errs = append(errs, enlace.Field("billing_account_id", "inventory.error.account_unknown"))
		}
		prefix("sites", i, errs)
		siteState[s.ID] = s.State
	}
	keys := make([]string, 0, len(services))
	first := make(map[string]int, len(services))
	for i := range services {
		v := &services[i]
		v.ID, v.CustomerID = enlace.NewID(), customerID
		if v.Status == "" {
			v.Status = StatusActive
		}
		v.Normalize()
		var errs []enlace.FieldError
		if err := v.Validate(); err != nil {
			errs = enlace.AsError(err).Fields
		}
		if st, ok := siteState[v.SiteID]; ok {
			v.State = st
		} else if v.SiteID != "" {
			errs = append(errs, enlace.Field("site_id", "inventory.error.site_unknown"))
		}
		if v.BillingAccountID != "" && !accounts[v.BillingAccountID] {
			errs = append(errs, enlace.Field("billing_account_id", "inventory.error.account_unknown"))
		}
		if j, dup := first[v.Key]; dup && v.Key != "" {
			errs = append(errs, enlace.Field("service_key", "inventory.error.key_repeated", "Row", j))
		} else if v.Key != "" {
			first[v.Key] = i
			keys = append(keys, v.Key)
		}
		prefix("services", i, errs)
	}
	taken, err := m.store.ExistingServiceKeys(ctx, keys)
	if err != nil {
		return err
	}
	for _, k := range taken {
		fields = append(fields, enlace.Field(fmt.Sprintf("services.%d.service_key", first[k]), "inventory.error.key_taken"))
	}
	slices.SortStableFunc(fields, func(a, b enlace.FieldError) int { return rowOrder(a.Field, b.Field) })
	return enlace.Invalid(fields)
}

// rowOrder sorts field errors sites first, then by row.
func rowOrder(a, b string) int {
	ka, ia := splitRow(a)
	kb, ib := splitRow(b)
	if ka != kb {
		if ka == "sites" {
			return -1
		}
		return 1
	}
	return ia - ib
}

func splitRow(field string) (string, int) {
	kind, rest, _ := strings.Cut(field, ".")
	num, _, _ := strings.Cut(rest, ".")
	i, _ := strconv.Atoi(num)
	return kind, i
}
