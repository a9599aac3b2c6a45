package web

import (
	"net/http"

	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/porting"
)

// signPage is where the order's authorized signer reviews the numbers by
// carrier, opens the LOA, and signs it: with their typed name, or a
// signature drawn on a pad (a finger on a phone will do). Typing works
// without script; the pad needs it.
type signPage struct {
	*Page
	Order  *porting.Order
	Groups []orderCarrier
	LOAURL string
	// Name, Kind and Agree are what was posted, shown again.
	Name, Kind string
	Agree      bool
}

// signableOrder returns the order at the route's id for its signer, or
// answers the request: not found for whoever may not see the order,
// forbidden for anybody else who may, and back to the order's page once
// it no longer waits for the signature.
func (s *Server) signableOrder(w http.ResponseWriter, r *http.Request) *porting.View {
	v := s.visibleOrder(w, r)
	if v == nil {
		return nil
	}
	if visitOf(r).principal.Actor.UserID != v.Order.SignerUserID {
		s.fail(w, r, enlace.Errorf(enlace.EFORBIDDEN, "porting.error.not_signer"))
		return nil
	}
	if v.Order.State != porting.StateAwaitingSignature {
		http.Redirect(w, r, orderPath(v.Order.ID), http.StatusSeeOther)
		return nil
	}
	return v
}

func (s *Server) signForm(w http.ResponseWriter, r *http.Request) {
	v := s.signableOrder(w, r)
	if v == nil {
		return
	}
	s.renderSign(w, r, s.page(w, r, "portorders.sign.title"), http.StatusOK, v, signPage{Kind: porting.SignatureTyped})
}

func (s *Server) renderSign(w http.ResponseWriter, r *http.Request, p *Page, status int, v *porting.View, sp signPage) {
	sp.Page, sp.Order = p, v.Order
	for _, g := range v.Carriers() {
		sp.Groups = append(sp.Groups, s.orderCarrierOf(p, v.Order, g))
	}
	if s.deps.Documents != nil && v.Order.LOADocumentID != "" {
		sp.LOAURL = documentURL(v.Order.LOADocumentID)
	}
	s.render(w, r, status, "portorders_sign", sp)
}

// signPortOrder records the signature. The browser's user agent is kept
// as evidence with the address the request came from; the checksum is
// the LOA's the page showed, so a letter changed since is not signed.
func (s *Server) signPortOrder(w http.ResponseWriter, r *http.Request) {
	v := s.signableOrder(w, r)
	if v == nil || !s.parseForm(w, r) {
		return
	}
	f := r.PostForm
	in := porting.SignInput{Name: f.Get("name"), Kind: f.Get("kind"), Image: f.Get("image"), Agree: f.Get("agree") == "yes",
		SHA256: f.Get("sha256"), UserAgent: r.UserAgent()}
	_, err := s.deps.Porting.Sign(r.Context(), v.Order.ID, in)
	if err == nil {
		s.flash(w, "portorders.flash.signed")
		http.Redirect(w, r, orderPath(v.Order.ID), http.StatusSeeOther)
		return
	}
	if !changeFailed(err) {
		s.fail(w, r, err)
		return
	}
	p := s.page(w, r, "portorders.sign.title")
	if !formError(p, err) {
		p.Summary = p.loc.Error(err)
	}
	s.renderSign(w, r, p, formStatus(err), v, signPage{Name: in.Name, Kind: in.Kind, Agree: in.Agree})
}

// signFormLimit is the body limit of the signature form: a drawn
// signature's PNG (the service takes up to 256 KiB) in base64, and the
// form around it.
const signFormLimit = 512 << 10
