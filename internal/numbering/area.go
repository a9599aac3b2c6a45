package numbering

import (
	"strconv"
	"strings"

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

// FormatArea writes a local area as LocalArea returns it ("+5281") the way
// its numbers are written, the country code apart ("+52 81"). Country
// codes are prefix-free, so the first one to name a region is it.
func FormatArea(area string) string {
	digits := strings.TrimPrefix(area, "+")
	for n := 1; n <= 3 && n <= len(digits); n++ {
		cc, _ := strconv.Atoi(digits[:n])
		if phonenumbers.GetRegionCodeForCountryCode(cc) == "ZZ" {
			continue
		}
		if n == len(digits) {
			return "+" + digits
		}
		return "+" + digits[:n] + " " + digits[n:]
	}
	return area
}
