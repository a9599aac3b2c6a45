package activation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// calendarTTL bounds how long a replica plans with a calendar another
// replica may have changed.
const calendarTTL = time.Minute

// Calendar returns the provider's working calendar: Mexican federal
// holidays, with the days an administrator added or chose to work.
func (s *Service) Calendar(ctx context.Context) (*schedule.Calendar, error) {
	s.calMu.Lock()
	defer s.calMu.Unlock()
	if s.cal != nil && s.clock.Now().Sub(s.calBuilt) < calendarTTL {
		return s.cal, nil
	}
	days, err := s.store.CalendarDays(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := buildCalendar(s.cfg.Location, days)
	if err != nil {
		return nil, err
	}
	s.cal, s.calBuilt = cal, s.clock.Now()
	return cal, nil
}

// calendarCached returns the calendar last built; planning inside a
// change uses it so that a transaction never waits on another query.
func (s *Service) calendarCached() (*schedule.Calendar, error) {
	s.calMu.Lock()
	cal := s.cal
	s.calMu.Unlock()
	if cal != nil {
		return cal, nil
	}
	return s.Calendar(context.Background())
}

func buildCalendar(loc *time.Location, days []CalendarDay) (*schedule.Calendar, error) {
	holidays := schedule.MexicanFederalHolidays(1970, 2100)
	var worked []schedule.Date
	for _, d := range days {
		date, err := schedule.ParseDate(d.Day)
		if err != nil {
			return nil, fmt.Errorf("calendar day %q: %w", d.Day, err)
		}
		switch d.Kind {
		case DayHoliday:
			holidays = append(holidays, schedule.Holiday{Date: date, Name: d.Name})
		case DayWorked:
			worked = append(worked, date)
		}
	}
	return schedule.New(schedule.Config{Location: loc, Holidays: holidays, Workdays: worked})
}

// Holidays returns the days off of a year in the provider's calendar.
func (s *Service) Holidays(ctx context.Context, year int) ([]schedule.Holiday, []CalendarDay, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, nil, err
	}
	days, err := s.store.CalendarDays(ctx)
	return cal.Holidays(year), days, err
}

// SetCalendarDay adds a holiday or marks a default holiday as worked;
// staff administrators only. Projects replan at the next sweep.
func (s *Service) SetCalendarDay(ctx context.Context, d CalendarDay) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if a.StaffRole != "admin" {
		return forbidden(a)
	}
	d.Name = strings.TrimSpace(d.Name)
	var fields []enlace.FieldError
	if _, err := schedule.ParseDate(d.Day); err != nil {
		fields = append(fields, enlace.Field("day", "activation.error.date"))
	}
	if !slices.Contains([]string{DayHoliday, DayWorked}, d.Kind) {
		fields = append(fields, enlace.Field("kind", "activation.error.day_kind"))
	}
	if d.Kind == DayHoliday && d.Name == "" || len(d.Name) > 100 {
		fields = append(fields, enlace.Field("name", "activation.error.holiday_name"))
	}
	if err := enlace.Invalid(fields); err != nil {
		return err
	}
	if err := s.store.SetCalendarDay(ctx, d, audit.Record(ctx, "calendar.set", "calendar", d.Day, "",
		map[string]string{"kind": d.Kind, "name": d.Name})); err != nil {
		return err
	}
	s.forgetCalendar()
	return nil
}

// DeleteCalendarDay removes an override; staff administrators only.
func (s *Service) DeleteCalendarDay(ctx context.Context, day string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if a.StaffRole != "admin" {
		return forbidden(a)
	}
	if err := s.store.DeleteCalendarDay(ctx, day, audit.Record(ctx, "calendar.delete", "calendar", day, "", nil)); err != nil {
		return err
	}
	s.forgetCalendar()
	return nil
}

func (s *Service) forgetCalendar() {
	s.calMu.Lock()
	s.cal = nil
	s.calMu.Unlock()
}
