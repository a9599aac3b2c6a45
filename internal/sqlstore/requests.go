package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
	"github.com/enlace-portal/enlace/internal/inventory"
	"github.com/enlace-portal/enlace/internal/servicedesk"
)

const (
	requestInsertColumns = `id, folio, customer_id, billing_account_id, site_id, service_id, service_key, type_key,
		kind, category, incident, subject, description, fields, priority, phase, phase_reason, phase_changed_at, queue,
		assignee_id, requester_id, requester_name, requester_email, channel, severity, ticket_type, external,
		response_due_at, resolution_due_at, response_warn_at, resolution_warn_at, first_response_at, paused_at,
		sla_notices, resolution, resolved_at, closed_at, cancelled_at, created_by, created_at, updated_at`
	requestInsertWidth = 41
)

// requestValues appends a request's columns in requestInsertColumns order.
// Times are written in UTC: the SLA's come in the provider's time zone,
// and both databases compare the stored times as written.
func requestValues(r *servicedesk.Request, dst []any) []any {
	return append(dst, r.ID, r.Folio, r.CustomerID, r.BillingAccountID, r.SiteID, r.ServiceID, r.ServiceKey, r.TypeKey,
		r.Kind, r.Category, r.Incident, r.Subject, r.Description, r.Fields, r.Priority, r.Phase, r.PhaseReason,
		r.PhaseChangedAt.UTC(), r.Queue, r.AssigneeID, r.RequesterID, r.RequesterName, r.RequesterEmail, r.Channel,
		r.Severity, r.TicketType, r.External, r.ResponseDueAt.UTC(), r.ResolutionDueAt.UTC(), r.ResponseWarnAt.UTC(),
		r.ResolutionWarnAt.UTC(), utcPtr(r.FirstResponseAt), utcPtr(r.PausedAt), r.SLANotices, r.Resolution,
		utcPtr(r.ResolvedAt), utcPtr(r.ClosedAt), utcPtr(r.CancelledAt), r.CreatedBy, r.CreatedAt.UTC(), r.UpdatedAt.UTC())
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// requestColumns reads a request through the alias r with the names its
// list and page show.
var requestColumns = qualify("r", requestInsertColumns) + `, COALESCE(c.name, '') AS customer_name,
	COALESCE(st.name, '') AS site_name, COALESCE(u.first_name || ' ' || u.last_name, '') AS assignee_name`

// A request may have no customer, site or agent: left joins.
const requestJoins = ` LEFT JOIN customers c ON c.id = r.customer_id LEFT JOIN sites st ON st.id = r.site_id
	LEFT JOIN users u ON u.id = r.assignee_id`

// qualify prefixes every column of a comma-separated list with an alias.
func qualify(alias, columns string) string {
	names := strings.FieldsFunc(columns, func(c rune) bool { return c == ',' || unicode.IsSpace(c) })
	return alias + "." + strings.Join(names, ", "+alias+".")
}

// nextNumber takes the next number of a series in the transaction tx.
func (tx *Tx) nextNumber(ctx context.Context, series string) (int64, error) {
	var n int64
	err := tx.get(ctx, &n, `
		INSERT INTO sequences (name, value) VALUES ($1, 1)
		ON CONFLICT (name) DO UPDATE SET value = sequences.value + 1
		RETURNING value`, series)
	return n, err
}

// CreateRequest stores a new request with its checklist and first event
// under the next folio of the year, then the effects notices makes of it
// (with the folio) and the other effects, all in one transaction.
func (s *Store) CreateRequest(ctx context.Context, r *servicedesk.Request, steps []servicedesk.Step, ev servicedesk.Event,
	notices func(*servicedesk.Request) []enlace.Effect, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		year := tx.now.UTC().Year()
		n, err := tx.nextNumber(ctx, fmt.Sprintf("requests-%d", year))
		if err != nil {
			return err
		}
		if r.ID == "" {
			r.ID = enlace.NewID()
		}
		r.Folio = servicedesk.Folio(year, n)
		r.CreatedAt, r.UpdatedAt, r.PhaseChangedAt = tx.now, tx.now, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO requests (`+requestInsertColumns+`) VALUES `+
			placeholders(1, 1, requestInsertWidth), requestValues(r, nil)...); err != nil {
			return err
		}
		if err := tx.insertSteps(ctx, r.ID, steps); err != nil {
			return err
		}
		if err := tx.insertEvent(ctx, r.ID, &ev); err != nil {
			return err
		}
		if err := tx.countRequests(ctx, r.CustomerID, r.BillingAccountID, r.Phase, 1); err != nil {
			return err
		}
		if notices != nil {
			if err := tx.record(ctx, notices(r)...); err != nil {
				return err
			}
		}
		return tx.record(ctx, effects...)
	})
}

// insertSteps stores a request's checklist, its labels as JSON, through
// one prepared statement.
func (tx *Tx) insertSteps(ctx context.Context, requestID string, steps []servicedesk.Step) error {
	labels := make([]string, len(steps))
	for i := range steps {
		steps[i].RequestID = requestID
		b, err := json.Marshal(steps[i].Label)
		if err != nil {
			return err
		}
		labels[i] = string(b)
	}
	for i := range steps {
		st := &steps[i]
		if _, err := tx.exec(ctx, `INSERT INTO request_steps (request_id, step_key, seq, label, mandatory, done_at,
			done_by, done_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			st.RequestID, st.Key, st.Seq, labels[i], st.Mandatory, utcPtr(st.DoneAt), st.DoneBy, st.DoneByName); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) insertEvent(ctx context.Context, requestID string, ev *servicedesk.Event) error {
	if ev.ID == "" {
		ev.ID = enlace.NewID()
	}
	ev.RequestID, ev.At = requestID, tx.now
	_, err := tx.exec(ctx, `INSERT INTO request_events (id, request_id, phase, reason, actor_id, actor_name, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, ev.ID, ev.RequestID, ev.Phase, ev.Reason, ev.ActorID, ev.ActorName, ev.At)
	return err
}

// countRequests moves the kept count of a billing account's requests in a
// phase by delta.
func (tx *Tx) countRequests(ctx context.Context, customerID, accountID, phase string, delta int) error {
	_, err := tx.exec(ctx, `INSERT INTO request_counts (customer_id, billing_account_id, phase, n)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (customer_id, billing_account_id, phase) DO UPDATE SET n = request_counts.n + excluded.n`,
		customerID, accountID, phase, delta)
	return err
}

// SaveRequest writes a change to a request if the request is still as it
// was read, with its event, comment, ticked steps, survey and effects.
// The customer and billing account a request was raised for stay: the
// counts by phase are kept by them.
func (s *Store) SaveRequest(ctx context.Context, c servicedesk.Change, effects ...enlace.Effect) error {
	r := c.Request
	return s.write(ctx, func(tx *Tx) error {
		now := tx.now.UTC()
		if !now.After(c.Read) {
			now = c.Read.UTC().Add(time.Microsecond) // a clock that did not move still makes a new version
		}
		res, err := tx.ExecContext(ctx, `UPDATE requests SET site_id = $1, service_id = $2, service_key = $3,
			type_key = $4, kind = $5, category = $6, incident = $7, subject = $8, description = $9, fields = $10,
			priority = $11, phase = $12, phase_reason = $13, phase_changed_at = $14, queue = $15, assignee_id = $16,
			requester_name = $17, requester_email = $18, severity = $19, ticket_type = $20, external = $21,
			response_due_at = $22, resolution_due_at = $23, response_warn_at = $24, resolution_warn_at = $25,
			first_response_at = $26, paused_at = $27, sla_notices = $28, resolution = $29, resolved_at = $30,
			closed_at = $31, cancelled_at = $32, updated_at = $33
			WHERE id = $34 AND updated_at = $35`,
			r.SiteID, r.ServiceID, r.ServiceKey, r.TypeKey, r.Kind, r.Category, r.Incident, r.Subject, r.Description,
			r.Fields, r.Priority, r.Phase, r.PhaseReason, r.PhaseChangedAt.UTC(), r.Queue, r.AssigneeID, r.RequesterName,
			r.RequesterEmail, r.Severity, r.TicketType, r.External, r.ResponseDueAt.UTC(), r.ResolutionDueAt.UTC(),
			r.ResponseWarnAt.UTC(), r.ResolutionWarnAt.UTC(), utcPtr(r.FirstResponseAt), utcPtr(r.PausedAt),
			r.SLANotices, r.Resolution, utcPtr(r.ResolvedAt), utcPtr(r.ClosedAt), utcPtr(r.CancelledAt), now,
			r.ID, c.Read.UTC())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return enlace.Errorf(enlace.ECONFLICT, "servicedesk.error.changed")
		}
		if err := tx.saveParts(ctx, r.ID, c); err != nil {
			return err
		}
		if c.FromPhase != r.Phase {
			if err := tx.countRequests(ctx, r.CustomerID, r.BillingAccountID, c.FromPhase, -1); err != nil {
				return err
			}
			if err := tx.countRequests(ctx, r.CustomerID, r.BillingAccountID, r.Phase, 1); err != nil {
				return err
			}
		}
		if err := tx.record(ctx, effects...); err != nil {
			return err
		}
		r.UpdatedAt = now
		return nil
	})
}

// saveParts writes what comes with a change of a request: its event,
// comment, ticked steps and survey answer.
func (tx *Tx) saveParts(ctx context.Context, requestID string, c servicedesk.Change) error {
	if c.Event != nil {
		if err := tx.insertEvent(ctx, requestID, c.Event); err != nil {
			return err
		}
	}
	if m := c.Comment; m != nil {
		if m.ID == "" {
			m.ID = enlace.NewID()
		}
		m.RequestID, m.CreatedAt = requestID, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO request_comments (id, request_id, author_id, author_name, staff,
			internal, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			m.ID, m.RequestID, m.AuthorID, m.AuthorName, m.Staff, m.Internal, m.Body, m.CreatedAt); err != nil {
			return err
		}
	}
	for _, st := range c.Steps {
		if _, err := tx.ExecContext(ctx, `UPDATE request_steps SET done_at = $1, done_by = $2, done_by_name = $3
			WHERE request_id = $4 AND step_key = $5`, utcPtr(st.DoneAt), st.DoneBy, st.DoneByName, requestID, st.Key); err != nil {
			return err
		}
	}
	if sv := c.Survey; sv != nil {
		sv.RequestID, sv.CreatedAt = requestID, tx.now
		// DO NOTHING rather than a unique violation: on PostgreSQL that
		// would abort the transaction before it could be told apart.
		res, err := tx.ExecContext(ctx, `INSERT INTO request_surveys (request_id, score, comment, answered_by,
			assignee_id, category, type_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (request_id) DO NOTHING`,
			sv.RequestID, sv.Score, sv.Comment, sv.AnsweredBy, sv.AssigneeID, sv.Category, sv.TypeKey, sv.CreatedAt)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return enlace.Errorf(enlace.ECONFLICT, "servicedesk.error.survey_answered")
		}
	}
	return nil
}

// DeleteRequest deletes a request with its checklist, thread, events and
// survey, retires its attachments and writes the effects.
func (s *Store) DeleteRequest(ctx context.Context, id string, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		for _, table := range []string{"request_steps", "request_comments", "request_events", "request_surveys"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE request_id = $1`, id); err != nil {
				return err
			}
		}
		var r struct {
			CustomerID       string `db:"customer_id"`
			BillingAccountID string `db:"billing_account_id"`
			Phase            string `db:"phase"`
		}
		if err := getOne(ctx, tx, "error.not_found", &r, `DELETE FROM requests WHERE id = $1
			RETURNING customer_id, billing_account_id, phase`, id); err != nil {
			return err
		}
		if err := tx.countRequests(ctx, r.CustomerID, r.BillingAccountID, r.Phase, -1); err != nil {
			return err
		}
		var by string
		if a := enlace.ActorFrom(ctx); a != nil {
			by = a.UserID
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET retired_at = $1, retired_by = $2
			WHERE request_id = $3 AND retired_at IS NULL`, tx.now, by, id); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// RequestByID returns a request with its customer's, site's and agent's names.
func (s *Store) RequestByID(ctx context.Context, id string) (*servicedesk.Request, error) {
	return s.requestBy(ctx, "id", id)
}

// RequestByFolio returns the request with a folio.
func (s *Store) RequestByFolio(ctx context.Context, folio string) (*servicedesk.Request, error) {
	return s.requestBy(ctx, "folio", folio)
}

// requestBy reads the request whose column (a constant of the caller's)
// has a value.
func (s *Store) requestBy(ctx context.Context, column, value string) (*servicedesk.Request, error) {
	var r servicedesk.Request
	if err := s.one(ctx, "error.not_found", &r, `SELECT `+requestColumns+` FROM requests r`+requestJoins+
		` WHERE r.`+column+` = $1`, value); err != nil {
		return nil, err
	}
	return &r, nil
}

// requestWhere builds the conditions of f on requests (or, for the filters
// countable answers, on request_counts) through the alias r.
func requestWhere(f servicedesk.Filter) *where {
	w := &where{}
	if f.CustomerID != "" {
		w.add("r.customer_id = ?", f.CustomerID)
	}
	if f.Accounts != nil {
		if len(f.Accounts) == 0 {
			w.add("FALSE")
		} else {
			w.add("r.billing_account_id IN (" + w.in(f.Accounts) + ")")
		}
	}
	if f.StaffOnly {
		w.add("r.customer_id = ''")
	}
	if f.Phase != "" {
		w.add("r.phase = ?", f.Phase)
	}
	if f.Open || f.Breached {
		w.add("r.phase IN (" + openPhases + ")")
	}
	for _, eq := range []struct{ column, value string }{
		{"kind", f.Kind}, {"category", f.Category}, {"type_key", f.TypeKey}, {"site_id", f.SiteID},
		{"service_key", f.ServiceKey}, {"priority", f.Priority}, {"queue", f.Queue}, {"assignee_id", f.AssigneeID},
		{"requester_id", f.RequesterID},
	} {
		if eq.value != "" {
			w.add("r."+eq.column+" = ?", eq.value)
		}
	}
	if f.Unassigned {
		w.add("r.assignee_id = ''")
	}
	if f.Severity != "" {
		w.add("(r.severity = ? OR (r.severity = '' AND r.priority = ?))", f.Severity, f.SeverityPriority)
	}
	if f.TicketType != "" {
		w.add("(r.ticket_type = ? OR (r.ticket_type = '' AND r.type_key = ?))", f.TicketType, f.TicketType)
	}
	if f.Breached {
		now := f.Now.UTC()
		w.add("r.paused_at IS NULL AND ((r.first_response_at IS NULL AND r.response_due_at < ?) OR r.resolution_due_at < ?)", now, now)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// Folios and keys are upper-case ASCII below '~': prefixes are
		// ranges on their indexes. A folio typed whole or in part looks
		// for folios only: matching it in subjects too would read every
		// request for a word no subject has.
		up := strings.ToUpper(q)
		if folioPrefix(up) {
			w.add("r.folio >= ? AND r.folio < ?", up, up+"~")
		} else {
			w.add(`(r.folio >= ? AND r.folio < ? OR r.service_key >= ? AND r.service_key < ? OR lower(r.subject) LIKE ? ESCAPE '\')`,
				up, up+"~", up, up+"~", "%"+likeEscape(strings.ToLower(q))+"%")
		}
	}
	if f.Since != nil {
		w.add("r.created_at >= ?", f.Since.UTC())
	}
	if f.Until != nil {
		w.add("r.created_at < ?", f.Until.UTC())
	}
	return w
}

// openPhases lists the phases of the requests that still need work, as
// SQL literals: the open phases named, not the others excluded, are a
// range per phase on an index that starts with the phase; and named in
// the statement rather than bound, PostgreSQL's plan for a statement it
// has prepared still knows how few requests they are, where for bound
// values it would guess a fifth of the table and read it from the start.
var openPhases = func() string {
	var open []string
	for _, p := range servicedesk.Phases {
		if (&servicedesk.Request{Phase: p}).Open() {
			open = append(open, "'"+p+"'")
		}
	}
	return strings.Join(open, ", ")
}()

// folioPrefix reports whether an upper-cased query is the start of a
// folio (REQ-2026-0000…).
func folioPrefix(q string) bool {
	rest, ok := strings.CutPrefix(q, "REQ-")
	return ok && strings.Trim(rest, "0123456789-") == ""
}

// countable reports whether the kept counts answer f: it sets nothing but
// the scope (customer, accounts, staff only) and a phase or the open ones.
// Any other field, including one added to Filter later, sends the count
// to the rows.
func countable(f servicedesk.Filter) bool {
	f.CustomerID, f.Accounts, f.StaffOnly, f.Phase, f.Open = "", nil, false, "", false
	f.Now, f.Offset, f.Limit = time.Time{}, 0, 0
	return reflect.DeepEqual(f, servicedesk.Filter{})
}

// moreThan is the total given for a filtered list past 10,000 requests:
// counting further would read every matching row for a number no one
// pages through.
const moreThan = servicedesk.TotalPast

// FindRequests returns a page of the requests matching f, newest first,
// and their total. The page's ids come from an index of the filters in
// creation order (a deferred join); only those rows are read and joined.
func (s *Store) FindRequests(ctx context.Context, f servicedesk.Filter) ([]servicedesk.Request, int, error) {
	w := requestWhere(f)
	var total int
	var err error
	if countable(f) {
		err = s.db.GetContext(ctx, &total, `SELECT COALESCE(SUM(r.n), 0) FROM request_counts r WHERE `+w.String(), w.args...)
	} else {
		err = s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM (SELECT 1 FROM requests r WHERE `+w.String()+
			` LIMIT `+fmt.Sprint(moreThan)+`) x`, w.args...)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("count requests: %w", err)
	}
	out := []servicedesk.Request{}
	if total == 0 {
		return out, 0, nil
	}
	query := `SELECT ` + requestColumns + ` FROM (SELECT r.id FROM requests r WHERE ` + w.String() +
		` ORDER BY r.created_at DESC, r.id DESC LIMIT ` + w.arg(f.Limit) + ` OFFSET ` + w.arg(f.Offset) + `) page
		JOIN requests r ON r.id = page.id` + requestJoins + ` ORDER BY r.created_at DESC, r.id DESC`
	if err := s.db.SelectContext(ctx, &out, query, w.args...); err != nil {
		return nil, 0, fmt.Errorf("find requests: %w", err)
	}
	return out, total, nil
}

// CountByPhase counts the requests matching f by phase, in the order of
// the phases, leaving out those without any: from the kept counts when
// they answer f, else from the rows. One sum per phase rather than a
// GROUP BY: grouping by phase would lead SQLite to an index in phase
// order that reads every row in the scope instead of a range of the
// filters'.
func (s *Store) CountByPhase(ctx context.Context, f servicedesk.Filter) ([]servicedesk.PhaseCount, error) {
	w := requestWhere(f)
	table, one := "requests", "1"
	if countable(f) {
		table, one = "request_counts", "r.n"
	}
	sums := make([]string, len(servicedesk.Phases))
	for i, p := range servicedesk.Phases {
		sums[i] = "COALESCE(SUM(CASE WHEN r.phase = " + w.arg(p) + " THEN " + one + " ELSE 0 END), 0)"
	}
	n := make([]int, len(sums))
	dest := make([]any, len(n))
	for i := range n {
		dest[i] = &n[i]
	}
	if err := s.db.QueryRowContext(ctx, `SELECT `+strings.Join(sums, ", ")+` FROM `+table+` r WHERE `+w.String(),
		w.args...).Scan(dest...); err != nil {
		return nil, fmt.Errorf("count requests by phase: %w", err)
	}
	out := []servicedesk.PhaseCount{}
	for i, p := range servicedesk.Phases {
		if n[i] != 0 {
			out = append(out, servicedesk.PhaseCount{Phase: p, Count: n[i]})
		}
	}
	return out, nil
}

// CountBySite counts the requests matching f by site, open and in all,
// busiest first; requests without a site are left out.
func (s *Store) CountBySite(ctx context.Context, f servicedesk.Filter) ([]servicedesk.SiteCount, error) {
	w := requestWhere(f)
	w.add("r.site_id <> ''")
	filter := w.String()
	out := []servicedesk.SiteCount{}
	err := s.db.SelectContext(ctx, &out, `SELECT x.site_id, st.name AS site_name, st.state, x.open_n AS "open", x.total
		FROM (SELECT r.site_id, SUM(CASE WHEN r.phase IN (`+openPhases+`) THEN 1 ELSE 0 END) AS open_n, COUNT(*) AS total
			FROM requests r WHERE `+filter+` GROUP BY r.site_id) x
		JOIN sites st ON st.id = x.site_id
		ORDER BY x.open_n DESC, x.total DESC, st.name, x.site_id`, w.args...)
	return out, err
}

// stepRow reads a step with its label as the JSON it is stored as.
type stepRow struct {
	servicedesk.Step
	LabelJSON string `db:"label_json"`
}

// RequestSteps returns a request's checklist in order.
func (s *Store) RequestSteps(ctx context.Context, requestID string) ([]servicedesk.Step, error) {
	var rows []stepRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT request_id, step_key, seq, label AS label_json, mandatory, done_at,
		done_by, done_by_name FROM request_steps WHERE request_id = $1 ORDER BY seq, step_key`, requestID); err != nil {
		return nil, err
	}
	out := make([]servicedesk.Step, len(rows))
	for i, row := range rows {
		out[i] = row.Step
		if err := json.Unmarshal([]byte(row.LabelJSON), &out[i].Label); err != nil {
			return nil, fmt.Errorf("step %s of request %s: %w", row.Key, requestID, err)
		}
	}
	return out, nil
}

// RequestComments returns a request's thread, oldest first; internal
// notes only when internal is true.
func (s *Store) RequestComments(ctx context.Context, requestID string, internal bool) ([]servicedesk.Comment, error) {
	out := []servicedesk.Comment{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, request_id, author_id, author_name, staff, internal, body, created_at
		FROM request_comments WHERE request_id = $1 AND (internal = FALSE OR $2) ORDER BY created_at, id`, requestID, internal)
	return out, err
}

// RequestEvents returns a request's phase changes, oldest first.
func (s *Store) RequestEvents(ctx context.Context, requestID string) ([]servicedesk.Event, error) {
	out := []servicedesk.Event{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, request_id, phase, reason, actor_id, actor_name, at
		FROM request_events WHERE request_id = $1 ORDER BY at, id`, requestID)
	return out, err
}

// RequestSurvey returns the survey answer of a request.
func (s *Store) RequestSurvey(ctx context.Context, requestID string) (*servicedesk.Survey, error) {
	var sv servicedesk.Survey
	if err := s.one(ctx, "error.not_found", &sv, `SELECT request_id, score, comment, answered_by, assignee_id,
		category, type_key, created_at FROM request_surveys WHERE request_id = $1`, requestID); err != nil {
		return nil, err
	}
	return &sv, nil
}

// SurveyResults sums the surveys answered since a time by agent (by
// "agent", with the agent's name) or by category, ordered by name and key.
func (s *Store) SurveyResults(ctx context.Context, by string, since time.Time) ([]servicedesk.SurveyResult, error) {
	group := `v.category AS "key", '' AS "name" FROM request_surveys v WHERE v.created_at >= $1 GROUP BY v.category`
	if by == "agent" {
		group = `v.assignee_id AS "key", COALESCE(u.first_name || ' ' || u.last_name, '') AS "name"
			FROM request_surveys v LEFT JOIN users u ON u.id = v.assignee_id
			WHERE v.created_at >= $1 GROUP BY v.assignee_id, u.first_name, u.last_name`
	}
	out := []servicedesk.SurveyResult{}
	err := s.db.SelectContext(ctx, &out, `SELECT COUNT(*) AS answers, AVG(CAST(v.score AS DOUBLE PRECISION)) AS average,
		SUM(CASE WHEN v.score >= 4 THEN 1 ELSE 0 END) AS satisfied, `+group+` ORDER BY "name", "key"`, since.UTC())
	return out, err
}

// Agents returns the active staff who work requests, by name.
func (s *Store) Agents(ctx context.Context) ([]identity.User, error) {
	out := []identity.User{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+userColumns+` FROM users u
		WHERE u.staff_role IN ($1, $2, $3) AND u.disabled = FALSE ORDER BY u.first_name, u.last_name, u.id`,
		identity.StaffAdmin, identity.StaffSupport, identity.StaffTechnician)
	return out, err
}

// ServiceByKey returns the service with a key, any customer's; keys are
// kept upper-case.
func (s *Store) ServiceByKey(ctx context.Context, key string) (*inventory.Service, error) {
	var v inventory.Service
	if err := s.one(ctx, "error.not_found", &v, `SELECT `+serviceColumns+` FROM services v`+serviceJoins+
		` WHERE v.service_key = $1`, strings.ToUpper(key)); err != nil {
		return nil, err
	}
	return &v, nil
}
