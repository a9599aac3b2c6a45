package importer

import (
	"strconv"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/inventory"
)

// batch is a file turned into the inventory's terms: the new sites, one
// service per row, and what was wrong with each row.
type batch struct {
	sites    []inventory.Site
	services []inventory.Service
	// siteLine and serviceLine are the file lines of each site (the row
	// that introduced it) and of each service.
	siteLine    []int
	serviceLine []int
	// problems are the findings by line.
	problems map[int][]Problem
	// existingSites counts the customer's sites the file names.
	existingSites map[string]bool
}

// customerData is what a file is checked against.
type customerData struct {
	accounts map[string]string // folded number -> id
	sites    map[string]string // folded name -> id of a site not retired
}

func newCustomerData(bas []customer.BillingAccount, sites []inventory.Site) customerData {
	d := customerData{accounts: map[string]string{}, sites: map[string]string{}}
	for _, b := range bas {
		if b.RetiredAt == nil {
			d.accounts[strings.ToUpper(strings.TrimSpace(b.Number))] = b.ID
		}
	}
	for _, s := range sites {
		if !s.Retired() {
			d.sites[i18n.Fold(s.Name)] = s.ID
		}
	}
	return d
}

// convert reads every row into a service and, for the first row naming a
// site the customer does not have, a new site.
func convert(f *File, d customerData) *batch {
	h := f.header
	b := &batch{problems: map[int][]Problem{}, existingSites: map[string]bool{}}
	newByName := map[string]int{}
	for _, row := range f.Rows {
		if row.Err != nil {
			b.problems[row.Line] = append(b.problems[row.Line], *row.Err)
			continue
		}
		rec := row.Cells
		add := func(col, key string, args ...any) {
			b.problems[row.Line] = append(b.problems[row.Line], problem(h.name(col), key, args...))
		}
		v := inventory.Service{Key: h.get(rec, ColServiceKey), Product: h.get(rec, ColProduct)}
		v.Category = parseCategory(h.get(rec, ColCategory))
		if st := h.get(rec, ColStatus); st != "" {
			if code, ok := parseStatus(st); ok {
				v.Status = code
			} else {
				add(ColStatus, "importer.error.status", "Value", st)
				v.Status = inventory.StatusActive
			}
		}
		if n := h.get(rec, ColAccount); n != "" {
			if id, ok := d.accounts[strings.ToUpper(n)]; ok {
				v.BillingAccountID = id
			} else {
				add(ColAccount, "importer.error.account_unknown", "Number", n)
				v.BillingAccountID = "-"
			}
		}
		if s := h.get(rec, ColActivatedOn); s != "" {
			if day, ok := parseDate(s); ok {
				v.ActivatedOn = &day
			} else {
				add(ColActivatedOn, "importer.error.date", "Value", s)
				v.ActivatedOn = &time.Time{}
			}
		}
		name := h.get(rec, ColSite)
		key := i18n.Fold(name)
		switch id, existing := d.sites[key]; {
		case name == "":
		case existing:
			v.SiteID = id
			b.existingSites[id] = true
		default:
			i, seen := newByName[key]
			if !seen {
				i = len(b.sites)
				newByName[key] = i
				b.sites = append(b.sites, siteOf(h, rec, add))
				b.siteLine = append(b.siteLine, row.Line)
			} else {
				sameSite(h, rec, &b.sites[i], b.siteLine[i], add)
			}
			v.SiteID = b.sites[i].ID
		}
		b.services = append(b.services, v)
		b.serviceLine = append(b.serviceLine, row.Line)
	}
	return b
}

// siteOf reads the site columns of a row.
func siteOf(h *header, rec []string, add func(col, key string, args ...any)) inventory.Site {
	s := inventory.Site{ID: enlace.NewID(), Name: h.get(rec, ColSite), AddressLine1: h.get(rec, ColAddress),
		AddressLine2: h.get(rec, ColAddress2), City: h.get(rec, ColCity), PostalCode: h.get(rec, ColPostalCode),
		State: h.get(rec, ColState), Region: h.get(rec, ColRegion), Country: h.get(rec, ColCountry)}
	if st, ok := inventory.ParseState(s.State); ok {
		s.State = st
	}
	bad := false
	for _, c := range []struct {
		col string
		dst **float64
	}{{ColLatitude, &s.Latitude}, {ColLongitude, &s.Longitude}} {
		cell := h.get(rec, c.col)
		if cell == "" {
			continue
		}
		if x, ok := parseNumber(cell); ok {
			*c.dst = &x
		} else {
			add(c.col, "importer.error.number", "Value", cell)
			bad = true
		}
	}
	if bad {
		// A cell already reported must not be reported again as a lone half.
		s.Latitude, s.Longitude = nil, nil
	}
	return s
}

// sameSite checks that a later row naming a new site does not give it
// another address than the row that introduced it; empty cells are fine.
func sameSite(h *header, rec []string, s *inventory.Site, first int, add func(col, key string, args ...any)) {
	for _, c := range []struct{ col, want string }{
		{ColAddress, s.AddressLine1}, {ColCity, s.City}, {ColPostalCode, s.PostalCode},
	} {
		if got := h.get(rec, c.col); got != "" && got != c.want && i18n.Fold(got) != i18n.Fold(c.want) {
			add(c.col, "importer.error.site_differs", "Line", first)
		}
	}
	if got := h.get(rec, ColState); got != "" && got != s.State {
		code, ok := inventory.ParseState(got)
		if !ok {
			code = got
		}
		if i18n.Fold(code) != i18n.Fold(s.State) {
			add(ColState, "importer.error.site_differs", "Line", first)
		}
	}
}

func problem(col, key string, args ...any) Problem {
	p := Problem{Column: col, Key: key}
	if len(args) > 0 {
		p.Args = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			p.Args[args[i].(string)] = args[i+1]
		}
	}
	return p
}

// parseDate reads 2026-03-02 and 02/03/2026 (day first, as in Mexico).
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseNumber reads a decimal number with a point or, as Excel writes it
// in Spanish, a comma.
func parseNumber(s string) (float64, bool) {
	x, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	return x, err == nil && x == x
}

// extraCategories are the German names, beyond the Spanish and English
// ones inventory.ParseCategory reads.
var extraCategories = map[string]string{
	"konnektivitat": inventory.CategoryConnectivity, "cybersicherheit": inventory.CategoryCybersecurity,
	"mobilitat": inventory.CategoryMobility, "telecom": inventory.CategoryTelco, "telecomunicaciones": inventory.CategoryTelco,
	"seguridad": inventory.CategoryCybersecurity, "movil": inventory.CategoryMobility,
}

// parseCategory returns the category code, or the cell as it is for the
// inventory's validation to refuse.
func parseCategory(s string) string {
	if c, ok := inventory.ParseCategory(s); ok {
		return c
	}
	if c, ok := extraCategories[i18n.Fold(s)]; ok {
		return c
	}
	return s
}

var statusNames = map[string]string{
	"activating": inventory.StatusActivating, "en activacion": inventory.StatusActivating, "activacion": inventory.StatusActivating,
	"in aktivierung": inventory.StatusActivating, "pendiente": inventory.StatusActivating,
	"active": inventory.StatusActive, "activo": inventory.StatusActive, "activa": inventory.StatusActive, "aktiv": inventory.StatusActive,
	"suspended": inventory.StatusSuspended, "suspendido": inventory.StatusSuspended, "suspendida": inventory.StatusSuspended,
	"gesperrt": inventory.StatusSuspended,
	"retired":  inventory.StatusRetired, "dado de baja": inventory.StatusRetired, "baja": inventory.StatusRetired,
	"cancelado": inventory.StatusRetired, "gekundigt": inventory.StatusRetired,
}

// parseStatus reads a status by code or by its Spanish, English or German
// name, without regard to case or accents.
func parseStatus(s string) (string, bool) {
	c, ok := statusNames[i18n.Fold(s)]
	return c, ok
}
