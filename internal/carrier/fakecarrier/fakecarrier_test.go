package fakecarrier

import (
	"testing"
	"time"

	"github.com/enlace-portal/enlace/internal/carrier"
	"github.com/enlace-portal/enlace/internal/enlace"
)

func TestFOC(t *testing.T) {
	g := New(enlace.NewFakeClock(time.Date(2026, 6, 1, 16, 0, 0, 0, time.UTC)), Config{})
	mx := func(s string) time.Time {
		at, err := time.ParseInLocation("2006-01-02 15:04", s, g.cfg.Calendar.Location())
		if err != nil {
			t.Fatal(err)
		}
		return at.UTC()
	}
	for _, tt := range []struct {
		name      string
		received  time.Time
		requested string
		want      string
	}{
		{"requested later than the lead time", mx("2026-06-01 10:00"), "2026-06-15", "2026-06-15"},
		{"requested too soon", mx("2026-06-01 10:00"), "2026-06-02", "2026-06-08"},
		{"requested on the fifth working day", mx("2026-06-01 10:00"), "2026-06-08", "2026-06-08"},
		// 23:30 on Friday in Mexico City is Saturday in UTC; the carrier
		// counts from its own Friday.
		{"received late on a Friday", mx("2026-06-05 23:30"), "2026-06-01", "2026-06-12"},
		{"received on a Saturday", mx("2026-06-06 09:00"), "2026-06-01", "2026-06-12"},
		{"requested on a Saturday", mx("2026-06-01 10:00"), "2026-06-20", "2026-06-22"},
		// 16 November 2026 is the Revolution's holiday (third Monday).
		{"lead time over a holiday", mx("2026-11-10 10:00"), "2026-11-11", "2026-11-18"},
		{"requested on a holiday", mx("2026-11-02 10:00"), "2026-11-16", "2026-11-17"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := &order{receivedAt: tt.received, req: carrier.OrderRequest{RequestedDate: tt.requested}}
			if got := g.foc(o).String(); got != tt.want {
				t.Errorf("foc(received %s, requested %s) = %s, want %s", tt.received, tt.requested, got, tt.want)
			}
		})
	}
}
