package api

import (
	"net/http"

	"github.com/enlace-portal/enlace/internal/audit"
)

// listAudit pages through the audit log, newest first. actor matches part
// of the actor's e-mail, action a prefix (user. matches user.create), since
// and until bound created_at as [since, until).
func (a *API) listAudit(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	p := q.page(MaxLimit)
	f := audit.Filter{ActorEmail: q.str("actor"), Action: q.str("action"), ObjectType: q.str("objectType"),
		ObjectID: q.str("objectId"), CustomerID: q.str("customerId"), Since: q.time("since"), Until: q.time("until"),
		Offset: p.Offset, Limit: p.Limit}
	if err := q.err(); err != nil {
		return err
	}
	es, total, err := a.Audit.Find(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, es, total, p)
}
