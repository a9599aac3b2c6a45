package contact

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the country a number typed without a country code is
// read in.
const DefaultRegion = "MX"

// NormalizePhone reads a phone number as people type it (spaces, dashes,
// dots, parentheses; a leading + or 00 for another country) and returns it
// in E.164, or ok false when it is not a valid number. Mexican mobile
// numbers used to be dialled with a 1 after +52 (or 044/045 before the ten
// digits); those prefixes are gone and are dropped before parsing, or the
// number would read as invalid.
func NormalizePhone(s string) (e164 string, ok bool) {
	num, ok := ParsePhone(s)
	if !ok {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

// ParsePhone reads a phone number as NormalizePhone does and returns it
// parsed, for callers that need more of it than its E.164 (its country),
// without reading it twice.
func ParsePhone(s string) (*phonenumbers.PhoneNumber, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case strings.ContainsRune(" -.()/", r):
		default:
			return nil, false
		}
	}
	n := b.String()
	if strings.HasPrefix(n, "00") {
		n = "+" + n[2:]
	}
	// 044 and 045 once prefixed Mexican mobile numbers dialled locally.
	if (strings.HasPrefix(n, "044") || strings.HasPrefix(n, "045")) && len(n) == 13 {
		n = n[3:]
	}
	if strings.HasPrefix(n, "+521") && len(n) == len("+521")+10 {
		n = "+52" + n[4:]
	}
	num, err := phonenumbers.Parse(n, DefaultRegion)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return nil, false
	}
	return num, true
}

// FormatPhone shows an E.164 number the way people of its country write
// it: national format for Mexican numbers ("55 1234 5678"), international
// for the rest. Anything unreadable is shown as stored.
func FormatPhone(e164 string) string {
	if e164 == "" {
		return ""
	}
	num, err := phonenumbers.Parse(e164, DefaultRegion)
	if err != nil {
		return e164
	}
	if phonenumbers.GetRegionCodeForNumber(num) == DefaultRegion {
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}
