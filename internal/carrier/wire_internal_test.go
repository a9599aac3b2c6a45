package carrier

import (
	"testing"
	"time"
)

func TestDay(t *testing.T) {
	for _, zone := range []string{"UTC", "America/Mexico_City", "America/Tijuana", "America/Cancun", "Europe/Berlin",
		"Asia/Kolkata", "Asia/Tokyo", "Pacific/Honolulu", "Pacific/Pago_Pago"} {
		loc := mustLoadLocation(zone)
		for _, d := range []time.Time{
			time.Date(2026, 6, 15, 0, 0, 0, 0, loc),
			time.Date(2026, 1, 1, 0, 0, 0, 0, loc),
			time.Date(2026, 12, 31, 0, 0, 0, 0, loc),
		} {
			want := d.Format(time.DateOnly)
			if got := day(d.UTC()); got != want {
				t.Errorf("day(00:00 of %s in %s) = %s, want %s", want, zone, got, want)
			}
		}
	}
}
