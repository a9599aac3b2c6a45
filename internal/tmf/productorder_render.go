package tmf

import (
	"time"

	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/ordering"
)

// Base paths of TMF622 Product Ordering, served side by side from one
// store: v4 and v5 differ in the shapes they return.
const (
	ProductOrderingV4Path = "/tmf-api/productOrderingManagement/v4"
	ProductOrderingV5Path = "/tmf-api/productOrderingManagement/v5"
)

// apiVersion is a version of an API: the representation it answers in.
type apiVersion struct {
	name string // v4, v5
	path string
}

var (
	orderingV4 = apiVersion{"v4", ProductOrderingV4Path}
	orderingV5 = apiVersion{"v5", ProductOrderingV5Path}
)

func versionNamed(name string) apiVersion {
	if name == orderingV5.name {
		return orderingV5
	}
	return orderingV4
}

func (v apiVersion) v5() bool { return v.name == orderingV5.name }

// tmfTime writes a time as TMF clients read and filter it: UTC with
// milliseconds.
func tmfTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// renderOrder returns the order as version v shows it: the attributes the
// client sent, and those Enlace sets — id, href, state (of the order and
// of each item), the dates (orderDate, and v5's creationDate: both are
// sent) and, for items that could not start a project, a
// productOrderErrorMessage in loc's language. References are shown in the
// version's shape whatever shape they were posted in.
func renderOrder(po *ordering.ProductOrder, v apiVersion, base string, loc *i18n.Localizer) (map[string]any, error) {
	m, err := po.Attributes()
	if err != nil {
		return nil, err
	}
	href := base + v.path + "/productOrder/" + po.ID
	m["id"], m["href"], m["state"] = po.ID, href, po.State
	setDefault(m, "@type", "ProductOrder")
	m["orderDate"], m["creationDate"] = tmfTime(po.OrderDate), tmfTime(po.OrderDate)
	if po.CompletionDate != nil {
		m["completionDate"] = tmfTime(*po.CompletionDate)
	}
	if po.CancellationDate != nil {
		m["cancellationDate"] = tmfTime(*po.CancellationDate)
		if po.CancellationReason != "" {
			m["cancellationReason"] = po.CancellationReason
		}
	}
	states := map[string]string{}
	for _, it := range po.Items {
		states[it.ID] = it.State
	}
	items, _ := m["productOrderItem"].([]any)
	for _, x := range items {
		it, ok := x.(map[string]any)
		if !ok {
			continue
		}
		if id, ok := it["id"].(string); ok && states[id] != "" {
			it["state"] = states[id]
		}
		if v.v5() {
			setDefault(it, "@type", "ProductOrderItem")
			refType(it["productOffering"], "ProductOfferingRef")
			refType(it["billingAccount"], "BillingAccountRef")
		}
	}
	if v.v5() {
		refType(m["billingAccount"], "BillingAccountRef")
	}
	m["relatedParty"] = parties(m["relatedParty"], v)
	if ext, ok := externalID(m["externalId"], v); ok {
		m["externalId"] = ext
	}
	if errs := errorMessages(po, href, loc); len(errs) > 0 {
		m["productOrderErrorMessage"] = errs
	}
	return m, nil
}

func setDefault(m map[string]any, k string, v any) {
	if _, ok := m[k]; !ok {
		m[k] = v
	}
}

// refType gives a v5 reference its @type when it has none.
func refType(x any, typ string) {
	if m, ok := x.(map[string]any); ok {
		setDefault(m, "@type", typ)
	}
}

// parties returns the related parties in v's shape, always an array: v4's
// RelatedParty {id, href, name, role, @referredType} or v5's
// RelatedPartyRefOrPartyRoleRef {role, partyOrPartyRole: {…}}.
func parties(x any, v apiVersion) []any {
	list, _ := x.([]any)
	out := make([]any, 0, len(list))
	for _, p := range list {
		m, ok := p.(map[string]any)
		if !ok {
			out = append(out, p)
			continue
		}
		inner, nested := m["partyOrPartyRole"].(map[string]any)
		switch {
		case v.v5() && !nested:
			ref := map[string]any{"@type": "PartyRef"}
			for _, k := range []string{"id", "href", "name", "@referredType"} {
				if val, ok := m[k]; ok {
					ref[k] = val
				}
			}
			w := map[string]any{"@type": "RelatedPartyRefOrPartyRoleRef", "partyOrPartyRole": ref}
			if role, ok := m["role"]; ok {
				w["role"] = role
			}
			out = append(out, w)
		case !v.v5() && nested:
			flat := map[string]any{}
			for _, k := range []string{"id", "href", "name", "@referredType"} {
				if val, ok := inner[k]; ok {
					flat[k] = val
				}
			}
			if role, ok := m["role"]; ok {
				flat["role"] = role
			}
			out = append(out, flat)
		default:
			if v.v5() {
				setDefault(m, "@type", "RelatedPartyRefOrPartyRoleRef")
				setDefault(inner, "@type", "PartyRef")
			}
			out = append(out, m)
		}
	}
	return out
}

// externalID returns the externalId in v's shape, and true when it must
// replace the one sent: a string in v4, an array of ExternalIdentifier in
// v5 (whose elements it gives their @type in place).
func externalID(x any, v apiVersion) (any, bool) {
	switch e := x.(type) {
	case string:
		if v.v5() {
			return []any{map[string]any{"id": e, "@type": "ExternalIdentifier"}}, true
		}
	case []any:
		if v.v5() {
			for _, x := range e {
				refType(x, "ExternalIdentifier")
			}
			return nil, false
		}
		if len(e) > 0 {
			if first, ok := e[0].(map[string]any); ok {
				return first["id"], true
			}
		}
	}
	return nil, false
}

// errorMessages says, per item that could not start its project, why.
func errorMessages(po *ordering.ProductOrder, href string, loc *i18n.Localizer) []any {
	var out []any
	for _, it := range po.Items {
		if it.Problem == nil {
			continue
		}
		out = append(out, map[string]any{
			"@type": "ProductOrderErrorMessage", "code": "ITEM_NOT_STARTED", "reason": it.Problem.Key,
			"message": loc.TMap(it.Problem.Key, it.Problem.Args), "timestamp": tmfTime(po.OrderDate),
			"productOrderItem": []any{map[string]any{"@type": "ProductOrderItemRef", "productOrderId": po.ID,
				"productOrderItemId": it.ID, "ProductOrderHref": href}},
		})
	}
	return out
}

// renderCancel returns a cancelProductOrder as version v shows it.
func renderCancel(c *ordering.CancelRequest, v apiVersion, base string) map[string]any {
	ref := map[string]any{"id": c.ProductOrderID, "href": base + v.path + "/productOrder/" + c.ProductOrderID,
		"@referredType": "ProductOrder"}
	if v.v5() {
		ref["@type"] = "ProductOrderRef"
	}
	m := map[string]any{"id": c.ID, "href": base + v.path + "/cancelProductOrder/" + c.ID, "@type": "CancelProductOrder",
		"state": c.State, "productOrder": ref, "creationDate": tmfTime(c.CreationDate)}
	if c.Reason != "" {
		m["cancellationReason"] = c.Reason
	}
	if c.RequestedDate != nil {
		m["requestedCancellationDate"] = tmfTime(*c.RequestedDate)
	}
	if c.EffectiveDate != nil {
		m["effectiveCancellationDate"] = tmfTime(*c.EffectiveDate)
	}
	return m
}

// renderHub returns a subscription: v4's EventSubscription, v5's Hub.
func renderHub(h *ordering.Hub, v apiVersion, base string) map[string]any {
	m := map[string]any{"id": h.ID, "callback": h.Callback, "query": h.Query, "href": base + v.path + "/hub/" + h.ID}
	if v.v5() {
		m["@type"] = "Hub"
	}
	return m
}

// EventRenderer renders product orders and cancellation requests for the
// events sent to hubs (ordering.Renderer): hrefs start with BaseURL, the
// public URL of Enlace, and messages are in the provider's language, as
// nobody in particular reads them.
type EventRenderer struct {
	Catalog *i18n.Catalog
	BaseURL string
}

// Order returns an order as version shows it.
func (e EventRenderer) Order(po *ordering.ProductOrder, version string) (map[string]any, error) {
	return renderOrder(po, versionNamed(version), e.BaseURL, e.Catalog.Localizer(e.Catalog.Match()))
}

// Cancel returns a cancellation request as version shows it.
func (e EventRenderer) Cancel(c *ordering.CancelRequest, version string) map[string]any {
	return renderCancel(c, versionNamed(version), e.BaseURL)
}
