// Package licensing checks the Microsoft 365 licences of a customer's
// Teams accounts before the provider's cloud voice gives them numbers
// (D4). A customer's administrator, or the staff who manage numbers,
// loads the tenant's user list as the Microsoft 365 admin center exports
// it; Enlace says per account what it lacks: an E5/A5 suite (or an
// equivalent) needs nothing more, lower suites need the Teams Phone
// Standard add-on, Microsoft calling plans must be removed, common-area
// phones take the shared-device licence and the resource accounts of auto
// attendants and call queues the free resource-account licence. Audio
// conferencing with dial-out is optional and only reported.
package licensing

import (
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"

	"github.com/enlace-portal/enlace/internal/enlace"
)

// Kinds of account, told by their licences; catalogue keys
// licensing.kind.<kind>. They match the kinds of assignee of numbering.
const (
	KindUser = "user"
	// KindDevice is a common-area (shared) device, such as a lobby or
	// warehouse phone, or a Teams Rooms device.
	KindDevice = "common_area"
	// KindResource is the resource account of an auto attendant or a
	// call queue.
	KindResource = "resource_account"
)

// Kinds lists the kinds of account in the order pages show them.
var Kinds = []string{KindUser, KindDevice, KindResource}

// What an account may lack before it can have a number, as catalogue keys.
const (
	// MissingTeams is a Microsoft 365 or Office 365 licence that includes
	// Teams (or the Teams add-on of a suite sold without it).
	MissingTeams = "licensing.missing.teams"
	// MissingTeamsPhone is the add-on "Microsoft Teams Phone Standard".
	MissingTeamsPhone = "licensing.missing.teams_phone"
	// MissingRemoveCallingPlan asks to remove a Microsoft calling plan:
	// the provider's cloud voice carries the calls instead.
	MissingRemoveCallingPlan = "licensing.missing.remove_calling_plan"
	// MissingNotInTenant is an account the imported user list lacks.
	MissingNotInTenant = "licensing.missing.not_in_tenant"
)

// Items lists what a verdict may find missing, in the order pages show it.
var Items = []string{MissingTeams, MissingTeamsPhone, MissingRemoveCallingPlan}

const missingPrefix = "licensing.missing."

// Item names a missing item in links and query strings: "teams_phone"
// for MissingTeamsPhone.
func Item(key string) string { return strings.TrimPrefix(key, missingPrefix) }

// ItemKey is the key of an item Item names, or "" when it names none of
// Items.
func ItemKey(item string) string {
	if k := missingPrefix + item; slices.Contains(Items, k) {
		return k
	}
	return ""
}

// Notes of a verdict that never keep an account from a number.
const (
	NoteAudioConferencing   = "licensing.note.audio_conferencing"
	NoteNoAudioConferencing = "licensing.note.no_audio_conferencing"
)

// Verdict is what Check finds of one account's licences.
type Verdict struct {
	Kind string `json:"kind" db:"kind"`
	// Ready is true when nothing is missing.
	Ready bool `json:"ready" db:"ready"`
	// Missing are the items lacking, in the order of Items.
	Missing Keys `json:"missing" db:"missing"`
	// Notes are for information only.
	Notes Keys `json:"notes" db:"notes"`
}

// Check reads an account's licences, as display names or SKU part numbers
// in any case and with or without accents, and says what kind of account
// it is and what it lacks. Licences it does not know grant nothing.
func Check(licences []string) Verdict {
	var g grant
	for _, name := range licences {
		if l, ok := identify(name); ok {
			g |= l.grants
		}
	}
	v := Verdict{Kind: KindUser, Missing: Keys{}, Notes: Keys{}}
	switch {
	case g&grantResource != 0:
		v.Kind = KindResource
	case g&grantSharedDevice != 0:
		v.Kind = KindDevice
	}
	switch v.Kind {
	case KindUser:
		if g&grantTeams == 0 {
			v.Missing = append(v.Missing, MissingTeams)
		}
		if g&grantPhone == 0 {
			v.Missing = append(v.Missing, MissingTeamsPhone)
		}
		if g&grantAudioConferencing != 0 {
			v.Notes = append(v.Notes, NoteAudioConferencing)
		} else {
			v.Notes = append(v.Notes, NoteNoAudioConferencing)
		}
	case KindDevice:
		if g&grantPhone == 0 {
			v.Missing = append(v.Missing, MissingTeamsPhone)
		}
	}
	// A calling plan routes the account's calls through Microsoft: it
	// goes, whatever else the account has.
	if g&grantCallingPlan != 0 {
		v.Missing = append(v.Missing, MissingRemoveCallingPlan)
	}
	v.Ready = len(v.Missing) == 0
	return v
}

// SplitLicences splits the "Licenses" cell of an admin center export,
// names joined by "+", into its names; "Unlicensed" is none.
func SplitLicences(cell string) []string {
	var out []string
	for name := range strings.SplitSeq(cell, "+") {
		name = strings.TrimSpace(name)
		if name != "" && !strings.EqualFold(name, "unlicensed") {
			out = append(out, name)
		}
	}
	return out
}

// Keys is a list of catalogue keys kept as one JSON column.
type Keys []string

// Value implements driver.Valuer.
func (k Keys) Value() (driver.Value, error) { return enlace.JSONValue(k, k == nil, "[]") }

// Scan implements sql.Scanner.
func (k *Keys) Scan(src any) error { return enlace.ScanJSON(src, k) }

// Names is an account's licence names, kept as one column joined by "+",
// as the admin center writes them.
type Names []string

// Value implements driver.Valuer.
func (n Names) Value() (driver.Value, error) { return strings.Join(n, "+"), nil }

// Scan implements sql.Scanner.
func (n *Names) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*n = SplitLicences(v)
	case []byte:
		*n = SplitLicences(string(v))
	case nil:
		*n = nil
	default:
		return fmt.Errorf("scan licences: unexpected %T", src)
	}
	if *n == nil {
		*n = Names{}
	}
	return nil
}
