package demo

import (
	"context"
	"fmt"

	"github.com/enlace-portal/enlace/internal/contact"
	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// contactStore is what the demo contacts need beyond Store; the sqlstore
// has it all.
type contactStore interface {
	contact.Store
	contact.Customers
	Customers(ctx context.Context) ([]customer.Customer, error)
}

// demoContacts are each demo customer's administrative and technical
// contacts, by customer number; the first of each kind is the principal.
var demoContacts = map[string][]contact.Input{
	"100200": {
		{Kind: contact.KindAdministrative, Principal: true, FirstName: "Marta", LastName: "Solís", Phone: "81 8340 1200",
			Extension: "310", Mobile: "81 1234 5601", Role: "billing", Email: "marta.solis@aurora.example", JobTitle: "Gerente de Finanzas"},
		{Kind: contact.KindAdministrative, FirstName: "Diego", LastName: "Paz", Phone: "81 8340 1200", Extension: "100",
			Role: "management", Email: "diego.paz@aurora.example", JobTitle: "Director General"},
		{Kind: contact.KindAdministrative, FirstName: "Alicia", LastName: "Garza", Phone: "81 8340 1200", Extension: "315",
			Role: "purchasing", Email: "alicia.garza@aurora.example", JobTitle: "Compras"},
		{Kind: contact.KindTechnical, Principal: true, FirstName: "Jorge", LastName: "Luna", Phone: "81 8340 1250",
			Mobile: "+52 1 81 1234 5602", Role: "operations", Email: "jorge.luna@aurora.example", JobTitle: "Jefe de Redes"},
		{Kind: contact.KindTechnical, FirstName: "Laura", LastName: "Vega", Phone: "81 8340 1251", Mobile: "81 1234 5603",
			Role: "escalation", Email: "laura.vega@aurora.example", JobTitle: "Directora de TI"},
		{Kind: contact.KindTechnical, FirstName: "Óscar", LastName: "Treviño", Phone: "844 410 2030", Role: "support",
			Email: "oscar.trevino@aurora.example", JobTitle: "Soporte, Sucursal Saltillo"},
	},
	"300400": {
		{Kind: contact.KindAdministrative, Principal: true, FirstName: "Patricia", LastName: "Ochoa", Phone: "55 5081 4400",
			Extension: "2100", Mobile: "55 1234 5604", Role: "billing", Email: "patricia.ochoa@santafe.example", JobTitle: "Contralora"},
		{Kind: contact.KindAdministrative, FirstName: "Ricardo", LastName: "Salas", Phone: "55 5081 4400", Extension: "2000",
			Role: "legal", Email: "ricardo.salas@santafe.example", JobTitle: "Jurídico"},
		{Kind: contact.KindTechnical, Principal: true, FirstName: "Carlos", LastName: "Ibarra", Phone: "55 5081 4410",
			Mobile: "55 1234 5605", Role: "operations", Email: "carlos.ibarra@santafe.example", JobTitle: "Jefe de Sistemas"},
		{Kind: contact.KindTechnical, FirstName: "Hanna", LastName: "Schmidt", Phone: "+49 30 1234567", Role: "escalation",
			Email: "hanna.schmidt@santafe.example", JobTitle: "Consultora de equipo médico"},
	},
}

// seedContacts gives both demo customers their contacts, entered through
// the contact service as the demo's staff administrator, so that they are
// validated and audited like any other.
func (s *seeder) seedContacts() error {
	store, ok := s.store.(contactStore)
	if !ok {
		return fmt.Errorf("demo contacts: the store lacks contacts")
	}
	admin, err := s.store.UserByEmail(s.ctx, staff[0].email)
	if err != nil {
		return err
	}
	ctx := enlace.WithActor(s.ctx, &enlace.Actor{UserID: admin.ID, Email: admin.Email, StaffRole: admin.StaffRole})
	svc := contact.NewService(store, store)
	cs, err := store.Customers(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		for _, in := range demoContacts[c.Number] {
			in.CustomerID = c.ID
			if _, err := svc.Create(ctx, in); err != nil {
				return fmt.Errorf("demo contact %s %s: %w", in.FirstName, in.LastName, err)
			}
		}
	}
	return nil
}
