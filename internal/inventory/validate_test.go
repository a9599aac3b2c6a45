package inventory_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
)

func fields(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, f := range enlace.AsError(err).Fields {
		out = append(out, f.Field+":"+f.Message)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func TestSiteValidate(t *testing.T) {
	good := func() inventory.Site {
		return inventory.Site{Name: "Matriz", AddressLine1: "Av. Constitución 100", City: "Monterrey",
			PostalCode: "64000", State: "Nuevo León"}
	}
	for _, tt := range []struct {
		name   string
		change func(*inventory.Site)
		want   []string
	}{
		{"good", func(*inventory.Site) {}, nil},
		{"abroad with region", func(s *inventory.Site) { s.Country, s.State, s.Region, s.PostalCode = "us", "", "Texas", "78701" }, nil},
		{"missing", func(s *inventory.Site) { *s = inventory.Site{} }, []string{"name:inventory.error.required",
			"address_line1:inventory.error.required", "city:inventory.error.required", "state:inventory.error.required",
			"postal_code:inventory.error.required"}},
		{"unknown state", func(s *inventory.Site) { s.State = "XYZ" }, []string{"state:inventory.error.state_unknown"}},
		{"state abroad", func(s *inventory.Site) { s.Country = "US" }, []string{"state:inventory.error.state_abroad"}},
		{"region in Mexico", func(s *inventory.Site) { s.Region = "Norte" }, []string{"region:inventory.error.region_in_mexico"}},
		{"bad postal code", func(s *inventory.Site) { s.PostalCode = "6400" }, []string{"postal_code:inventory.error.postal_code_mx"}},
		{"bad country", func(s *inventory.Site) { s.Country = "MEX" }, []string{"country:inventory.error.country"}},
		{"one coordinate", func(s *inventory.Site) { s.Latitude = ptr(25.6) }, []string{"latitude:inventory.error.coordinates_pair"}},
		{"coordinates out of range", func(s *inventory.Site) { s.Latitude, s.Longitude = ptr(91.0), ptr(-181.0) },
			[]string{"latitude:inventory.error.latitude", "longitude:inventory.error.longitude"}},
		{"coordinates", func(s *inventory.Site) { s.Latitude, s.Longitude = ptr(25.67), ptr(-100.31) }, nil},
		{"too long", func(s *inventory.Site) { s.City = string(make([]byte, 121)) }, []string{"city:inventory.error.too_long"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := good()
			tt.change(&s)
			s.Normalize()
			if diff := cmp.Diff(tt.want, fields(s.Validate())); diff != "" {
				t.Errorf("Validate() fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestServiceValidate(t *testing.T) {
	day := time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	good := func() inventory.Service {
		return inventory.Service{Key: " mty-int-0001 ", Category: "Conectividad", Product: "Internet dedicado 100 Mbps",
			SiteID: "s", BillingAccountID: "b", Status: "active", ActivatedOn: &day}
	}
	for _, tt := range []struct {
		name   string
		change func(*inventory.Service)
		want   []string
	}{
		{"good", func(*inventory.Service) {}, nil},
		{"activating without date", func(v *inventory.Service) { v.Status, v.ActivatedOn = "activating", nil }, nil},
		{"active without date", func(v *inventory.Service) { v.ActivatedOn = nil }, []string{"activated_on:inventory.error.activated_on_required"}},
		{"bad key", func(v *inventory.Service) { v.Key = "mty int" }, []string{"service_key:inventory.error.key_format"}},
		{"accented key", func(v *inventory.Service) { v.Key = "AÑO-1" }, []string{"service_key:inventory.error.key_format"}},
		{"missing", func(v *inventory.Service) { *v = inventory.Service{} }, []string{"service_key:inventory.error.required",
			"category:inventory.error.category", "product:inventory.error.required", "site_id:inventory.error.required",
			"billing_account_id:inventory.error.required", "status:inventory.error.status"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := good()
			tt.change(&v)
			v.Normalize()
			if diff := cmp.Diff(tt.want, fields(v.Validate())); diff != "" {
				t.Errorf("Validate() fields (-want +got):\n%s", diff)
			}
		})
	}
	v := good()
	v.Normalize()
	if v.Key != "MTY-INT-0001" || v.Category != inventory.CategoryConnectivity {
		t.Errorf("Normalize() = key %q category %q", v.Key, v.Category)
	}
}
