package ordering

import (
	"context"
	"slices"
	"strings"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/runbook"
)

// mapOrder finds what the order means in Enlace: the customer (a related
// party with role customer, or of type Organization or Customer, whose id
// is an Enlace customer id or number; else the customer of the billing
// account), the billing account (the item's, else the order's, else the
// customer's only one; an id or an account number), and for each item to
// add whose product offering a runbook lists, the site and the options of
// the project it starts. What cannot be mapped is recorded on the item
// as a problem; the order is kept all the same.
func (o *Service) mapOrder(ctx context.Context, in *OrderInput, po *ProductOrder) error {
	offerings, err := o.offerings(ctx)
	if err != nil {
		return err
	}
	custID, err := o.partyCustomer(ctx, in.Parties)
	if err != nil {
		return err
	}
	items := in.Items
	refs := []string{in.BillingAccount}
	for _, it := range items {
		refs = append(refs, it.BillingAccount)
	}
	for _, ref := range refs {
		if custID != "" || ref == "" {
			continue
		}
		if b, err := o.account(ctx, "", ref); err != nil {
			return err
		} else if b != nil {
			custID = b.CustomerID
		}
	}
	po.CustomerID = custID
	// The order's account, when it names one: its items without an
	// account of their own are on it, or on none when it is not found.
	var orderAccount *string
	if in.BillingAccount != "" {
		id, err := o.itemAccount(ctx, custID, in.BillingAccount, nil)
		if err != nil {
			return err
		}
		orderAccount = &id
	}
	start := in.RequestedStartDate
	ref := po.ExternalID
	if ref == "" {
		ref = po.ID
	}
	po.Items = make(OrderItems, len(items))
	for i, it := range items {
		oi := OrderItem{ID: it.ID, Action: it.Action, State: OrderAcknowledged}
		tp := offeredRunbook(offerings, it)
		if tp != nil {
			oi.Runbook, oi.Ref, oi.Options = tp.Key, truncate(ref, 80)+" #"+truncate(it.ID, 18), options(tp, it.Characteristics)
			oi.Title = truncate(it.OfferingName, 200)
			if !start.IsZero() {
				oi.StartAt = &start
			}
			if err := o.placeItem(ctx, &oi, custID, it, orderAccount); err != nil {
				return err
			}
		}
		po.Items[i] = oi
	}
	if orderAccount != nil {
		po.BillingAccountID = *orderAccount
	}
	for _, it := range po.Items {
		if po.BillingAccountID == "" {
			po.BillingAccountID = it.AccountID
		}
	}
	return nil
}

// placeItem finds the billing account and site of an item that starts a
// project, or records why it cannot.
func (o *Service) placeItem(ctx context.Context, oi *OrderItem, custID string, it ItemInput, orderAccount *string) error {
	if custID == "" {
		oi.Problem = &Problem{Key: "tmf622.problem.customer"}
		return nil
	}
	acct, err := o.itemAccount(ctx, custID, it.BillingAccount, orderAccount)
	if err != nil {
		return err
	}
	if acct == "" {
		oi.Problem = &Problem{Key: "tmf622.problem.account"}
		return nil
	}
	oi.AccountID = acct
	site, err := o.site(ctx, custID, it)
	if err != nil {
		return err
	}
	if site == "" {
		oi.Problem = &Problem{Key: "tmf622.problem.site"}
	}
	oi.SiteID = site
	return nil
}

// offerings returns the current runbooks by the product offerings they
// serve.
func (o *Service) offerings(ctx context.Context) (map[string]*runbook.Template, error) {
	current, err := o.Projects.Catalog().Current(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]*runbook.Template{}
	for _, tp := range current {
		for _, off := range tp.Offerings {
			out[strings.ToLower(off)] = tp
		}
	}
	return out, nil
}

// offeredRunbook returns the runbook an item to add starts: the one whose
// offerings list the item's product offering id (or, failing that, name).
func offeredRunbook(offerings map[string]*runbook.Template, it ItemInput) *runbook.Template {
	if it.Action != "add" || it.OfferingID == "" && it.OfferingName == "" {
		return nil
	}
	if tp := offerings[strings.ToLower(it.OfferingID)]; tp != nil && it.OfferingID != "" {
		return tp
	}
	if it.OfferingName == "" {
		return nil
	}
	return offerings[strings.ToLower(it.OfferingName)]
}

// options reads the runbook's options from the product's boolean
// characteristics named like them (lync_sharepoint: true).
func options(tp *runbook.Template, chars []Characteristic) map[string]bool {
	if len(chars) == 0 {
		return nil
	}
	out := map[string]bool{}
	for _, c := range chars {
		if v, ok := c.Value.(bool); ok && tp.HasOption(c.Name) {
			out[c.Name] = v
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// partyCustomer returns the Enlace customer named by the related party
// with role customer or of type Organization or Customer, or "".
func (o *Service) partyCustomer(ctx context.Context, parties []Party) (string, error) {
	for _, p := range parties {
		rt := strings.ToLower(p.ReferredType)
		if !strings.EqualFold(p.Role, "customer") && rt != "organization" && rt != "customer" {
			continue
		}
		c, err := o.Customers.Get(ctx, p.ID)
		if enlace.ErrorCode(err) == enlace.ENOTFOUND {
			var cs []customer.Customer
			cs, _, err = o.Customers.Find(ctx, customer.Filter{Number: &p.ID, Limit: 1})
			if err == nil && len(cs) > 0 {
				c = &cs[0]
			}
		}
		if err != nil && enlace.ErrorCode(err) != enlace.ENOTFOUND {
			return "", err
		}
		if c != nil && !c.Retired {
			return c.ID, nil
		}
	}
	return "", nil
}

// itemAccount returns the id of the billing account ref names (an id or a
// number) of customer custID; with no ref (""), *fallback when fallback is
// not nil, else the customer's only active account; "" when there is none.
func (o *Service) itemAccount(ctx context.Context, custID string, ref string, fallback *string) (string, error) {
	if custID == "" {
		return "", nil
	}
	if ref != "" {
		b, err := o.account(ctx, custID, ref)
		if b == nil || err != nil {
			return "", err
		}
		return b.ID, nil
	}
	if fallback != nil {
		return *fallback, nil
	}
	all, err := o.Customers.BillingAccounts(ctx, custID)
	if err != nil {
		return "", err
	}
	all = slices.DeleteFunc(all, func(b customer.BillingAccount) bool { return b.Retired })
	if len(all) == 1 {
		return all[0].ID, nil
	}
	return "", nil
}

// account finds an active billing account by id or number, of custID when
// given; nil when there is none.
func (o *Service) account(ctx context.Context, custID, idOrNumber string) (*customer.BillingAccount, error) {
	b, err := o.Customers.BillingAccount(ctx, idOrNumber)
	if err == nil && !b.Retired && (custID == "" || b.CustomerID == custID) {
		return b, nil
	} else if err != nil && enlace.ErrorCode(err) != enlace.ENOTFOUND {
		return nil, err
	}
	f := customer.AccountFilter{Query: &idOrNumber, Limit: 50}
	if custID != "" {
		f.CustomerID = &custID
	}
	found, _, err := o.Customers.FindBillingAccounts(ctx, f)
	if err != nil {
		return nil, err
	}
	var match *customer.BillingAccount
	for i := range found {
		if found[i].Number == idOrNumber && !found[i].Retired {
			if match != nil {
				return nil, nil // the same number at two customers: ambiguous
			}
			match = &found[i]
		}
	}
	return match, nil
}

// site returns the customer's site the item's product names — a place
// whose id is the site's, or a characteristic siteId — or, when it names
// none, the customer's only active site; "" when there is no such site.
func (o *Service) site(ctx context.Context, custID string, it ItemInput) (string, error) {
	ids := slices.Clone(it.Places)
	for _, c := range it.Characteristics {
		if v, ok := c.Value.(string); ok && (c.Name == "siteId" || c.Name == "site") {
			ids = append(ids, v)
		}
	}
	for _, id := range ids {
		s, err := o.Inventory.Site(ctx, id)
		if enlace.ErrorCode(err) == enlace.ENOTFOUND {
			continue
		} else if err != nil {
			return "", err
		}
		if s.CustomerID == custID && !s.Retired() {
			return s.ID, nil
		}
	}
	if len(ids) > 0 {
		return "", nil
	}
	sites, total, err := o.Inventory.Sites(ctx, inventory.SiteFilter{CustomerID: custID, Limit: 2})
	if err != nil || total != 1 {
		return "", err
	}
	return sites[0].ID, nil
}
