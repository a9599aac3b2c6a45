package tmf

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/ordering"
)

// Item actions (ItemActionType).
var itemActions = []string{"add", "modify", "delete", "noChange"}

// orderInput is what Enlace reads of a product order body; the whole body
// is kept as sent besides. Both the v4 and the v5 shapes are understood.
type orderInput struct {
	ProductOrderItem        *[]itemInput    `json:"productOrderItem"`
	RelatedParty            []partyInput    `json:"relatedParty"`
	BillingAccount          *refInput       `json:"billingAccount"`
	ExternalID              json.RawMessage `json:"externalId"`
	Category                string          `json:"category"`
	Priority                string          `json:"priority"`
	Description             string          `json:"description"`
	NotificationContact     string          `json:"notificationContact"`
	RequestedStartDate      string          `json:"requestedStartDate"`
	RequestedCompletionDate string          `json:"requestedCompletionDate"`
	Note                    []noteInput     `json:"note"`
}

type itemInput struct {
	ID              string        `json:"id"`
	Action          string        `json:"action"`
	Quantity        *int          `json:"quantity"`
	ProductOffering *refInput     `json:"productOffering"`
	BillingAccount  *refInput     `json:"billingAccount"`
	Product         *productInput `json:"product"`
}

// refInput is an entity reference (productOffering, billingAccount,
// partyOrPartyRole, place).
type refInput struct {
	ID           string `json:"id"`
	Href         string `json:"href"`
	Name         string `json:"name"`
	ReferredType string `json:"@referredType"`
}

// partyInput is a v4 RelatedParty or a v5 RelatedPartyRefOrPartyRoleRef.
type partyInput struct {
	refInput
	Role             string    `json:"role"`
	PartyOrPartyRole *refInput `json:"partyOrPartyRole"`
}

func (p partyInput) ref() refInput {
	if p.PartyOrPartyRole != nil {
		return *p.PartyOrPartyRole
	}
	return p.refInput
}

type productInput struct {
	Place                 []placeInput `json:"place"`
	ProductCharacteristic []charInput  `json:"productCharacteristic"`
}

// placeInput is a v4 RelatedPlaceRefOrValue (id) or a v5 one (place.id).
type placeInput struct {
	ID    string    `json:"id"`
	Role  string    `json:"role"`
	Place *refInput `json:"place"`
}

type charInput struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

type noteInput struct {
	Text *string `json:"text"`
}

// parseOrder reads a product order body, in either version's shape: the
// attributes Enlace reads, checked, and the body as the document to keep.
func parseOrder(raw []byte) (*ordering.OrderInput, error) {
	var in orderInput
	if err := unmarshal(raw, &in); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	doc, err := decodeObject(raw)
	if err != nil {
		return nil, err
	}
	return in.order(doc), nil
}

// order returns what ordering reads of a checked order.
func (in *orderInput) order(doc map[string]any) *ordering.OrderInput {
	start, _ := parseDate(in.RequestedStartDate) // checked
	out := &ordering.OrderInput{ExternalID: in.externalID(), Category: in.Category, Priority: in.Priority,
		BillingAccount: refID(in.BillingAccount), RequestedStartDate: start, Document: doc}
	for _, p := range in.RelatedParty {
		ref := p.ref()
		out.Parties = append(out.Parties, ordering.Party{ID: ref.ID, Role: p.Role, ReferredType: ref.ReferredType})
	}
	for _, it := range *in.ProductOrderItem {
		item := ordering.ItemInput{ID: it.ID, Action: it.Action, BillingAccount: refID(it.BillingAccount)}
		if it.ProductOffering != nil {
			item.OfferingID, item.OfferingName = it.ProductOffering.ID, it.ProductOffering.Name
		}
		if p := it.Product; p != nil {
			for _, pl := range p.Place {
				if pl.Place != nil && pl.Place.ID != "" {
					item.Places = append(item.Places, pl.Place.ID)
				} else if pl.ID != "" {
					item.Places = append(item.Places, pl.ID)
				}
			}
			for _, c := range p.ProductCharacteristic {
				item.Characteristics = append(item.Characteristics, ordering.Characteristic{Name: c.Name, Value: c.Value})
			}
		}
		out.Items = append(out.Items, item)
	}
	return out
}

// refID is the id of a reference; "" when there is none.
func refID(ref *refInput) string {
	if ref == nil {
		return ""
	}
	return ref.ID
}

type cancelInput struct {
	ProductOrder              *refInput `json:"productOrder"`
	CancellationReason        string    `json:"cancellationReason"`
	RequestedCancellationDate string    `json:"requestedCancellationDate"`
}

// parseCancel reads a cancelProductOrder body.
func parseCancel(raw []byte) (ordering.CancelInput, error) {
	var in cancelInput
	if err := unmarshal(raw, &in); err != nil {
		return ordering.CancelInput{}, err
	}
	var errs []enlace.FieldError
	if in.ProductOrder == nil || in.ProductOrder.ID == "" {
		errs = append(errs, enlace.Field("productOrder", "tmf622.product_order_required"))
	}
	requested, err := parseDate(in.RequestedCancellationDate)
	if err != nil {
		errs = append(errs, enlace.Field("requestedCancellationDate", "tmf622.date_invalid"))
	}
	if err := enlace.Invalid(errs); err != nil {
		return ordering.CancelInput{}, err
	}
	return ordering.CancelInput{OrderID: in.ProductOrder.ID, Reason: in.CancellationReason, RequestedDate: requested}, nil
}

type hubInput struct {
	Callback *string `json:"callback"`
	Query    string  `json:"query"`
}

// parseHub reads a subscription body sent to version v.
func parseHub(raw []byte, v apiVersion) (ordering.HubInput, error) {
	var in hubInput
	if err := unmarshal(raw, &in); err != nil {
		return ordering.HubInput{}, err
	}
	out := ordering.HubInput{Version: v.name, Query: in.Query}
	if in.Callback != nil {
		out.Callback = *in.Callback
	}
	return out, nil
}

// unmarshal decodes a body into dst, answering a wrong type with the path
// of the attribute.
func unmarshal(raw []byte, dst any) error {
	if err := json.Unmarshal(raw, dst); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return statusError(http.StatusBadRequest, "tmf.wrong_type", "Field", typ.Field)
		}
		return statusError(http.StatusBadRequest, "tmf.json_invalid")
	}
	return nil
}

// decodeObject decodes a JSON object keeping numbers as written.
func decodeObject(raw []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, statusError(http.StatusBadRequest, "api.json_not_object")
	}
	return m, nil
}

func (in *orderInput) validate() error {
	var errs []enlace.FieldError
	if in.ProductOrderItem == nil || len(*in.ProductOrderItem) == 0 {
		errs = append(errs, enlace.Field("productOrderItem", "tmf622.items_required"))
	} else {
		seen := map[string]bool{}
		for _, it := range *in.ProductOrderItem {
			switch {
			case strings.TrimSpace(it.ID) == "":
				errs = append(errs, enlace.Field("productOrderItem.id", "tmf.required"))
			case seen[it.ID]:
				errs = append(errs, enlace.Field("productOrderItem.id", "tmf622.item_id_taken", "ID", it.ID))
			}
			seen[it.ID] = true
			if !slices.Contains(itemActions, it.Action) {
				errs = append(errs, enlace.Field("productOrderItem.action", "tmf622.action_invalid", "Choices", strings.Join(itemActions, ", ")))
			}
			if it.ProductOffering != nil && it.ProductOffering.ID == "" && it.ProductOffering.Name == "" {
				errs = append(errs, enlace.Field("productOrderItem.productOffering", "tmf622.ref_id"))
			}
			if it.BillingAccount != nil && it.BillingAccount.ID == "" {
				errs = append(errs, enlace.Field("productOrderItem.billingAccount", "tmf622.ref_id"))
			}
			if it.Quantity != nil && *it.Quantity < 1 {
				errs = append(errs, enlace.Field("productOrderItem.quantity", "tmf622.quantity"))
			}
		}
	}
	for _, p := range in.RelatedParty {
		if p.ref().ID == "" {
			errs = append(errs, enlace.Field("relatedParty", "tmf622.ref_id"))
			break
		}
	}
	if in.BillingAccount != nil && in.BillingAccount.ID == "" {
		errs = append(errs, enlace.Field("billingAccount", "tmf622.ref_id"))
	}
	for name, v := range map[string]string{"requestedStartDate": in.RequestedStartDate, "requestedCompletionDate": in.RequestedCompletionDate} {
		if _, err := parseDate(v); err != nil {
			errs = append(errs, enlace.Field(name, "tmf622.date_invalid"))
		}
	}
	for _, n := range in.Note {
		if n.Text == nil {
			errs = append(errs, enlace.Field("note.text", "tmf.required"))
			break
		}
	}
	if !validExternalID(in.ExternalID) {
		errs = append(errs, enlace.Field("externalId", "tmf622.external_id"))
	}
	return enlace.Invalid(errs)
}

// validExternalID reports whether an externalId is a string (v4) or an
// array of ExternalIdentifier objects (v5).
func validExternalID(raw json.RawMessage) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return true
	}
	var ids []struct {
		ID string `json:"id"`
	}
	return json.Unmarshal(raw, &ids) == nil
}

// externalID returns the order's identifier in the CRM: the v4 string, or
// the id of the first v5 ExternalIdentifier.
func (in *orderInput) externalID() string {
	var s string
	if json.Unmarshal(in.ExternalID, &s) == nil {
		return s
	}
	var ids []struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(in.ExternalID, &ids) == nil && len(ids) > 0 {
		return ids[0].ID
	}
	return ""
}

// parseDate reads an ISO 8601 date-time; empty is the zero time.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}
