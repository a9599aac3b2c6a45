package inventory

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Field limits.
const (
	maxText    = 120
	maxKey     = 40
	maxPostal  = 12
	maxAddress = 200
)

var (
	// Service keys are upper-case letters, digits and . _ / - so that they
	// sort and prefix-search the same in every database collation.
	keyPattern     = regexp.MustCompile(`^[A-Z0-9][A-Z0-9._/-]{2,39}$`)
	mxPostal       = regexp.MustCompile(`^[0-9]{5}$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
)

// Normalize trims the site's text and upper-cases its codes; a state given
// by name becomes its code.
func (s *Site) Normalize() {
	for _, p := range []*string{&s.Name, &s.AddressLine1, &s.AddressLine2, &s.City, &s.PostalCode, &s.Region, &s.BillingAccountID} {
		*p = strings.TrimSpace(*p)
	}
	s.Country = strings.ToUpper(strings.TrimSpace(s.Country))
	if s.Country == "" {
		s.Country = "MX"
	}
	if code, ok := ParseState(s.State); ok {
		s.State = code
	} else {
		s.State = strings.ToUpper(strings.TrimSpace(s.State))
	}
}

// Validate checks a normalized site, reporting every field at once. Field
// names are those of the forms (address_line1); the API turns them into
// JSON Pointers.
func (s *Site) Validate() error {
	var errs []enlace.FieldError
	errs = text(errs, "name", s.Name, true, maxText)
	errs = text(errs, "address_line1", s.AddressLine1, true, maxAddress)
	errs = text(errs, "address_line2", s.AddressLine2, false, maxAddress)
	errs = text(errs, "city", s.City, true, maxText)
	errs = text(errs, "region", s.Region, false, maxText)
	switch {
	case !countryPattern.MatchString(s.Country):
		errs = append(errs, enlace.Field("country", "inventory.error.country"))
	case s.Country == "MX":
		if s.State == "" {
			errs = append(errs, enlace.Field("state", "inventory.error.required"))
		} else if StateName(s.State) == "" {
			errs = append(errs, enlace.Field("state", "inventory.error.state_unknown"))
		}
		if s.Region != "" {
			errs = append(errs, enlace.Field("region", "inventory.error.region_in_mexico"))
		}
		if s.PostalCode == "" {
			errs = append(errs, enlace.Field("postal_code", "inventory.error.required"))
		} else if !mxPostal.MatchString(s.PostalCode) {
			errs = append(errs, enlace.Field("postal_code", "inventory.error.postal_code_mx"))
		}
	default:
		if s.State != "" {
			errs = append(errs, enlace.Field("state", "inventory.error.state_abroad"))
		}
		errs = text(errs, "postal_code", s.PostalCode, false, maxPostal)
	}
	switch {
	case (s.Latitude == nil) != (s.Longitude == nil):
		errs = append(errs, enlace.Field("latitude", "inventory.error.coordinates_pair"))
	case s.Latitude != nil:
		if *s.Latitude < -90 || *s.Latitude > 90 || *s.Latitude != *s.Latitude {
			errs = append(errs, enlace.Field("latitude", "inventory.error.latitude"))
		}
		if *s.Longitude < -180 || *s.Longitude > 180 || *s.Longitude != *s.Longitude {
			errs = append(errs, enlace.Field("longitude", "inventory.error.longitude"))
		}
	}
	return enlace.Invalid(errs)
}

// Normalize trims the service's text and upper-cases its key.
func (v *Service) Normalize() {
	v.Key = strings.ToUpper(strings.TrimSpace(v.Key))
	v.Product = strings.TrimSpace(v.Product)
	v.SiteID = strings.TrimSpace(v.SiteID)
	v.BillingAccountID = strings.TrimSpace(v.BillingAccountID)
	if c, ok := ParseCategory(v.Category); ok {
		v.Category = c
	}
	v.Status = strings.ToLower(strings.TrimSpace(v.Status))
}

// Validate checks a normalized service on its own; that its site and
// billing account are the customer's is checked against the store.
func (v *Service) Validate() error {
	var errs []enlace.FieldError
	switch {
	case v.Key == "":
		errs = append(errs, enlace.Field("service_key", "inventory.error.required"))
	case !keyPattern.MatchString(v.Key):
		errs = append(errs, enlace.Field("service_key", "inventory.error.key_format"))
	}
	if !slices.Contains(Categories, v.Category) {
		errs = append(errs, enlace.Field("category", "inventory.error.category"))
	}
	errs = text(errs, "product", v.Product, true, maxText)
	if v.SiteID == "" {
		errs = append(errs, enlace.Field("site_id", "inventory.error.required"))
	}
	if v.BillingAccountID == "" {
		errs = append(errs, enlace.Field("billing_account_id", "inventory.error.required"))
	}
	if !slices.Contains(Statuses, v.Status) {
		errs = append(errs, enlace.Field("status", "inventory.error.status"))
	} else if v.Status != StatusActivating && v.ActivatedOn == nil {
		errs = append(errs, enlace.Field("activated_on", "inventory.error.activated_on_required"))
	}
	return enlace.Invalid(errs)
}

// text checks a free-text field: present when required, not too long.
func text(errs []enlace.FieldError, field, value string, required bool, max int) []enlace.FieldError {
	switch {
	case required && value == "":
		return append(errs, enlace.Field(field, "inventory.error.required"))
	case utf8.RuneCountInString(value) > max:
		return append(errs, enlace.Field(field, "inventory.error.too_long", "Max", max))
	case strings.ContainsAny(value, "\x00\r\n\t"):
		return append(errs, enlace.Field(field, "inventory.error.control_chars"))
	}
	return errs
}
