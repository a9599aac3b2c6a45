// Package customer holds the tenants of Enlace: customers, their billing
// accounts and the invoice records printed on their bills. The inventory
// module grows from here; identity needs these to scope users and to check
// self-registrations.
package customer

import "time"

// Customer is a tenant: a company the provider serves.
type Customer struct {
	ID     string `json:"id" db:"id"`
	Number string `json:"number" db:"number"`
	Name   string `json:"name" db:"name"`
	// Retired customers stay readable, marked, and are left out of pickers.
	Retired   bool       `json:"retired" db:"retired"`
	RetiredAt *time.Time `json:"retiredAt,omitempty" db:"retired_at"`
	CreatedAt time.Time  `json:"createdAt" db:"created_at"`
	UpdatedAt time.Time  `json:"updatedAt" db:"updated_at"`
}

// BillingAccount is one of a customer's accounts; its number is printed on
// every invoice.
type BillingAccount struct {
	ID         string     `json:"id" db:"id"`
	CustomerID string     `json:"customerId" db:"customer_id"`
	Number     string     `json:"number" db:"number"`
	Name       string     `json:"name" db:"name"`
	Retired    bool       `json:"retired" db:"retired"`
	RetiredAt  *time.Time `json:"retiredAt,omitempty" db:"retired_at"`
	CreatedAt  time.Time  `json:"createdAt" db:"created_at"`
	UpdatedAt  time.Time  `json:"updatedAt" db:"updated_at"`
}

// Invoice is the record of an invoice issued on a billing account.
type Invoice struct {
	ID               string    `json:"id" db:"id"`
	CustomerID       string    `json:"customerId" db:"customer_id"`
	BillingAccountID string    `json:"billingAccountId" db:"billing_account_id"`
	Number           string    `json:"number" db:"number"`
	IssuedOn         time.Time `json:"issuedOn" db:"issued_on"`
	CreatedAt        time.Time `json:"createdAt" db:"created_at"`
}
