package ordering

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// OrderInput is what Enlace reads of a product order a client sends,
// whichever version's shape it came in; the API adapter reads and checks
// it.
type OrderInput struct {
	// ExternalID is the order's identifier in the CRM.
	ExternalID string
	Category   string
	Priority   string
	// Parties are the order's related parties.
	Parties []Party
	// BillingAccount is the id or number of the order's billing account;
	// empty when the order names none.
	BillingAccount string
	// RequestedStartDate is zero when the order asks for none.
	RequestedStartDate time.Time
	Items              []ItemInput
	// Document is the order as the client sent it: a JSON object. Enlace
	// keeps it, without the attributes it sets itself.
	Document map[string]any
}

// Party is a related party of an order: a reference and its role.
type Party struct {
	ID           string
	Role         string
	ReferredType string
}

// ItemInput is what Enlace reads of a productOrderItem.
type ItemInput struct {
	ID     string
	Action string
	// OfferingID and OfferingName name the item's product offering; both
	// are empty when it names none.
	OfferingID   string
	OfferingName string
	// BillingAccount is the id or number of the item's billing account;
	// empty when the item names none.
	BillingAccount string
	// Places are the ids of the places of the item's product.
	Places []string
	// Characteristics are the characteristics of the item's product.
	Characteristics []Characteristic
}

// Characteristic is a product characteristic: a name and a JSON value.
type Characteristic struct {
	Name  string
	Value any
}

// CancelInput is a cancelProductOrder a client sends.
type CancelInput struct {
	OrderID string
	Reason  string
	// RequestedDate is zero when the request names none.
	RequestedDate time.Time
}

// HubInput is a subscription a client sends: Version is the version of
// the API (v4, v5) whose representation its events carry.
type HubInput struct {
	Version  string
	Callback string
	Query    string
}

// serverAttributes are set by Enlace: a document's values are dropped,
// and a patch may not change them.
var serverAttributes = []string{"id", "href", "state", "orderDate", "creationDate", "completionDate",
	"expectedCompletionDate", "cancellationDate", "cancellationReason", "productOrderErrorMessage",
	"productOrderJeopardyAlert", "productOrderMilestone"}

// fixedAttributes decide what the order starts; they are set when the
// order is posted and cannot change afterwards.
var fixedAttributes = []string{"productOrderItem", "relatedParty", "billingAccount", "requestedInitialState"}

// setDocument keeps the client's attributes, without those the server
// sets (of the order and of its items).
func (po *ProductOrder) setDocument(doc map[string]any) error {
	for _, k := range serverAttributes {
		delete(doc, k)
	}
	if items, ok := doc["productOrderItem"].([]any); ok {
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				delete(m, "state")
			}
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("encode product order: %w", err)
	}
	po.Document = string(b)
	return nil
}

// Attributes returns the attributes the client sent (Document), a fresh
// copy; numbers are kept as written.
func (po *ProductOrder) Attributes() (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(po.Document)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, fmt.Errorf("decode stored product order %s", po.ID)
	}
	return m, nil
}

// mergePatch applies a JSON merge patch (RFC 7386) to target.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}

func isString(v any) bool { _, ok := v.(string); return ok }

// truncate cuts s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
