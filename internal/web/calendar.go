package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// calendarPage is the provider's working calendar for staff
// administrators: a year's days off (Mexican federal holidays and the
// provider's own), the days changed from the default, and a form to add a
// holiday or work a default one.
type calendarPage struct {
	*Page
	Year, Prev, Next int
	Holidays         []holidayRow
	Overrides        []overrideRow
	Kinds            []option
	Day, Name        string
}

type holidayRow struct {
	Date, Name string
	Custom     bool
}

type overrideRow struct {
	Day, Date, Kind, Name string
}

// calendarAdmin lets staff administrators in: other staff get 403,
// customers 404.
func (s *Server) calendarAdmin(w http.ResponseWriter, r *http.Request) bool {
	a := visitOf(r).principal.Actor
	switch {
	case !a.IsStaff():
		s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
	case a.StaffRole != identity.StaffAdmin:
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
	default:
		return true
	}
	return false
}

func (s *Server) calendarSettings(w http.ResponseWriter, r *http.Request) {
	if !s.calendarAdmin(w, r) {
		return
	}
	p := s.page(w, r, "projects.calendar.title")
	year := s.deps.Clock.Now().In(s.deps.Location).Year()
	if y := r.URL.Query().Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1970 || n > 2100 {
			p.Summary = p.T("web.error.bad_filter")
		} else {
			year = n
		}
	}
	s.renderCalendar(w, r, p, http.StatusOK, year, activation.CalendarDay{Kind: activation.DayHoliday})
}

func (s *Server) renderCalendar(w http.ResponseWriter, r *http.Request, p *Page, status, year int, form activation.CalendarDay) {
	holidays, days, err := s.deps.Projects.Holidays(r.Context(), year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cp := calendarPage{Page: p, Year: year, Prev: year - 1, Next: year + 1, Day: form.Day, Name: form.Name,
		Kinds: translatedOptions(p, "projects.calendar.kind.", []string{activation.DayHoliday, activation.DayWorked}, form.Kind)}
	for _, h := range holidays {
		row := holidayRow{Date: p.loc.Date(civil(h.Date)), Name: h.Name, Custom: h.Key == ""}
		if h.Key != "" {
			row.Name = p.T("calendar.holiday." + h.Key)
		}
		cp.Holidays = append(cp.Holidays, row)
	}
	for _, d := range days {
		row := overrideRow{Day: d.Day, Date: d.Day, Kind: p.T("projects.calendar.kind." + d.Kind), Name: d.Name}
		if date, err := schedule.ParseDate(d.Day); err == nil {
			row.Date = p.loc.Date(civil(date))
		}
		cp.Overrides = append(cp.Overrides, row)
	}
	s.render(w, r, status, "calendar", cp)
}

// civil is a calendar date as a time at midnight UTC, for formatting.
func civil(d schedule.Date) time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

func (s *Server) setCalendarDay(w http.ResponseWriter, r *http.Request) {
	if !s.calendarAdmin(w, r) || !s.parseForm(w, r) {
		return
	}
	d := activation.CalendarDay{Day: r.PostForm.Get("day"), Kind: r.PostForm.Get("kind"), Name: r.PostForm.Get("name")}
	err := s.deps.Projects.SetCalendarDay(r.Context(), d)
	if err == nil {
		s.flash(w, "projects.flash.calendar_saved")
		http.Redirect(w, r, "/settings/calendar?year="+d.Day[:4], http.StatusSeeOther)
		return
	}
	p := s.page(w, r, "projects.calendar.title")
	if !formError(p, err) {
		s.fail(w, r, err)
		return
	}
	year := s.deps.Clock.Now().In(s.deps.Location).Year()
	s.renderCalendar(w, r, p, http.StatusUnprocessableEntity, year, d)
}

func (s *Server) deleteCalendarDay(w http.ResponseWriter, r *http.Request) {
	if !s.calendarAdmin(w, r) || !s.parseForm(w, r) {
		return
	}
	day, err := schedule.ParseDate(r.PathValue("day"))
	if err != nil {
		s.fail(w, r, enlace.Errorf(enlace.ENOTFOUND, "error.not_found"))
		return
	}
	if err := s.deps.Projects.DeleteCalendarDay(r.Context(), day.String()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(w, "projects.flash.calendar_deleted")
	http.Redirect(w, r, "/settings/calendar?year="+strconv.Itoa(day.Year), http.StatusSeeOther)
}
