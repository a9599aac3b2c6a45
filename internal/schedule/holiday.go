package schedule

import "time"

// Holiday is a day off. Key names it stably for the catalogue (message key
// calendar.holiday.<Key>, e.g. "new_year", "constitution", "juarez", "labour",
// "independence", "revolution", "christmas", "inauguration"); Name is free
// text for a provider's own days, which have no catalogue entry.
type Holiday struct {
	Date Date
	Key  string
	Name string
}

// MexicanFederalHolidays returns the statutory rest days of the Ley Federal
// del Trabajo, art. 74, for the years from..to inclusive, in date order:
//
//   - I. 1 January (new_year);
//   - II. the first Monday of February (constitution, for 5 February);
//   - III. the third Monday of March (juarez, for 21 March);
//   - IV. 1 May (labour);
//   - V. 16 September (independence);
//   - VI. the third Monday of November (revolution, for 20 November);
//   - VII. 1 October every six years from 2024 (inauguration: the
//     transmission of the federal executive; 2024, 2030, 2036, …), and
//     1 December in the transmission years before 2024 (2018, 2012, …);
//   - VIII. 25 December (christmas).
//
// Source: Ley Federal del Trabajo, art. 74 (Cámara de Diputados, texto
// vigente); fractions II, III and VI became Mondays by the decree published in
// the DOF on 17 January 2006, so earlier years get the fixed dates 5 February,
// 21 March and 20 November. Fraction IX (federal and local election days) is
// left out: those are set by electoral law and fall on a Sunday.
func MexicanFederalHolidays(from, to int) []Holiday {
	if from > to {
		return nil
	}
	hs := make([]Holiday, 0, (to-from+1)*8)
	for y := from; y <= to; y++ {
		feb, mar, nov := nthMonday(y, time.February, 1), nthMonday(y, time.March, 3), nthMonday(y, time.November, 3)
		if y < 2006 {
			feb, mar, nov = Date{y, time.February, 5}, Date{y, time.March, 21}, Date{y, time.November, 20}
		}
		hs = append(hs,
			Holiday{Date: Date{y, time.January, 1}, Key: "new_year"},
			Holiday{Date: feb, Key: "constitution"},
			Holiday{Date: mar, Key: "juarez"},
			Holiday{Date: Date{y, time.May, 1}, Key: "labour"},
			Holiday{Date: Date{y, time.September, 16}, Key: "independence"},
		)
		inauguration := floorMod(int64(y-2024), 6) == 0
		if inauguration && y >= 2024 {
			hs = append(hs, Holiday{Date: Date{y, time.October, 1}, Key: "inauguration"})
		}
		hs = append(hs, Holiday{Date: nov, Key: "revolution"})
		if inauguration && y < 2024 {
			hs = append(hs, Holiday{Date: Date{y, time.December, 1}, Key: "inauguration"})
		}
		hs = append(hs, Holiday{Date: Date{y, time.December, 25}, Key: "christmas"})
	}
	return hs
}

// nthMonday returns the n-th Monday (1-based) of the month.
func nthMonday(year int, month time.Month, n int) Date {
	first := Date{year, month, 1}
	shift := (int(time.Monday) - int(first.Weekday()) + 7) % 7
	return first.AddDays(shift + 7*(n-1))
}
