package inventory

import (
	"context"
	"slices"
	"strings"
)

// Count is the number of services in one group.
type Count struct {
	Key string // state code ("" abroad), billing account id, category or status
	N   int
}

// Overview is the active-services page (B2): the services matching a
// filter, one page of them, and their counts by state, billing account,
// category and status. Each grouping counts with every filter but its own,
// so that the state list still offers the other states while one is chosen.
type Overview struct {
	Total      int
	ByState    []Count
	ByAccount  []Count
	ByCategory []Count
	ByStatus   []Count
	Services   []Service
}

// Overview returns the active-services page for f. The counts come from
// one GROUP BY along an index of services by customer, state, account,
// category and status; the page walks an index in service-key order.
func (m *Manager) Overview(ctx context.Context, f ServiceFilter) (*Overview, error) {
	f, err := m.serviceScope(ctx, f)
	if err != nil {
		return nil, err
	}
	o := &Overview{Services: []Service{}}
	if f.Accounts != nil && len(f.Accounts) == 0 {
		return o, nil
	}
	facets, err := m.store.ServiceFacets(ctx, f)
	if err != nil {
		return nil, err
	}
	byState, byAccount, byCategory, byStatus := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for _, x := range facets {
		st, ac, ca, su := eq(f.State, x.State), eq(f.BillingAccountID, x.BillingAccountID), eq(f.Category, x.Category), eq(f.Status, x.Status)
		if ac && ca && su {
			byState[x.State] += x.Count
		}
		if st && ca && su {
			byAccount[x.BillingAccountID] += x.Count
		}
		if st && ac && su {
			byCategory[x.Category] += x.Count
		}
		if st && ac && ca {
			byStatus[x.Status] += x.Count
		}
		if st && ac && ca && su {
			o.Total += x.Count
		}
	}
	o.ByState, o.ByAccount, o.ByCategory, o.ByStatus = sorted(byState), sorted(byAccount), ordered(byCategory, Categories), ordered(byStatus, Statuses)
	if f.SiteID == nil && o.Total == 0 {
		return o, nil
	}
	o.Services, err = m.store.FindServices(ctx, f)
	if err != nil {
		return nil, err
	}
	if f.SiteID != nil {
		// The facets do not know sites: count the site's services directly.
		o.Total, err = m.store.CountServices(ctx, f)
	}
	return o, err
}

func eq(filter *string, v string) bool { return filter == nil || *filter == v }

// sorted returns the counts largest first, then by key.
func sorted(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{Key: k, N: n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

// ordered returns the counts of every key in order, zeros included.
func ordered(m map[string]int, keys []string) []Count {
	out := make([]Count, 0, len(keys))
	for _, k := range keys {
		out = append(out, Count{Key: k, N: m[k]})
	}
	return out
}
