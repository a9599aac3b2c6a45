package sqlstore

import (
	"context"
	"time"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// NextNumber takes the next number of a series (a folio) in its own
// transaction: a number is never handed out twice, and one taken by a
// change that then fails stays unused rather than being reused.
func (s *Store) NextNumber(ctx context.Context, series string) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *Tx) (err error) {
		n, err = tx.nextNumber(ctx, series)
		return err
	})
	return n, err
}

// RunbookVersions returns every stored runbook version without its source.
func (s *Store) RunbookVersions(ctx context.Context) ([]activation.RunbookVersion, error) {
	out := []activation.RunbookVersion{}
	err := s.db.SelectContext(ctx, &out, `SELECT template_key, version, '' AS source, created_by, created_at
		FROM runbook_versions ORDER BY template_key, version`)
	return out, err
}

// RunbookVersion returns one runbook version with its source.
func (s *Store) RunbookVersion(ctx context.Context, key string, version int) (*activation.RunbookVersion, error) {
	var v activation.RunbookVersion
	if err := s.one(ctx, "error.not_found", &v, `SELECT template_key, version, source, created_by, created_at
		FROM runbook_versions WHERE template_key = $1 AND version = $2`, key, version); err != nil {
		return nil, err
	}
	return &v, nil
}

// AddRunbookVersion stores a runbook version; ECONFLICT when it exists.
func (s *Store) AddRunbookVersion(ctx context.Context, v *activation.RunbookVersion, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		v.CreatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO runbook_versions (template_key, version, source, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5)`, v.Key, v.Version, v.Source, v.CreatedBy, v.CreatedAt); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

const projectColumns = `p.id, p.folio, p.customer_id, p.billing_account_id, p.site_id, p.order_ref, p.product_order_id,
	p.template_key, p.template_version, p.title, p.options, p.status, p.pm_user_id, p.contact_user_id, p.start_at,
	p.planned_end, p.announced_end, p.billing_start, p.completed_at, p.cancelled_at, p.created_by, p.created_at,
	p.updated_at, c.name AS customer_name, s.name AS site_name,
	COALESCE(u.first_name || ' ' || u.last_name, '') AS pm_name`

const projectFrom = ` FROM projects p JOIN customers c ON c.id = p.customer_id JOIN sites s ON s.id = p.site_id
	LEFT JOIN users u ON u.id = p.pm_user_id`

// CreateProject stores a project and its tasks.
func (s *Store) CreateProject(ctx context.Context, p *activation.Project, tasks []activation.Task, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		p.CreatedAt, p.UpdatedAt = tx.now, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO projects (id, folio, customer_id, billing_account_id, site_id,
			order_ref, product_order_id, template_key, template_version, title, options, status, pm_user_id,
			contact_user_id, start_at, planned_end, announced_end, billing_start, completed_at, cancelled_at,
			created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
			p.ID, p.Folio, p.CustomerID, p.BillingAccountID, p.SiteID, p.OrderRef, p.ProductOrderID, p.TemplateKey,
			p.TemplateVersion, p.Title, p.Options, p.Status, p.PMUserID, p.ContactUserID, p.StartAt, p.PlannedEnd,
			p.AnnouncedEnd, p.BillingStart, p.CompletedAt, p.CancelledAt, p.CreatedBy, p.CreatedAt, p.UpdatedAt); err != nil {
			return err
		}
		for i := range tasks {
			if err := tx.insertTask(ctx, &tasks[i]); err != nil {
				return err
			}
		}
		return tx.record(ctx, effects...)
	})
}

func (tx *Tx) insertTask(ctx context.Context, t *activation.Task) error {
	t.UpdatedAt = tx.now
	_, err := tx.ExecContext(ctx, `INSERT INTO project_tasks (id, project_id, task_key, seq, phase, party, internal,
		status, blocked_reason, blocked_from, planned_start, planned_end, critical, not_before, due_at, started_at,
		done_at, done_by, gate_met_at, gate_by, gate_detail, overdue_notice_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
		t.ID, t.ProjectID, t.Key, t.Seq, t.Phase, t.Party, t.Internal, t.Status, t.BlockedReason, t.BlockedFrom,
		t.PlannedStart, t.PlannedEnd, t.Critical, t.NotBefore, t.DueAt, t.StartedAt, t.DoneAt, t.DoneBy, t.GateMetAt,
		t.GateBy, t.GateDetail, t.OverdueNoticeAt, t.UpdatedAt)
	return err
}

// ProjectByID returns a project.
func (s *Store) ProjectByID(ctx context.Context, id string) (*activation.Project, error) {
	var p activation.Project
	if err := s.one(ctx, "error.not_found", &p, `SELECT `+projectColumns+projectFrom+` WHERE p.id = $1`, id); err != nil {
		return nil, err
	}
	return &p, nil
}

// FindProjects returns a page of projects, newest first, and their total.
func (s *Store) FindProjects(ctx context.Context, f activation.ProjectFilter) ([]activation.Project, int, error) {
	w := projectWhere(f)
	var total int
	if err := s.db.GetContext(ctx, &total, `SELECT COUNT(*) FROM projects p WHERE `+w.String(), w.args...); err != nil {
		return nil, 0, err
	}
	// Each row's progress: two index range counts on project_tasks
	// (project_id, seq) per row of the page, not a read of every task.
	internal := w.arg(f.Internal)
	seen := `t.project_id = p.id AND (t.internal = FALSE OR ` + internal + `)`
	closed := w.arg(activation.TaskDone)
	na := w.arg(activation.TaskNotApplicable)
	out := []activation.Project{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+projectColumns+`,
		(SELECT COUNT(*) FROM project_tasks t WHERE `+seen+`) AS tasks_total,
		(SELECT COUNT(*) FROM project_tasks t WHERE `+seen+` AND t.status IN (`+closed+`, `+na+`)) AS tasks_closed`+
		projectFrom+` WHERE `+w.String()+` ORDER BY p.created_at DESC, p.id DESC LIMIT `+w.arg(f.Limit)+` OFFSET `+w.arg(f.Offset), w.args...)
	return out, total, err
}

func projectWhere(f activation.ProjectFilter) *where {
	w := &where{}
	if f.CustomerID != "" {
		w.add("p.customer_id = ?", f.CustomerID)
	}
	if f.Accounts != nil {
		if len(f.Accounts) == 0 {
			w.add("FALSE")
		} else {
			w.add("p.billing_account_id IN (" + w.in(f.Accounts) + ")")
		}
	}
	if f.SiteID != nil {
		w.add("p.site_id = ?", *f.SiteID)
	}
	if f.Status != nil {
		w.add("p.status = ?", *f.Status)
	}
	if f.TemplateKey != nil {
		w.add("p.template_key = ?", *f.TemplateKey)
	}
	if f.PMUserID != nil {
		w.add("p.pm_user_id = ?", *f.PMUserID)
	}
	return w
}

const taskColumns = `t.id, t.project_id, t.task_key, t.seq, t.phase, t.party, t.internal, t.status, t.blocked_reason,
	t.blocked_from, t.planned_start, t.planned_end, t.critical, t.not_before, t.due_at, t.started_at, t.done_at,
	t.done_by, t.gate_met_at, t.gate_by, t.gate_detail, t.overdue_notice_at, t.updated_at`

// ProjectTasks returns a project's tasks in plan order.
func (s *Store) ProjectTasks(ctx context.Context, projectID string) ([]activation.Task, error) {
	out := []activation.Task{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+taskColumns+` FROM project_tasks t WHERE t.project_id = $1 ORDER BY t.seq`, projectID)
	return out, err
}

// SaveProject writes a project and the tasks given, if the project is
// still as it was read: the update matches its updated_at, so of two
// people changing one project at once the second is told to reload.
func (s *Store) SaveProject(ctx context.Context, p *activation.Project, read time.Time, changed []activation.Task, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		now := tx.now
		if !now.After(read) {
			now = read.Add(time.Microsecond) // a clock that did not move still makes a new version
		}
		res, err := tx.ExecContext(ctx, `UPDATE projects SET title = $1, status = $2, pm_user_id = $3, contact_user_id = $4,
			start_at = $5, planned_end = $6, announced_end = $7, billing_start = $8, completed_at = $9, cancelled_at = $10,
			updated_at = $11 WHERE id = $12 AND updated_at = $13`,
			p.Title, p.Status, p.PMUserID, p.ContactUserID, p.StartAt, p.PlannedEnd, p.AnnouncedEnd, p.BillingStart,
			p.CompletedAt, p.CancelledAt, now, p.ID, read)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return enlace.Errorf(enlace.ECONFLICT, "activation.error.changed_meanwhile")
		}
		p.UpdatedAt = now
		for i := range changed {
			t := &changed[i]
			t.UpdatedAt = now
			if _, err := tx.ExecContext(ctx, `UPDATE project_tasks SET status = $1, blocked_reason = $2, blocked_from = $3,
				planned_start = $4, planned_end = $5, critical = $6, not_before = $7, due_at = $8, started_at = $9,
				done_at = $10, done_by = $11, gate_met_at = $12, gate_by = $13, gate_detail = $14, overdue_notice_at = $15,
				updated_at = $16 WHERE id = $17 AND project_id = $18`,
				t.Status, t.BlockedReason, t.BlockedFrom, t.PlannedStart, t.PlannedEnd, t.Critical, t.NotBefore, t.DueAt,
				t.StartedAt, t.DoneAt, t.DoneBy, t.GateMetAt, t.GateBy, t.GateDetail, t.OverdueNoticeAt, t.UpdatedAt,
				t.ID, p.ID); err != nil {
				return err
			}
		}
		return tx.record(ctx, effects...)
	})
}

// OpenTasks returns the open tasks (ready, in progress, blocked) of the
// active projects matching f, by due date.
func (s *Store) OpenTasks(ctx context.Context, f activation.ProjectFilter) ([]activation.ProjectTask, error) {
	w := projectWhere(f)
	w.add("p.status = ?", activation.ProjectActive)
	w.add("t.status IN (?, ?, ?)", activation.TaskReady, activation.TaskInProgress, activation.TaskBlocked)
	out := []activation.ProjectTask{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+taskColumns+`, p.title AS project_title, p.folio AS project_folio,
		p.customer_id, c.name AS customer_name, s.name AS site_name, p.template_key, p.template_version, p.pm_user_id
		FROM project_tasks t JOIN projects p ON p.id = t.project_id JOIN customers c ON c.id = p.customer_id
		JOIN sites s ON s.id = p.site_id
		WHERE `+w.String()+` ORDER BY COALESCE(t.due_at, t.planned_end), t.id LIMIT `+w.arg(max(f.Limit, 1)), w.args...)
	return out, err
}

// ProjectPhases returns the phase of the first open task, in plan order,
// of every active project matching f.
func (s *Store) ProjectPhases(ctx context.Context, f activation.ProjectFilter) ([]activation.PhaseCount, error) {
	w := projectWhere(f)
	w.add("p.status = ?", activation.ProjectActive)
	open := w.arg(activation.TaskDone)
	na := w.arg(activation.TaskNotApplicable)
	out := []activation.PhaseCount{}
	err := s.db.SelectContext(ctx, &out, `SELECT p.template_key, t.phase, p.id AS project_id
		FROM projects p JOIN project_tasks t ON t.project_id = p.id
		WHERE `+w.String()+` AND t.seq = (SELECT MIN(o.seq) FROM project_tasks o
			WHERE o.project_id = p.id AND o.status <> `+open+` AND o.status <> `+na+`)
		ORDER BY p.template_key, p.created_at`, w.args...)
	return out, err
}

// ActiveProjectIDs returns the ids of every active project.
func (s *Store) ActiveProjectIDs(ctx context.Context) ([]string, error) {
	ids := []string{}
	err := s.db.SelectContext(ctx, &ids, `SELECT id FROM projects WHERE status = $1 ORDER BY id`, activation.ProjectActive)
	return ids, err
}

// CalendarDays returns the calendar overrides by day.
func (s *Store) CalendarDays(ctx context.Context) ([]activation.CalendarDay, error) {
	out := []activation.CalendarDay{}
	err := s.db.SelectContext(ctx, &out, `SELECT day, kind, name FROM calendar_days ORDER BY day`)
	return out, err
}

// SetCalendarDay adds or replaces a calendar override.
func (s *Store) SetCalendarDay(ctx context.Context, d activation.CalendarDay, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3)
			ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name`, d.Day, d.Kind, d.Name); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// DeleteCalendarDay removes a calendar override.
func (s *Store) DeleteCalendarDay(ctx context.Context, day string, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM calendar_days WHERE day = $1`, day)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
		}
		return tx.record(ctx, effects...)
	})
}

const noteColumns = `id, project_id, kind, internal, meeting_at, body, notes_due_at, published_at, author_id,
	author_name, created_at, updated_at`

// CreateNote stores a project's meeting or note.
func (s *Store) CreateNote(ctx context.Context, n *activation.Note, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		n.CreatedAt, n.UpdatedAt = tx.now, tx.now
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_notes (`+noteColumns+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			n.ID, n.ProjectID, n.Kind, n.Internal, n.MeetingAt, n.Body, n.NotesDueAt, n.PublishedAt, n.AuthorID,
			n.AuthorName, n.CreatedAt, n.UpdatedAt); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// UpdateNote stores a note's text and publication.
func (s *Store) UpdateNote(ctx context.Context, n *activation.Note, effects ...enlace.Effect) error {
	return s.write(ctx, func(tx *Tx) error {
		n.UpdatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE project_notes SET body = $1, published_at = $2, updated_at = $3 WHERE id = $4`,
			n.Body, n.PublishedAt, n.UpdatedAt, n.ID); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
}

// NoteByID returns a project note.
func (s *Store) NoteByID(ctx context.Context, id string) (*activation.Note, error) {
	var n activation.Note
	if err := s.one(ctx, "error.not_found", &n, `SELECT `+noteColumns+` FROM project_notes WHERE id = $1`, id); err != nil {
		return nil, err
	}
	return &n, nil
}

// ProjectNotes returns a project's notes, newest first.
func (s *Store) ProjectNotes(ctx context.Context, projectID string) ([]activation.Note, error) {
	out := []activation.Note{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+noteColumns+` FROM project_notes WHERE project_id = $1
		ORDER BY created_at DESC, id DESC`, projectID)
	return out, err
}

// ProjectManagers returns the active staff who may manage projects, by name.
func (s *Store) ProjectManagers(ctx context.Context) ([]identity.User, error) {
	out := []identity.User{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+userColumns+` FROM users u
		WHERE u.staff_role IN ('pm', 'admin') AND u.disabled = FALSE ORDER BY u.first_name, u.last_name, u.id`)
	return out, err
}
