package numbering_test

import (
	"testing"

	"github.com/enlace-portal/enlace/internal/numbering"
)

func TestLocalArea(t *testing.T) {
	for _, tt := range []struct{ number, want string }{
		{"+528112345678", "+5281"},  // Monterrey
		{"+525512345678", "+5255"},  // Mexico City
		{"+524421234567", "+52442"}, // Querétaro: three digits
		{"+4930123456", "+4930"},    // Berlin
		{"+49891234567", "+4989"},   // Munich
		{"+4915112345678", "+49"},   // a German mobile: no area, the country
		{"+34912345678", "+34"},     // Spain: no area codes
		{"+12125551234", "+1212"},   // New York
		{"not a number", ""},
	} {
		if got := numbering.LocalArea(tt.number); got != tt.want {
			t.Errorf("LocalArea(%s) = %q, want %q", tt.number, got, tt.want)
		}
	}
}

func TestFormatArea(t *testing.T) {
	for _, tt := range []struct{ area, want string }{
		{"+5281", "+52 81"}, {"+52442", "+52 442"}, {"+4930", "+49 30"}, {"+49", "+49"}, {"+34", "+34"}, {"+1212", "+1 212"},
	} {
		if got := numbering.FormatArea(tt.area); got != tt.want {
			t.Errorf("FormatArea(%s) = %q, want %q", tt.area, got, tt.want)
		}
	}
}
