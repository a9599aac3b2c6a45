package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// inventoryStore is what the demo inventory needs beyond Store; the
// sqlstore has it all.
type inventoryStore interface {
	inventory.Store
	Customers(ctx context.Context) ([]customer.Customer, error)
}

// demoSite is a place where a demo customer has services.
type demoSite struct {
	name, street, city, postal, state, country, region string
	lat, lon                                           float64
}

var demoSites = []demoSite{
	{"Corporativo", "Av. Constitución 405 Pte.", "Monterrey", "64000", "NLE", "MX", "", 25.6714, -100.3089},
	{"Oficina Guadalajara", "Av. Vallarta 6503", "Zapopan", "45010", "JAL", "MX", "", 20.6767, -103.4167},
	{"Oficina CDMX", "Paseo de la Reforma 250", "Ciudad de México", "06600", "CMX", "MX", "", 19.4270, -99.1676},
	{"Planta Querétaro", "Av. 5 de Febrero 1303", "Querétaro", "76120", "QUE", "MX", "", 20.6122, -100.4070},
	{"Sucursal Saltillo", "Blvd. Venustiano Carranza 2200", "Saltillo", "25280", "COA", "MX", "", 25.4383, -100.9737},
	{"Sucursal Mérida", "Calle 60 No. 345", "Mérida", "97000", "YUC", "MX", "", 20.9674, -89.6237},
	{"Almacén Puebla", "Vía Atlixcáyotl 5208", "Puebla", "72190", "PUE", "MX", "", 19.0326, -98.2329},
	{"Oficina Tijuana", "Blvd. Agua Caliente 10611", "Tijuana", "22420", "BCN", "MX", "", 32.5149, -117.0382},
	{"Oficina Houston", "1200 Smith St", "Houston", "77002", "", "US", "Texas", 29.7560, -95.3690},
}

// demoProducts are a few products of each category.
var demoProducts = map[string][]string{
	inventory.CategoryTelco:         {"Troncal SIP 30 canales", "Línea digital E1", "Numeración 800"},
	inventory.CategoryCollaboration: {"Microsoft Teams Phone", "Exchange hospedado", "Videoconferencia Webex"},
	inventory.CategoryConnectivity:  {"Internet dedicado 100 Mbps", "MPLS 50 Mbps", "SD-WAN sucursal"},
	inventory.CategoryIT:            {"Servidor virtual", "Respaldo en la nube", "Colocation 1U"},
	inventory.CategoryCybersecurity: {"Firewall administrado", "Antispam corporativo", "SOC 24x7"},
	inventory.CategoryMobility:      {"Plan empresarial 20 GB", "Localizador vehicular", "Línea IoT"},
}

// categoryCodes abbreviate the categories in demo service keys.
var categoryCodes = map[string]string{inventory.CategoryTelco: "TEL", inventory.CategoryCollaboration: "COL",
	inventory.CategoryConnectivity: "CON", inventory.CategoryIT: "TI", inventory.CategoryCybersecurity: "SEG",
	inventory.CategoryMobility: "MOV"}

// seedInventory gives every demo customer sites in several states and a
// few hundred services across every category. The data are generated
// from a fixed seed, so every demo holds the same inventory, and written
// with one import per customer.
func (s *seeder) seedInventory() error {
	store, ok := s.store.(inventoryStore)
	if !ok {
		return nil // a store without the inventory: nothing to seed
	}
	admin, err := s.store.UserByEmail(s.ctx, staff[0].email)
	if err != nil {
		return err
	}
	ctx := enlace.WithActor(s.ctx, &enlace.Actor{UserID: admin.ID, Email: admin.Email, StaffRole: admin.StaffRole})
	inv := inventory.NewManager(store, s.clock)
	all, err := store.Customers(s.ctx)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2026, 3))
	for i, dc := range customers {
		var cust *customer.Customer
		for j := range all {
			if all[j].Number == dc.number {
				cust = &all[j]
			}
		}
		if cust == nil {
			return fmt.Errorf("seed inventory: no customer %s", dc.number)
		}
		accounts, err := store.BillingAccounts(s.ctx, cust.ID)
		if err != nil {
			return err
		}
		sites, services := demoInventory(rng, dc, i, accounts, s.clock.Now(), 300-100*i)
		if err := inv.Import(ctx, cust.ID, sites, services); err != nil {
			return fmt.Errorf("seed inventory of %s: %w", dc.name, err)
		}
	}
	return nil
}

// demoInventory makes the sites and n services of the i-th demo customer.
func demoInventory(rng *rand.Rand, dc demoCustomer, i int, accounts []customer.BillingAccount, now time.Time, n int) ([]inventory.Site, []inventory.Service) {
	var sites []inventory.Site
	for j, d := range demoSites {
		if (i+j)%4 == 3 {
			continue // each customer is somewhere else
		}
		lat, lon := d.lat, d.lon
		s := inventory.Site{ID: enlace.NewID(), Name: d.name, AddressLine1: d.street, City: d.city, PostalCode: d.postal,
			State: d.state, Country: d.country, Region: d.region, Latitude: &lat, Longitude: &lon}
		if len(accounts) > 0 {
			s.BillingAccountID = accounts[j%len(accounts)].ID
		}
		sites = append(sites, s)
	}
	statuses := []string{inventory.StatusActive, inventory.StatusActive, inventory.StatusActive, inventory.StatusActive,
		inventory.StatusActive, inventory.StatusActive, inventory.StatusActivating, inventory.StatusSuspended, inventory.StatusRetired}
	services := make([]inventory.Service, 0, n)
	for k := range n {
		cat := inventory.Categories[k%len(inventory.Categories)]
		site := sites[rng.IntN(len(sites))]
		account := accounts[rng.IntN(len(accounts))].ID
		if site.BillingAccountID != "" && rng.IntN(3) > 0 {
			account = site.BillingAccountID
		}
		status := statuses[rng.IntN(len(statuses))]
		v := inventory.Service{Key: fmt.Sprintf("%s-%s-%05d", dc.number, categoryCodes[cat], 10000+k*7),
			Category: cat, Product: demoProducts[cat][rng.IntN(3)], SiteID: site.ID, BillingAccountID: account, Status: status}
		if status != inventory.StatusActivating {
			day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -30-rng.IntN(1500))
			v.ActivatedOn = &day
		}
		services = append(services, v)
	}
	return sites, services
}
