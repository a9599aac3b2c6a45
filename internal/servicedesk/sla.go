package servicedesk

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/jobs"
	"github.com/enlace-portal/enlace/internal/schedule"
)

// SLA job kinds.
const (
	// SLAJob fires at a request's next SLA instant (a warning before a
	// target, or the target itself) and sends what falls due.
	SLAJob = "servicedesk.sla"
	// CloseJob closes a resolved request the requester did not object to
	// within the catalogue's close_after.
	CloseJob = "servicedesk.close"
)

// Notice is one SLA notice, a bit of Request.SLANotices.
type Notice int

// SLA notices, in the order they fall due.
const (
	NoticeResponseWarning Notice = 1 << iota
	NoticeResponseBreach
	NoticeResolutionWarning
	NoticeResolutionBreach
)

// setTargets sets a request's SLA instants from a start: the response and
// resolution targets of its priority and category, on the working
// calendar, and the warnings at the catalogue's share of each.
func (s *Service) setTargets(r *Request, cal *schedule.Calendar, start time.Time) {
	t := s.catalog.Target(r.Category, r.Priority)
	day := cal.WorkdayLength()
	warn := s.catalog.SLA.Warn
	resp, res := t.Response.Work(day), t.Resolution.Work(day)
	r.ResponseDueAt = cal.AddWork(start, resp)
	r.ResponseWarnAt = cal.AddWork(start, time.Duration(float64(resp)*warn))
	r.ResolutionDueAt = cal.AddWork(start, res)
	r.ResolutionWarnAt = cal.AddWork(start, time.Duration(float64(res)*warn))
}

// reprioritize gives a request a new priority and sets its SLA targets
// anew from its creation, every notice to be sent again. A pause in
// course restarts from now: the time waited before is not counted back.
func (s *Service) reprioritize(r *Request, cal *schedule.Calendar, priority string, now time.Time) {
	r.Priority = priority
	s.setTargets(r, cal, r.CreatedAt)
	r.SLANotices = 0
	if r.PausedAt != nil {
		r.PausedAt = &now
	}
}

// pause stops the SLA clock: the request waits on the customer.
func pause(r *Request, now time.Time) {
	if r.PausedAt == nil {
		r.PausedAt = &now
	}
}

// resume restarts the SLA clock, moving every SLA instant still to come
// by the working time the pause lasted.
func resume(r *Request, cal *schedule.Calendar, now time.Time) {
	if r.PausedAt == nil {
		return
	}
	paused := cal.WorkBetween(*r.PausedAt, now)
	r.PausedAt = nil
	if paused <= 0 {
		return
	}
	if r.FirstResponseAt == nil {
		r.ResponseWarnAt = cal.AddWork(r.ResponseWarnAt, paused)
		r.ResponseDueAt = cal.AddWork(r.ResponseDueAt, paused)
	}
	r.ResolutionWarnAt = cal.AddWork(r.ResolutionWarnAt, paused)
	r.ResolutionDueAt = cal.AddWork(r.ResolutionDueAt, paused)
}

// nextInstant returns the request's next SLA instant not yet announced
// and the notice it brings, or false when nothing remains: the clock is
// stopped, or the request needs no more work.
func nextInstant(r *Request) (time.Time, Notice, bool) {
	if !r.Open() || r.PausedAt != nil {
		return time.Time{}, 0, false
	}
	type instant struct {
		at     time.Time
		notice Notice
	}
	var all []instant
	if r.FirstResponseAt == nil {
		all = append(all, instant{r.ResponseWarnAt, NoticeResponseWarning}, instant{r.ResponseDueAt, NoticeResponseBreach})
	}
	all = append(all, instant{r.ResolutionWarnAt, NoticeResolutionWarning}, instant{r.ResolutionDueAt, NoticeResolutionBreach})
	var best instant
	for _, in := range all {
		if r.SLANotices&int(in.notice) != 0 {
			continue
		}
		if best.notice == 0 || in.at.Before(best.at) {
			best = in
		}
	}
	return best.at, best.notice, best.notice != 0
}

// slaPayload names the request and the instant the job was set for; a
// job whose instant moved (a pause, a new priority) finds it changed and
// does nothing, as a new job was set for the new instant.
type slaPayload struct {
	RequestID string    `json:"request_id"`
	At        time.Time `json:"at"`
}

// slaJob returns the job for the request's next SLA instant, if any.
func slaJob(r *Request) []enlace.Effect {
	at, _, ok := nextInstant(r)
	if !ok {
		return nil
	}
	return []enlace.Effect{jobs.New(SLAJob, slaPayload{RequestID: r.ID, At: at}, at)}
}

// Register hands the service's jobs to the runner.
func (s *Service) Register(runner *jobs.Runner) {
	runner.Handle(SLAJob, s.runSLA)
	runner.Handle(CloseJob, s.runClose)
}

// runSLA sends the SLA notices that fell due (E6): a warning before a
// target to the agent (or, unassigned, to the queue's administrators), a
// breach to them and the administrators; then sets the next instant's job.
func (s *Service) runSLA(ctx context.Context, j jobs.Job) error {
	var pl slaPayload
	if err := json.Unmarshal([]byte(j.Payload), &pl); err != nil || pl.RequestID == "" {
		return jobs.Permanent(fmt.Errorf("decode %s payload: %v", SLAJob, err))
	}
	r, err := s.store.RequestByID(ctx, pl.RequestID)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	at, _, ok := nextInstant(r)
	if !ok || !at.Equal(pl.At) {
		return nil
	}
	now := s.clock.Now()
	read, from := r.UpdatedAt, r.Phase
	var sent []Notice
	for {
		at, notice, ok := nextInstant(r)
		if !ok || at.After(now) {
			break
		}
		r.SLANotices |= int(notice)
		sent = append(sent, notice)
	}
	if len(sent) == 0 {
		return nil
	}
	effects, err := s.slaNotices(ctx, r, sent)
	if err != nil {
		return err
	}
	effects = append(effects, audit.Record(ctx, "request.sla", "request", r.ID, r.CustomerID, map[string]any{"notices": r.SLANotices}))
	effects = append(effects, slaJob(r)...)
	err = s.store.SaveRequest(ctx, Change{Request: r, Read: read, FromPhase: from}, effects...)
	if enlace.ErrorCode(err) == enlace.ECONFLICT {
		// Someone changed the request meanwhile; their change set the
		// job for the instant as it now stands, or a retry finds it.
		return fmt.Errorf("request %s changed during the SLA check: %w", r.ID, err)
	}
	return err
}

// closePayload names the resolved request and when it was resolved; a
// request reopened and resolved again has a new job.
type closePayload struct {
	RequestID  string    `json:"request_id"`
	ResolvedAt time.Time `json:"resolved_at"`
}

// runClose closes a request still resolved, and resolved at the time the
// job was set for, on behalf of the system.
func (s *Service) runClose(ctx context.Context, j jobs.Job) error {
	var pl closePayload
	if err := json.Unmarshal([]byte(j.Payload), &pl); err != nil || pl.RequestID == "" {
		return jobs.Permanent(fmt.Errorf("decode %s payload: %v", CloseJob, err))
	}
	r, err := s.store.RequestByID(ctx, pl.RequestID)
	if enlace.ErrorCode(err) == enlace.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if r.Phase != PhaseResolved || r.ResolvedAt == nil || !r.ResolvedAt.Equal(pl.ResolvedAt) {
		return nil
	}
	_, err = s.move(ctx, nil, r, ActInput{Action: ActionClose, Reason: "auto"})
	return err
}
