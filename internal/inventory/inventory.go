// Package inventory holds what a customer has bought and where (B1, B2):
// sites — addresses in a Mexican state or another region — and services,
// each with its service key ("llave de servicio"), category, product,
// site, billing account, status and activation date. Staff create, edit
// and retire them; customer users see the services of the billing accounts
// they may see, and the sites those services stand on.
package inventory

import (
	"time"

	"github.com/enlace-portal/enlace/internal/i18n"
)

// Site is a place where a customer receives services.
type Site struct {
	ID         string `json:"id" db:"id"`
	CustomerID string `json:"customerId" db:"customer_id"`
	// BillingAccountID is optional: the account the site is billed to, if one.
	BillingAccountID string `json:"billingAccountId,omitempty" db:"billing_account_id"`
	Name             string `json:"name" db:"name"`
	AddressLine1     string `json:"addressLine1" db:"address_line1"`
	AddressLine2     string `json:"addressLine2,omitempty" db:"address_line2"`
	City             string `json:"city" db:"city"`
	PostalCode       string `json:"postalCode" db:"postal_code"`
	// State is the code of a Mexican state (States) for sites in Mexico,
	// empty elsewhere.
	State string `json:"state,omitempty" db:"state"`
	// Region is the free-text region of a site outside Mexico.
	Region string `json:"region,omitempty" db:"region"`
	// Country is the ISO 3166-1 alpha-2 code, "MX" for Mexico.
	Country   string     `json:"country" db:"country"`
	Latitude  *float64   `json:"latitude,omitempty" db:"latitude"`
	Longitude *float64   `json:"longitude,omitempty" db:"longitude"`
	RetiredAt *time.Time `json:"retiredAt,omitempty" db:"retired_at"`
	CreatedAt time.Time  `json:"createdAt" db:"created_at"`
	UpdatedAt time.Time  `json:"updatedAt" db:"updated_at"`
}

// Retired reports whether the site has been retired.
func (s *Site) Retired() bool { return s.RetiredAt != nil }

// Service is one service a customer has with the provider.
type Service struct {
	ID               string `json:"id" db:"id"`
	CustomerID       string `json:"customerId" db:"customer_id"`
	BillingAccountID string `json:"billingAccountId" db:"billing_account_id"`
	SiteID           string `json:"siteId" db:"site_id"`
	// Key is the service key, unique across every customer; stored upper-case.
	Key      string `json:"serviceKey" db:"service_key"`
	Category string `json:"category" db:"category"`
	Product  string `json:"product" db:"product"`
	Status   string `json:"status" db:"status"`
	// State is a copy of the site's state, kept by the store, so that the
	// services of a customer count and page by state along one index.
	State       string     `json:"state,omitempty" db:"state"`
	ActivatedOn *time.Time `json:"activatedOn,omitempty" db:"activated_on"`
	CreatedAt   time.Time  `json:"createdAt" db:"created_at"`
	UpdatedAt   time.Time  `json:"updatedAt" db:"updated_at"`
	// Read with a service for display, never written.
	SiteName      string `json:"-" db:"site_name"`
	SiteCity      string `json:"-" db:"site_city"`
	AccountNumber string `json:"-" db:"account_number"`
}

// Service categories (B1).
const (
	CategoryTelco         = "telco"
	CategoryCollaboration = "collaboration"
	CategoryConnectivity  = "connectivity"
	CategoryIT            = "it"
	CategoryCybersecurity = "cybersecurity"
	CategoryMobility      = "mobility"
)

// Categories lists the categories in the order screens show them; their
// names are the catalogue keys inventory.category.<code>.
var Categories = []string{CategoryTelco, CategoryCollaboration, CategoryConnectivity, CategoryIT,
	CategoryCybersecurity, CategoryMobility}

// categoryNames are the Spanish names the provider's files use, for ParseCategory.
var categoryNames = map[string]string{
	"telco": CategoryTelco, "colaboracion": CategoryCollaboration, "conectividad": CategoryConnectivity,
	"ti": CategoryIT, "ciberseguridad": CategoryCybersecurity, "movilidad": CategoryMobility,
	"collaboration": CategoryCollaboration, "connectivity": CategoryConnectivity, "it": CategoryIT,
	"cybersecurity": CategoryCybersecurity, "mobility": CategoryMobility,
}

// ParseCategory reads a category by code or by its Spanish or English name,
// ignoring case and accents ("Colaboración", "colaboracion", "collaboration").
func ParseCategory(s string) (string, bool) {
	c, ok := categoryNames[i18n.Fold(s)]
	return c, ok
}

// MexicanState is one of the 32 federal entities of Mexico, by its
// ISO 3166-2:MX code.
type MexicanState struct {
	Code string
	Name string
}

// OtherRegion is the group key of sites outside Mexico, which have no state.
const OtherRegion = ""

// States lists the 32 federal entities of Mexico in alphabetical order.
// Their names are proper names and read the same in every language.
var States = []MexicanState{
	{"AGU", "Aguascalientes"}, {"BCN", "Baja California"}, {"BCS", "Baja California Sur"},
	{"CAM", "Campeche"}, {"CHP", "Chiapas"}, {"CHH", "Chihuahua"}, {"CMX", "Ciudad de México"},
	{"COA", "Coahuila"}, {"COL", "Colima"}, {"DUR", "Durango"}, {"MEX", "Estado de México"},
	{"GUA", "Guanajuato"}, {"GRO", "Guerrero"}, {"HID", "Hidalgo"}, {"JAL", "Jalisco"},
	{"MIC", "Michoacán"}, {"MOR", "Morelos"}, {"NAY", "Nayarit"}, {"NLE", "Nuevo León"},
	{"OAX", "Oaxaca"}, {"PUE", "Puebla"}, {"QUE", "Querétaro"}, {"ROO", "Quintana Roo"},
	{"SLP", "San Luis Potosí"}, {"SIN", "Sinaloa"}, {"SON", "Sonora"}, {"TAB", "Tabasco"},
	{"TAM", "Tamaulipas"}, {"TLA", "Tlaxcala"}, {"VER", "Veracruz"}, {"YUC", "Yucatán"},
	{"ZAC", "Zacatecas"},
}

var stateByKey = func() map[string]string {
	m := map[string]string{"cdmx": "CMX", "df": "CMX", "distrito federal": "CMX", "mexico": "MEX",
		"edomex": "MEX", "estado de mexico": "MEX", "coahuila de zaragoza": "COA", "veracruz de ignacio de la llave": "VER",
		"michoacan de ocampo": "MIC"}
	for _, s := range States {
		m[i18n.Fold(s.Code)] = s.Code
		m[i18n.Fold(s.Name)] = s.Code
	}
	return m
}()

// ParseState reads a Mexican state by code ("NLE") or name ("Nuevo León",
// "nuevo leon", "CDMX"), ignoring case and accents.
func ParseState(s string) (string, bool) {
	c, ok := stateByKey[i18n.Fold(s)]
	return c, ok
}

// StateName returns the name of a state code, empty for an unknown one.
func StateName(code string) string {
	for _, s := range States {
		if s.Code == code {
			return s.Name
		}
	}
	return ""
}
