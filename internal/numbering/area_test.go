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
