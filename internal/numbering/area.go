package numbering

import (
	"strconv"

	"github.com/nyaruka/phonenumbers"
)

// LocalArea returns the start of an E.164 number that names its local
// area: the country code and the geographic area code, "+5281" for
// Monterrey, "+4930" for Berlin; for a number without one (a German
// mobile number, any Spanish number: libphonenumber knows no area codes
// there) the country code alone, "+34". A provisional number must come
// from the local area of the number it stands in for (seed 003: "aus dem
// Ortsnetz"): it starts the same. Area codes are prefix-free within a
// country, so starting the same is belonging to the area.
func LocalArea(e164 string) string {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return ""
	}
	n := phonenumbers.GetLengthOfGeographicalAreaCode(num)
	return "+" + strconv.Itoa(int(num.GetCountryCode())) + phonenumbers.GetNationalSignificantNumber(num)[:n]
}
