package demo

import "github.com/enlace-portal/enlace/internal/identity"

type person struct {
	email, first, last, role, access, area string
}

type demoCustomer struct {
	number, name string
	accounts     []string
	accountNames []string
	people       []person
}

// staff has one provider user of every staff role.
var staff = []struct{ email, first, last, role string }{
	{"admin@enlace.example", "Adriana", "Montes", identity.StaffAdmin},
	{"pm@enlace.example", "Pablo", "Medina", identity.StaffPM},
	{"soporte@enlace.example", "Sofía", "Ortega", identity.StaffSupport},
	{"tecnico@enlace.example", "Tomás", "Cruz", identity.StaffTechnician},
	{"ejecutivo@enlace.example", "Elena", "Ríos", identity.StaffAccountExec},
}

// customers have several billing accounts and a user of every customer
// role; Laura Vega works for both.
var customers = []demoCustomer{
	{
		number: "100200", name: "Grupo Aurora",
		accounts:     []string{"8100-0001", "8100-0002", "8100-0003"},
		accountNames: []string{"Corporativo Monterrey", "Sucursal Saltillo", "Centro de datos"},
		people: []person{
			{"laura.vega@aurora.example", "Laura", "Vega", identity.RoleAdmin, identity.AccessFull, "TI"},
			{"jorge.luna@aurora.example", "Jorge", "Luna", identity.RoleTechnical, identity.AccessFull, "Redes"},
			{"marta.solis@aurora.example", "Marta", "Solís", identity.RoleBilling, identity.AccessFull, "Finanzas"},
			{"diego.paz@aurora.example", "Diego", "Paz", identity.RoleSigner, identity.AccessFull, "Dirección"},
			{"ines.mora@aurora.example", "Inés", "Mora", identity.RoleUser, identity.AccessReadOnly, "Ventas"},
		},
	},
	{
		number: "300400", name: "Clínica Santa Fe",
		accounts:     []string{"8200-0001", "8200-0002"},
		accountNames: []string{"Hospital central", "Consultorios norte"},
		people: []person{
			{"carlos.ibarra@santafe.example", "Carlos", "Ibarra", identity.RoleAdmin, identity.AccessFull, "Sistemas"},
			{"laura.vega@aurora.example", "Laura", "Vega", identity.RoleTechnical, identity.AccessFull, "Consultoría"},
			{"rosa.nunez@santafe.example", "Rosa", "Núñez", identity.RoleUser, identity.AccessReadOnly, "Recepción"},
		},
	},
}
