package importer

import (
	"time"

	"github.com/enlace-portal/enlace/internal/inventory"
)

// stagedData is what a staged row holds, in short JSON: the site the row
// introduced, if any, and its service. Fifty thousand rows are staged and
// read back in seconds, so every byte counts.
type stagedData struct {
	Site    *stagedSite    `json:"s,omitempty"`
	Service *stagedService `json:"v,omitempty"`
}

type stagedSite struct {
	ID        string   `json:"id"`
	Name      string   `json:"n"`
	Address1  string   `json:"a1,omitempty"`
	Address2  string   `json:"a2,omitempty"`
	City      string   `json:"c,omitempty"`
	Postal    string   `json:"pc,omitempty"`
	State     string   `json:"st,omitempty"`
	Region    string   `json:"r,omitempty"`
	Country   string   `json:"co,omitempty"`
	Latitude  *float64 `json:"la,omitempty"`
	Longitude *float64 `json:"lo,omitempty"`
}

type stagedService struct {
	Key      string `json:"k"`
	Category string `json:"c"`
	Product  string `json:"p"`
	Account  string `json:"a"`
	Site     string `json:"s"`
	Status   string `json:"st"`
	State    string `json:"ms,omitempty"`
	// Activated is the activation date, YYYY-MM-DD.
	Activated string `json:"d,omitempty"`
}

func stageSite(s *inventory.Site) *stagedSite {
	return &stagedSite{ID: s.ID, Name: s.Name, Address1: s.AddressLine1, Address2: s.AddressLine2, City: s.City,
		Postal: s.PostalCode, State: s.State, Region: s.Region, Country: s.Country, Latitude: s.Latitude, Longitude: s.Longitude}
}

func (s *stagedSite) site() inventory.Site {
	return inventory.Site{ID: s.ID, Name: s.Name, AddressLine1: s.Address1, AddressLine2: s.Address2, City: s.City,
		PostalCode: s.Postal, State: s.State, Region: s.Region, Country: s.Country, Latitude: s.Latitude, Longitude: s.Longitude}
}

func stageService(v *inventory.Service) *stagedService {
	st := &stagedService{Key: v.Key, Category: v.Category, Product: v.Product, Account: v.BillingAccountID,
		Site: v.SiteID, Status: v.Status, State: v.State}
	if v.ActivatedOn != nil {
		st.Activated = v.ActivatedOn.Format(time.DateOnly)
	}
	return st
}

func (st *stagedService) service() inventory.Service {
	v := inventory.Service{Key: st.Key, Category: st.Category, Product: st.Product, BillingAccountID: st.Account,
		SiteID: st.Site, Status: st.Status, State: st.State}
	if d, err := time.Parse(time.DateOnly, st.Activated); err == nil {
		v.ActivatedOn = &d
	}
	return v
}
