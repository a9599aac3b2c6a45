package numbering

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// MaxRange bounds how many numbers one range may hold.
const MaxRange = 10000

// AddInput is a number or a range of numbers the staff add to a
// customer's inventory: From alone for one number, From and To for the
// consecutive numbers between them.
type AddInput struct {
	CustomerID string
	From, To   string
	// State is available (the default), test or reserved.
	State string
	Details
}

// initialStates are the states a number can be added in.
var initialStates = []string{StateAvailable, StateTest, StateReserved}

// Add adds a number or a range to a customer's inventory, all of them or
// none: a number held by any customer refuses the whole range, naming it.
func (s *Service) Add(ctx context.Context, in AddInput) ([]Number, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !CanManage(a) {
		return nil, forbidden()
	}
	e164s, region, fields := expand(in.From, in.To)
	if in.State == "" {
		in.State = StateAvailable
	}
	if !slices.Contains(initialStates, in.State) {
		fields = append(fields, enlace.Field("state", "numbering.error.state"))
	}
	owner, err := s.checkCustomer(ctx, in.CustomerID)
	if err != nil {
		return nil, err
	}
	if fields = append(fields, owner...); len(owner) == 0 {
		site, err := s.checkSite(ctx, in.CustomerID, in.SiteID)
		if err != nil {
			return nil, err
		}
		fields = append(fields, site...)
	}
	in.CNAM, in.Location, in.Note = strings.TrimSpace(in.CNAM), strings.TrimSpace(in.Location), strings.TrimSpace(in.Note)
	fields = append(fields, checkDetails(in.Details)...)
	if len(fields) > 0 {
		return nil, enlace.Invalid(fields)
	}
	now := s.clock.Now()
	ns := make([]Number, len(e164s))
	for i, e := range e164s {
		ns[i] = Number{ID: enlace.NewID(), CustomerID: in.CustomerID, SiteID: in.SiteID, E164: e, Country: region,
			State: in.State, CNAM: in.CNAM, Location: in.Location, Note: in.Note, Version: 1, CreatedAt: now, UpdatedAt: now}
	}
	entry := audit.Record(ctx, "number.add", "customer", in.CustomerID, in.CustomerID,
		map[string]string{"from": e164s[0], "to": e164s[len(e164s)-1], "count": strconv.Itoa(len(ns)), "state": in.State})
	if err := s.store.CreateNumbers(ctx, ns, entry); err != nil {
		return nil, err
	}
	return ns, nil
}

// expand reads a number, or a range from one number to another of the
// same country and length, and returns its numbers in E.164 in order.
// Problems are reported on the fields "from" and "to".
func expand(from, to string) ([]string, string, []enlace.FieldError) {
	first, region, ok := Parse(from)
	if !ok {
		return nil, "", []enlace.FieldError{enlace.Field("from", "numbering.error.number")}
	}
	if strings.TrimSpace(to) == "" {
		return []string{first}, region, nil
	}
	last, lastRegion, ok := Parse(to)
	if !ok {
		return nil, "", []enlace.FieldError{enlace.Field("to", "numbering.error.number")}
	}
	if lastRegion != region || len(last) != len(first) || last < first {
		return nil, "", []enlace.FieldError{enlace.Field("to", "numbering.error.range")}
	}
	// Numbers of one length and country compare as integers do; the
	// digits after the + fit an int64 (E.164 has at most 15).
	lo, _ := strconv.ParseInt(first[1:], 10, 64)
	hi, _ := strconv.ParseInt(last[1:], 10, 64)
	if hi-lo+1 > MaxRange {
		return nil, "", []enlace.FieldError{enlace.Field("to", "numbering.error.range_size", "Max", MaxRange)}
	}
	out := make([]string, 0, hi-lo+1)
	for n := lo; n <= hi; n++ {
		e := "+" + strconv.FormatInt(n, 10)
		// A range may cross into numbers the numbering plan does not
		// have (a prefix not in use); those are refused, not skipped.
		if _, _, ok := Parse(e); !ok {
			return nil, "", []enlace.FieldError{enlace.Field("to", "numbering.error.range_invalid", "Number", e)}
		}
		out = append(out, e)
	}
	return out, region, nil
}
