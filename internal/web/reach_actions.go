package web

import (
	"net/http"
	"strconv"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/reach"
)

// The changes made from a list's page. Each answers with the list again:
// a message on success; the form that failed with what was typed when
// the change was refused for a reason the reader can act on; and, when
// someone else changed the list meanwhile, the list as it is now with a
// message asking to make the change again.

// reachFlash is the message after each bulk action.
var reachFlash = map[string]string{
	reach.ActConfirmClip:       "reach.flash.confirm_clip",
	reach.ActClearClip:         "reach.flash.clear_clip",
	reach.ActConfirmForwarding: "reach.flash.confirm_forwarding",
	reach.ActClearForwarding:   "reach.flash.clear_forwarding",
}

// putOnTrunk is the bulk action that puts the people selected on the
// trunk chosen beside it.
const putOnTrunk = "put_on_trunk"

// actOnReach applies an action to the people selected, or to everyone
// on a trunk whose old number is not presented yet.
func (s *Server) actOnReach(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	var n int
	var err error
	flash := reachFlash[f.Get("action")]
	if f.Get("action") == putOnTrunk {
		n, err = s.deps.Reach.PutOnTrunk(r.Context(), r.PathValue("id"), f.Get("to_trunk"), f["line"])
		flash = "reach.flash.put_on_trunk"
	} else {
		n, err = s.deps.Reach.Act(r.Context(), r.PathValue("id"), f.Get("action"), f["line"])
	}
	if n == 0 {
		flash = "reach.flash.unchanged"
	}
	to := reachPath(r.PathValue("id"))
	if page, _ := strconv.Atoi(f.Get("page")); page > 1 {
		to += "?page=" + strconv.Itoa(page)
	}
	form := "act"
	if trunk := f.Get("trunk"); trunk != "" {
		form = "clip-" + trunk
	}
	s.reachChanged(w, r, err, form, flash, to+"#people")
}

// addReachLines adds the people pasted; if any row is wrong nothing is
// added and the text stays, with each row's problem.
func (s *Server) addReachLines(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.deps.Reach.AddLines(r.Context(), r.PathValue("id"), reach.ParseRows(r.PostForm.Get("lines")))
	s.reachChanged(w, r, err, "add", "reach.flash.lines_added", reachPath(r.PathValue("id"))+"#people")
}

func (s *Server) addReachTrunk(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	_, err := s.deps.Reach.AddTrunk(r.Context(), r.PathValue("id"), reach.TrunkInput{Name: f.Get("name"), Ref: f.Get("ref")})
	s.reachChanged(w, r, err, "trunk-new", "reach.flash.trunk_added", reachPath(r.PathValue("id"))+"#trunks")
}

func (s *Server) updateReachTrunk(w http.ResponseWriter, r *http.Request) {
	version, ok := s.versionForm(w, r)
	if !ok {
		return
	}
	f, trunk := r.PostForm, r.PathValue("trunk")
	_, err := s.deps.Reach.UpdateTrunk(r.Context(), r.PathValue("id"), trunk,
		reach.TrunkInput{Name: f.Get("name"), Ref: f.Get("ref"), Version: version})
	s.reachChanged(w, r, err, "trunk-"+trunk, "reach.flash.trunk_updated", reachPath(r.PathValue("id"))+"#trunks")
}

func (s *Server) removeReachTrunk(w http.ResponseWriter, r *http.Request) {
	version, ok := s.versionForm(w, r)
	if !ok {
		return
	}
	trunk := r.PathValue("trunk")
	err := s.deps.Reach.RemoveTrunk(r.Context(), r.PathValue("id"), trunk, version)
	s.reachChanged(w, r, err, "trunk-"+trunk, "reach.flash.trunk_removed", reachPath(r.PathValue("id"))+"#trunks")
}

// assignReachTemporaries gives everyone without a provisional number one;
// the list then says how many were given and where numbers ran out (the
// message needs the count, which a flash key cannot carry).
func (s *Server) assignReachTemporaries(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	n, _, err := s.deps.Reach.AssignTemporaries(r.Context(), id)
	s.reachChanged(w, r, err, "temporaries", "", reachPath(id)+"?given="+strconv.Itoa(n)+"#temporaries")
}

// releaseReachTemporaries gives the provisional numbers up once every old
// number is ported, after the reader confirmed it: from then on only the
// old numbers ring the people.
func (s *Server) releaseReachTemporaries(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	// The list first, so that another customer's project is not found and
	// a reader who may not release is refused before the confirmation is
	// asked for.
	pl, err := s.deps.Reach.Plan(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !reach.CanProvide(visitOf(r).principal.Actor) {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "error.forbidden"))
		return
	}
	if r.PostForm.Get("confirm") != "yes" {
		p := s.page(w, r, "reach.page.title")
		err := enlace.Invalid([]enlace.FieldError{enlace.Field("confirm", "reach.page.release_unconfirmed")})
		formErrors(p, err, "release")
		s.renderReach(w, r, p, formStatus(err), pl, "release", err)
		return
	}
	_, err = s.deps.Reach.ReleaseTemporaries(r.Context(), id)
	s.reachChanged(w, r, err, "release", "reach.flash.released", reachPath(id))
}

// versionForm reads a posted form with the version the change was made
// on; a form without one is broken.
func (s *Server) versionForm(w http.ResponseWriter, r *http.Request) (int, bool) {
	if !s.parseForm(w, r) {
		return 0, false
	}
	v, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil || v < 1 {
		s.badForm(w, r)
		return 0, false
	}
	return v, true
}

// reachChanged answers a change of the list: to the list with a message,
// or the list again with the form that failed (form names it, the page
// names its fields "<field>-<form>").
func (s *Server) reachChanged(w http.ResponseWriter, r *http.Request, err error, form, flash, to string) {
	if err == nil {
		if flash != "" {
			s.flash(w, flash)
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	if staleReach(err) {
		s.flash(w, "reach.flash.changed")
		http.Redirect(w, r, reachPath(r.PathValue("id")), http.StatusSeeOther)
		return
	}
	if c := enlace.ErrorCode(err); c != enlace.EINVALID && c != enlace.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	pl, lerr := s.deps.Reach.Plan(r.Context(), r.PathValue("id"))
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	p := s.page(w, r, "reach.page.title")
	formErrors(p, err, form)
	s.renderReach(w, r, p, formStatus(err), pl, form, err)
}

// staleReach reports whether a change failed because what it was made on
// changed meanwhile: a person, a trunk or a number of the inventory.
func staleReach(err error) bool {
	if enlace.ErrorCode(err) != enlace.ECONFLICT {
		return false
	}
	m := enlace.AsError(err).Message
	return m == "reach.error.changed" || m == "numbering.error.changed"
}
