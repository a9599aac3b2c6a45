package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/reach"
)

const (
	reachLineInsertColumns = `id, customer_id, project_id, seq, person, ref, old_e164, temporary_number_id, trunk_id,
		clip_at, clip_by, forwarding_at, forwarding_by, version, created_at, updated_at`
	reachLineInsertWidth = 16
	reachTrunkColumns    = `id, customer_id, project_id, name, ref, version, created_at, updated_at`
)

// reachLineColumns reads a line through the alias l with its provisional
// number (tn), its trunk (t) and its old number in the customer's
// inventory (n).
var reachLineColumns = qualify("l", reachLineInsertColumns) + `, COALESCE(tn.e164, '') AS temporary_e164,
	COALESCE(tn.state, '') AS temporary_state, COALESCE(t.name, '') AS trunk_name, COALESCE(n.state, '') AS old_state,
	COALESCE(n.port_order_id, '') AS old_port_order_id`

// The old number joins through the numbers_held index: at most one number
// not released has an E.164.
const reachLineJoins = ` LEFT JOIN numbers tn ON tn.id = l.temporary_number_id
	LEFT JOIN reach_trunks t ON t.id = l.trunk_id
	LEFT JOIN numbers n ON n.e164 = l.old_e164 AND n.customer_id = l.customer_id AND ` + heldNumber

// ReachLines returns a project's people in the order entered, with their
// provisional number, trunk and old number's state.
func (s *Store) ReachLines(ctx context.Context, projectID string) ([]reach.Line, error) {
	out := []reach.Line{}
	if err := s.db.SelectContext(ctx, &out, `SELECT `+reachLineColumns+` FROM reach_lines l`+reachLineJoins+`
		WHERE l.project_id = $1 ORDER BY l.seq`, projectID); err != nil {
		return nil, fmt.Errorf("reach lines: %w", err)
	}
	return out, nil
}

// ReachTrunks returns a project's trunks by name with how many people
// call out on each and on how many of them it presents the old number.
// The counts name the partial index's condition (trunk_id not empty) so
// that they use it.
func (s *Store) ReachTrunks(ctx context.Context, projectID string) ([]reach.Trunk, error) {
	out := []reach.Trunk{}
	if err := s.db.SelectContext(ctx, &out, `SELECT `+qualify("t", reachTrunkColumns)+`,
		(SELECT COUNT(*) FROM reach_lines l WHERE l.trunk_id = t.id AND l.trunk_id <> '') AS lines,
		(SELECT COUNT(*) FROM reach_lines l WHERE l.trunk_id = t.id AND l.trunk_id <> '' AND l.clip_at IS NOT NULL) AS presented
		FROM reach_trunks t WHERE t.project_id = $1 ORDER BY t.name, t.id`, projectID); err != nil {
		return nil, fmt.Errorf("reach trunks: %w", err)
	}
	return out, nil
}

// SaveReach writes a change of a list with its effects in one
// transaction: removals first, so that a number or name they free may be
// taken again by the change; trunks before lines, so that a line may go
// on a trunk the change adds; numbers last. Rows are updated and deleted
// only if their version is still the one read. The versions, times and
// new lines' places move on once all of it is committed.
func (s *Store) SaveReach(ctx context.Context, c reach.Change, effects ...enlace.Effect) error {
	var now time.Time
	var seqs []int
	err := s.write(ctx, func(tx *Tx) error {
		now = tx.now
		for i := range c.RemovedLines {
			if err := tx.removeReach(ctx, "reach_lines", c.RemovedLines[i].ID, c.RemovedLines[i].Version); err != nil {
				return err
			}
		}
		for i := range c.RemovedTrunks {
			if err := tx.removeReach(ctx, "reach_trunks", c.RemovedTrunks[i].ID, c.RemovedTrunks[i].Version); err != nil {
				return err
			}
		}
		if err := tx.insertReachTrunks(ctx, c.NewTrunks); err != nil {
			return err
		}
		for i := range c.Trunks {
			if err := tx.updateReachTrunk(ctx, &c.Trunks[i]); err != nil {
				return err
			}
		}
		var err error
		if seqs, err = tx.insertReachLines(ctx, c.NewLines); err != nil {
			return err
		}
		for i := range c.Lines {
			if err := tx.updateReachLine(ctx, &c.Lines[i]); err != nil {
				return err
			}
		}
		if err := tx.saveNumbers(ctx, c.Numbers); err != nil {
			return err
		}
		return tx.record(ctx, effects...)
	})
	if err != nil {
		return s.reachConflict(ctx, err, c)
	}
	for i := range c.NewTrunks {
		t := &c.NewTrunks[i]
		t.Version, t.CreatedAt, t.UpdatedAt = 1, now, now
	}
	for i := range c.Trunks {
		c.Trunks[i].Version++
		c.Trunks[i].UpdatedAt = now
	}
	for i := range c.NewLines {
		l := &c.NewLines[i]
		l.Seq, l.Version, l.CreatedAt, l.UpdatedAt = seqs[i], 1, now, now
	}
	for i := range c.Lines {
		c.Lines[i].Version++
		c.Lines[i].UpdatedAt = now
	}
	savedNumbers(c.Numbers, now)
	return nil
}

// removeReach deletes a line or trunk (table is one of the two, never
// input) whose version is still the one read.
func (tx *Tx) removeReach(ctx context.Context, table, id string, version int) error {
	res, err := tx.exec(ctx, `DELETE FROM `+table+` WHERE id = $1 AND version = $2`, id, version)
	if err != nil {
		return err
	}
	return reachChanged(res.RowsAffected())
}

// reachChanged turns an update or delete that met no row into the news
// that the list changed since it was read.
func reachChanged(n int64, err error) error {
	if err != nil {
		return err
	}
	if n == 0 {
		return enlace.Errorf(enlace.ECONFLICT, "reach.error.changed")
	}
	return nil
}

func (tx *Tx) insertReachTrunks(ctx context.Context, ts []reach.Trunk) error {
	for i := range ts {
		t := &ts[i]
		if _, err := tx.exec(ctx, `INSERT INTO reach_trunks (`+reachTrunkColumns+`) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)`,
			t.ID, t.CustomerID, t.ProjectID, t.Name, t.Ref, tx.now); err != nil {
			return err
		}
	}
	return nil
}

// updateReachTrunk writes a trunk whose version is still the one read.
func (tx *Tx) updateReachTrunk(ctx context.Context, t *reach.Trunk) error {
	res, err := tx.exec(ctx, `UPDATE reach_trunks SET name = $1, ref = $2, version = version + 1, updated_at = $3
		WHERE id = $4 AND version = $5`, t.Name, t.Ref, tx.now, t.ID, t.Version)
	if err != nil {
		return err
	}
	return reachChanged(res.RowsAffected())
}

// insertReachLines adds lines after their project's last, in the order
// given, and returns the places they took. Two changes adding to a list
// at once may count from the same last place: the second then fails on
// the (project_id, seq) key, and reachConflict tells it the list changed.
func (tx *Tx) insertReachLines(ctx context.Context, ls []reach.Line) ([]int, error) {
	seqs := make([]int, len(ls))
	last := map[string]int{}
	for i := range ls {
		p := ls[i].ProjectID
		if _, ok := last[p]; !ok {
			var n int
			if err := tx.get(ctx, &n, `SELECT COALESCE(MAX(seq), 0) FROM reach_lines WHERE project_id = $1`, p); err != nil {
				return nil, err
			}
			last[p] = n
		}
		last[p]++
		seqs[i] = last[p]
	}
	err := insertBatches(ctx, tx, "reach_lines", reachLineInsertColumns, reachLineInsertWidth, tx.store.dialect.insertBatch(), len(ls),
		func(i int, dst []any) []any {
			l := &ls[i]
			return append(dst, l.ID, l.CustomerID, l.ProjectID, seqs[i], l.Person, l.Ref, l.OldE164, l.TemporaryNumberID,
				l.TrunkID, utcPtr(l.ClipAt), l.ClipBy, utcPtr(l.ForwardingAt), l.ForwardingBy, 1, tx.now, tx.now)
		})
	if err != nil {
		return nil, err
	}
	return seqs, nil
}

// updateReachLine writes a line whose version is still the one read.
func (tx *Tx) updateReachLine(ctx context.Context, l *reach.Line) error {
	res, err := tx.exec(ctx, `UPDATE reach_lines SET person = $1, ref = $2, old_e164 = $3, temporary_number_id = $4,
		trunk_id = $5, clip_at = $6, clip_by = $7, forwarding_at = $8, forwarding_by = $9, version = version + 1,
		updated_at = $10 WHERE id = $11 AND version = $12`,
		l.Person, l.Ref, l.OldE164, l.TemporaryNumberID, l.TrunkID, utcPtr(l.ClipAt), l.ClipBy, utcPtr(l.ForwardingAt),
		l.ForwardingBy, tx.now, l.ID, l.Version)
	if err != nil {
		return err
	}
	return reachChanged(res.RowsAffected())
}

// reachConflict names what made a change of a list break a unique key.
// The keys, not reads before the writes, are what refuse a duplicate:
// they hold against a concurrent writer too. The drivers' errors do not
// name the row, so once the transaction is over the change's old numbers,
// trunk names and provisional numbers are looked up among the rows it
// neither writes nor removes, and within the change itself.
func (s *Store) reachConflict(ctx context.Context, err error, c reach.Change) error {
	if e := enlace.AsError(err); err == nil || e.Code != enlace.ECONFLICT || e.Message != "error.conflict" {
		return err
	}
	lines := slices.Concat(c.NewLines, c.Lines)
	trunks := slices.Concat(c.NewTrunks, c.Trunks)
	// Rows the change writes hold, after it, what it gives them, not what
	// they hold now; rows it removes hold nothing.
	gone := map[string]bool{}
	for _, l := range slices.Concat(lines, c.RemovedLines) {
		gone[l.ID] = true
	}
	for _, t := range slices.Concat(trunks, c.RemovedTrunks) {
		gone[t.ID] = true
	}

	keys := make([]reachKey, len(lines))
	for i, l := range lines {
		keys[i] = reachKey{l.ProjectID, l.OldE164}
	}
	if i, lookErr := s.reachTaken(ctx, "reach_lines", "old_e164", keys, gone); lookErr != nil {
		return err
	} else if i >= 0 {
		return enlace.Errorf(enlace.ECONFLICT, "reach.error.duplicate", "Number", numbering.Format(lines[i].OldE164))
	}

	keys = make([]reachKey, len(trunks))
	for i, t := range trunks {
		keys[i] = reachKey{t.ProjectID, t.Name}
	}
	if i, lookErr := s.reachTaken(ctx, "reach_trunks", "name", keys, gone); lookErr != nil {
		return err
	} else if i >= 0 {
		return enlace.Errorf(enlace.ECONFLICT, "reach.error.trunk_taken", "Name", trunks[i].Name)
	}

	// A number stands in for one person in any project: no project in the
	// key.
	var given []reach.Line
	keys = keys[:0]
	for _, l := range lines {
		if l.TemporaryNumberID != "" {
			given = append(given, l)
			keys = append(keys, reachKey{"", l.TemporaryNumberID})
		}
	}
	if i, lookErr := s.reachTaken(ctx, "reach_lines", "temporary_number_id", keys, gone); lookErr != nil {
		return err
	} else if i >= 0 {
		e164 := given[i].TemporaryE164
		if e164 == "" {
			if n, lookErr := s.NumberByID(ctx, given[i].TemporaryNumberID); lookErr == nil {
				e164 = n.E164
			}
		}
		return enlace.Errorf(enlace.ECONFLICT, "reach.error.temporary_taken", "Number", numbering.Format(e164))
	}
	// What is left is the list's order: a concurrent change added people
	// to the list and took the places this one counted on.
	return enlace.Errorf(enlace.ECONFLICT, "reach.error.changed")
}

// reachKey is the value of a unique column in its project; project is
// empty when the column is unique across projects.
type reachKey struct{ project, value string }

// reachTaken returns the index of the first of keys that an earlier one
// or a row of table not in gone holds in column, or -1. table and column
// are the callers' constants, never input.
func (s *Store) reachTaken(ctx context.Context, table, column string, keys []reachKey, gone map[string]bool) (int, error) {
	held := make(map[reachKey]bool, len(keys))
	for lo := 0; lo < len(keys); lo += 500 {
		chunk := keys[lo:min(lo+500, len(keys))]
		var vals, projects []string
		for _, k := range chunk {
			vals = append(vals, k.value)
			if k.project != "" && !slices.Contains(projects, k.project) {
				projects = append(projects, k.project)
			}
		}
		var w where
		if len(projects) > 0 {
			w.add("project_id IN (" + w.in(projects) + ")")
		}
		w.add(column + " <> ''")
		w.add(column + " IN (" + w.in(vals) + ")")
		var rows []struct {
			ID      string `db:"id"`
			Project string `db:"project_id"`
			Value   string `db:"value"`
		}
		if err := s.db.SelectContext(ctx, &rows, `SELECT id, project_id, `+column+` AS value FROM `+table+
			` WHERE `+w.String(), w.args...); err != nil {
			return -1, fmt.Errorf("reach keys taken: %w", err)
		}
		for _, r := range rows {
			if gone[r.ID] {
				continue
			}
			if len(projects) == 0 {
				r.Project = ""
			}
			held[reachKey{r.Project, r.Value}] = true
		}
	}
	for i, k := range keys {
		if held[k] {
			return i, nil
		}
		held[k] = true
	}
	return -1, nil
}
