package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/i18n"
	"github.com/enlace-portal/enlace/internal/numbering"
	"github.com/enlace-portal/enlace/internal/reach"
)

// reachRoutes serve a migration's list of people (D3): who must stay
// reachable until their numbers are ported, on which provisional number
// and trunk, and what is confirmed about each. The service decides who
// sees a list (another customer's project answers 404 on every route)
// and who may change it: the customer's administrators and technical
// contacts keep the people and confirm the forwarding; only the
// provider's staff who keep numbers handle the trunks, the provisional
// numbers and CLIP-no-screening (403 for everyone else).
var reachRoutes = []route{
	{method: "GET", path: "/projects/{id}/reach", handle: (*API).getReach},
	{method: "POST", path: "/projects/{id}/reach/people", handle: (*API).addReachPeople},
	{method: "PUT", path: "/projects/{id}/reach/people/{line}", handle: reachPersonChange(updateReachPerson)},
	{method: "DELETE", path: "/projects/{id}/reach/people/{line}", query: []string{"version"}, handle: (*API).removeReachPerson},
	{method: "GET", path: "/projects/{id}/reach/people/{line}/candidates", query: pageParams, handle: (*API).reachCandidates},
	{method: "PUT", path: "/projects/{id}/reach/people/{line}/temporary", handle: reachPersonChange(assignTemporary)},
	{method: "POST", path: "/projects/{id}/reach/temporaries", handle: (*API).assignTemporaries},
	{method: "POST", path: "/projects/{id}/reach/actions", handle: (*API).actOnReach},
	{method: "POST", path: "/projects/{id}/reach/release", handle: (*API).releaseTemporaries},
	{method: "POST", path: "/projects/{id}/reach/trunks", handle: (*API).addTrunk},
	{method: "PUT", path: "/projects/{id}/reach/trunks/{trunk}", handle: (*API).updateTrunk},
	{method: "POST", path: "/projects/{id}/reach/trunks/{trunk}/people", handle: (*API).putOnTrunk},
	{method: "DELETE", path: "/projects/{id}/reach/trunks/{trunk}", query: []string{"version"}, handle: (*API).removeTrunk},
}

// reachService returns the service, or not found where the program runs
// without one.
func (a *API) reachService() (*reach.Service, error) {
	if a.Reach == nil {
		return nil, enlace.Errorf(enlace.ENOTFOUND, "error.not_found")
	}
	return a.Reach, nil
}

// reachJSON is a project's list as its reader sees it: the people in the
// order entered, the provider's trunks by name and the migration's
// checkpoints in the order they come.
type reachJSON struct {
	People      []reachPersonJSON `json:"people"`
	Trunks      []reachTrunkJSON  `json:"trunks"`
	Checkpoints []reachCheckJSON  `json:"checkpoints"`
}

// reachPersonJSON is one person of the list: their old number and its
// state in the customer's inventory, their provisional number, their
// trunk, and who confirmed the presentation and the forwarding when.
type reachPersonJSON struct {
	ID                   string     `json:"id"`
	Person               string     `json:"person"`
	Ref                  string     `json:"ref"`
	Number               string     `json:"number"`
	NumberState          string     `json:"numberState,omitempty"`
	PortOrderID          string     `json:"portOrderId,omitempty"`
	TemporaryNumberID    string     `json:"temporaryNumberId,omitempty"`
	TemporaryNumber      string     `json:"temporaryNumber,omitempty"`
	TemporaryNumberState string     `json:"temporaryNumberState,omitempty"`
	TrunkID              string     `json:"trunkId,omitempty"`
	TrunkName            string     `json:"trunkName,omitempty"`
	ClipAt               *time.Time `json:"clipAt,omitempty"`
	ClipBy               string     `json:"clipBy,omitempty"`
	ForwardingAt         *time.Time `json:"forwardingAt,omitempty"`
	ForwardingBy         string     `json:"forwardingBy,omitempty"`
	Version              int        `json:"version"`
}

// reachTrunkJSON is one of the provider's SIP trunks with how many people
// call out on it and on how many of them it presents the old number.
type reachTrunkJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Ref       string `json:"ref"`
	People    int    `json:"people"`
	Presented int    `json:"presented"`
	Version   int    `json:"version"`
}

// reachCheckJSON is a checkpoint of the migration in the reader's
// language, with the runbook task tied to it if the project has one.
type reachCheckJSON struct {
	Key        string `json:"key"`
	Label      string `json:"label"`
	Done       int    `json:"done"`
	Total      int    `json:"total"`
	Complete   bool   `json:"complete"`
	TaskID     string `json:"taskId,omitempty"`
	TaskStatus string `json:"taskStatus,omitempty"`
}

func reachPersonOut(l *reach.Line) reachPersonJSON {
	return reachPersonJSON{ID: l.ID, Person: l.Person, Ref: l.Ref, Number: l.OldE164, NumberState: l.OldState,
		PortOrderID: l.OldPortOrderID, TemporaryNumberID: l.TemporaryNumberID, TemporaryNumber: l.TemporaryE164,
		TemporaryNumberState: l.TemporaryState, TrunkID: l.TrunkID, TrunkName: l.TrunkName, ClipAt: l.ClipAt,
		ClipBy: l.ClipBy, ForwardingAt: l.ForwardingAt, ForwardingBy: l.ForwardingBy, Version: l.Version}
}

func reachTrunkOut(t *reach.Trunk) reachTrunkJSON {
	return reachTrunkJSON{ID: t.ID, Name: t.Name, Ref: t.Ref, People: t.Lines, Presented: t.Presented, Version: t.Version}
}

func reachOut(p *reach.Plan, loc *i18n.Localizer) reachJSON {
	out := reachJSON{People: mapItems(p.Lines, reachPersonOut), Trunks: mapItems(p.Trunks, reachTrunkOut),
		Checkpoints: make([]reachCheckJSON, len(p.Checks))}
	for i := range p.Checks {
		c := &p.Checks[i]
		out.Checkpoints[i] = reachCheckJSON{Key: c.Key, Label: loc.T("reach.check." + c.Key), Done: c.Done, Total: c.Total,
			Complete: c.Complete()}
		if c.Task != nil {
			out.Checkpoints[i].TaskID, out.Checkpoints[i].TaskStatus = c.Task.ID, c.Task.Status
		}
	}
	return out
}

// reachFields names the service's field errors as members of the body:
// the rows of people added (field lines, argument Row counting from 1)
// as the items of people, and the old number as number.
func reachFields(err error) error {
	var e *enlace.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]enlace.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		switch f.Field {
		case "lines":
			f.Field = "people"
			if row, ok := f.Args["Row"].(int); ok {
				f.Field += "/" + strconv.Itoa(row-1)
			}
		case "oldNumber":
			f.Field = "number"
		}
		out.Fields[i] = f
	}
	return &out
}

// getReach answers a project's list, to whoever sees the project; a
// project whose runbook keeps no list is not found.
func (a *API) getReach(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.reachService()
	if err != nil {
		return err
	}
	p, err := svc.Plan(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, reachOut(p, a.localizer(r)))
}

// reachPeopleJSON is the body of POST /projects/{id}/reach/people and its
// answer: people to add, or added.
type reachPeopleJSON struct {
	People []reachRowJSON `json:"people"`
}

// reachRowJSON is a person to add: their name, current number and,
// optionally, sign-in name or e-mail.
type reachRowJSON struct {
	Person string `json:"person"`
	Number string `json:"number"`
	Ref    string `json:"ref"`
}

// addedPeopleJSON is the answer to POST /projects/{id}/reach/people.
type addedPeopleJSON struct {
	People []reachPersonJSON `json:"people"`
}

// addReachPeople adds people to the list, all of them or none: each
// problem names its item of people.
func (a *API) addReachPeople(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.reachService()
	if err != nil {
		return err
	}
	var in reachPeopleJSON
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	rows := make([]reach.Row, len(in.People))
	for i, p := range in.People {
		rows[i] = reach.Row{N: i + 1, Person: p.Person, Number: p.Number, Ref: p.Ref}
	}
	added, err := svc.AddLines(r.Context(), r.PathValue("id"), rows)
	if err != nil {
		return reachFields(err)
	}
	// Read back as GET shows them, with their old numbers' state.
	p, err := svc.Plan(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := addedPeopleJSON{People: make([]reachPersonJSON, 0, len(added))}
	for i := range added {
		l := &added[i]
		if cur := p.Line(l.ID); cur != nil {
			l = cur
		}
		out.People = append(out.People, reachPersonOut(l))
	}
	return writeJSON(w, http.StatusCreated, out)
}

// reachPersonChange returns the handler of a change to a person of the
// list, answering the person as it now is.
func reachPersonChange[T any](change func(*reach.Service, *http.Request, *T) (*reach.Line, error)) handlerFunc {
	return changeHandler((*API).reachService, (*API).writeReachPerson, required, http.StatusOK, change)
}

// writeReachPerson reads a person back as GET shows them, with the names
// and states a change may have moved (the trunk's, the numbers').
func (a *API) writeReachPerson(w http.ResponseWriter, r *http.Request, status int, l *reach.Line) error {
	p, err := a.Reach.Plan(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if cur := p.Line(l.ID); cur != nil {
		l = cur
	}
	return writeJSON(w, status, reachPersonOut(l))
}

// reachPersonInputJSON is the body of PUT /projects/{id}/reach/people/{line}:
// the person as it is to be, on the version read. The trunk left out (or
// null) stays as it is; "" takes the person off their trunk.
type reachPersonInputJSON struct {
	Person  string  `json:"person"`
	Ref     string  `json:"ref"`
	Number  string  `json:"number"`
	TrunkID *string `json:"trunkId"`
	Version int     `json:"version"`
}

// requireVersion refuses a change that does not say which version of the
// object it was made on.
func requireVersion(version int) error {
	if version < 1 {
		return enlace.Invalid([]enlace.FieldError{enlace.Field("version", "api.field_required")})
	}
	return nil
}

// updateReachPerson changes a person; a new old number or trunk clears
// what was confirmed about the old one.
func updateReachPerson(svc *reach.Service, r *http.Request, in *reachPersonInputJSON) (*reach.Line, error) {
	if err := requireVersion(in.Version); err != nil {
		return nil, err
	}
	l, err := svc.UpdateLine(r.Context(), r.PathValue("id"), r.PathValue("line"),
		reach.LineInput{Person: in.Person, Ref: in.Ref, OldNumber: in.Number, TrunkID: in.TrunkID, Version: in.Version})
	return l, reachFields(err)
}

// versionParam reads the version a removal was decided on (?version=): a
// removal must name it, so that what someone else changed meanwhile is
// not removed unseen.
func versionParam(r *http.Request) (int, error) {
	q := newQuery(r)
	if q.str("version") == nil {
		q.fields = append(q.fields, enlace.Field("version", "api.query_required"))
	}
	v := q.integer("version", 0, 1, 1<<31-1)
	return v, q.err()
}

// removeReachPerson takes a person off the list; their provisional number
// stays the customer's, free for someone else.
func (a *API) removeReachPerson(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.reachService()
	if err != nil {
		return err
	}
	version, err := versionParam(r)
	if err != nil {
		return err
	}
	if err := svc.RemoveLine(r.Context(), r.PathValue("id"), r.PathValue("line"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// reachCandidates pages through the numbers a person may be given as
// provisional: the customer's unused test numbers, then its available
// ones, from the local area of the person's old number.
func (a *API) reachCandidates(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.reachService()
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page(MaxLimit)
	if err := q.err(); err != nil {
		return err
	}
	ns, err := svc.Candidates(r.Context(), r.PathValue("id"), r.PathValue("line"))
	if err != nil {
		return err
	}
	loc := a.localizer(r)
	return writeList(w, mapItems(window(ns, p), func(n *numbering.Number) numberJSON { return numberOut(n, loc) }), len(ns), p)
}

// temporaryJSON is the body of PUT /projects/{id}/reach/people/{line}/temporary.
type temporaryJSON struct {
	NumberID string `json:"numberId"`
}

// assignTemporary gives a person the provisional number chosen; the one
// they had stops ringing them.
func assignTemporary(svc *reach.Service, r *http.Request, in *temporaryJSON) (*reach.Line, error) {
	return svc.AssignTemporary(r.Context(), r.PathValue("id"), r.PathValue("line"), in.NumberID)
}

// temporariesJSON is the answer to POST /projects/{id}/reach/temporaries:
// how many people got a provisional number and, by local area, how many
// are left without because the customer has no free number there.
type temporariesJSON struct {
	Assigned  int               `json:"assigned"`
	Shortfall []reach.Shortfall `json:"shortfall"`
}

// assignTemporaries gives everyone without a provisional number one from
// their old number's local area. The request has no body.
func (a *API) assignTemporaries(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.reachService()
	if err != nil {
		return err
	}
	n, short, err := svc.AssignTemporaries(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, temporariesJSON{Assigned: n, Shortfall: nonNil(short)})
}

// reachActionJSON is the body of POST /projects/{id}/reach/actions: the
// action and the ids of the people it applies to.
type reachActionJSON struct {
	Action string   `json:"action"`
	People []string `json:"people"`
}

// changedJSON is the answer to POST /projects/{id}/reach/actions.
type changedJSON struct {
	Changed int `json:"changed"`
}

// actOnReach records or withdraws CLIP-no-screening (staff who keep
// numbers) or the forwarding (also the customer) for people at once;
// those already as asked are left, and not counted.
func (a *API) actOnReach(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.reachService()
	if err != nil {
		return err
	}
	var in reachActionJSON
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	n, err := svc.Act(r.Context(), r.PathValue("id"), in.Action, in.People)
	if err != nil {
		return reachFields(err)
	}
	return writeJSON(w, http.StatusOK, changedJSON{Changed: n})
}

// peopleIDsJSON is the body of POST
// /projects/{id}/reach/trunks/{trunk}/people: the people to put on it.
type peopleIDsJSON struct {
	People []string `json:"people"`
}

// putOnTrunk puts people on a trunk at once.
func (a *API) putOnTrunk(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.reachService()
	if err != nil {
		return err
	}
	var in peopleIDsJSON
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	n, err := svc.PutOnTrunk(r.Context(), r.PathValue("id"), r.PathValue("trunk"), in.People)
	if err != nil {
		return reachFields(err)
	}
	return writeJSON(w, http.StatusOK, changedJSON{Changed: n})
}

// releasedJSON is the answer to POST /projects/{id}/reach/release.
type releasedJSON struct {
	Released int `json:"released"`
}

// releaseTemporaries gives the provisional numbers up once every old
// number is ported. The request has no body.
func (a *API) releaseTemporaries(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.reachService()
	if err != nil {
		return err
	}
	n, err := svc.ReleaseTemporaries(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, releasedJSON{Released: n})
}

// newTrunkJSON is the body of POST /projects/{id}/reach/trunks.
type newTrunkJSON struct {
	Name string `json:"name"`
	Ref  string `json:"ref"`
}

// trunkInputJSON is the body of PUT /projects/{id}/reach/trunks/{trunk}:
// the trunk as it is to be, on the version read.
type trunkInputJSON struct {
	Name    string `json:"name"`
	Ref     string `json:"ref"`
	Version int    `json:"version"`
}

// writeTrunk reads a trunk back as GET shows it, with its counts.
func (a *API) writeTrunk(w http.ResponseWriter, r *http.Request, status int, t *reach.Trunk) error {
	p, err := a.Reach.Plan(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if cur := p.Trunk(t.ID); cur != nil {
		t = cur
	}
	return writeJSON(w, status, reachTrunkOut(t))
}

// addTrunk adds one of the provider's SIP trunks to the project.
func (a *API) addTrunk(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.reachService()
	if err != nil {
		return err
	}
	var in newTrunkJSON
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	t, err := svc.AddTrunk(r.Context(), r.PathValue("id"), reach.TrunkInput{Name: in.Name, Ref: in.Ref})
	if err != nil {
		return err
	}
	return a.writeTrunk(w, r, http.StatusCreated, t)
}

// updateTrunk renames a trunk or changes its reference.
func (a *API) updateTrunk(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.reachService()
	if err != nil {
		return err
	}
	var in trunkInputJSON
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	if err := requireVersion(in.Version); err != nil {
		return err
	}
	t, err := svc.UpdateTrunk(r.Context(), r.PathValue("id"), r.PathValue("trunk"),
		reach.TrunkInput{Name: in.Name, Ref: in.Ref, Version: in.Version})
	if err != nil {
		return err
	}
	return a.writeTrunk(w, r, http.StatusOK, t)
}

// removeTrunk removes a trunk nobody calls out on.
func (a *API) removeTrunk(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.reachService()
	if err != nil {
		return err
	}
	version, err := versionParam(r)
	if err != nil {
		return err
	}
	if err := svc.RemoveTrunk(r.Context(), r.PathValue("id"), r.PathValue("trunk"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
