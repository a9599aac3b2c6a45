package porting

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"image/png"
	"strings"
	"unicode/utf8"

	"github.com/enlace-portal/enlace/internal/audit"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// loaLanguage is the language LOAs are written in: the customer's
// country's, and the carriers'.
const loaLanguage = "es-MX"

// SendForSignature writes the LOA of a draft order and sends it to the
// customer's authorized signer, who is told in the portal and by e-mail.
func (s *Service) SendForSignature(ctx context.Context, id string) (*View, error) {
	a, o, err := s.managed(ctx, id)
	if err != nil {
		return nil, err
	}
	if o.State != StateDraft {
		return nil, stateError(o)
	}
	lines, err := s.store.OrderLines(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	c, err := s.store.CustomerByID(ctx, o.CustomerID)
	if err != nil {
		return nil, err
	}
	pdf, err := s.writeLOA(o, lines, c.Name, nil)
	if err != nil {
		return nil, err
	}
	d, err := s.storeLOA(ctx, o, pdf, "LOA "+o.Folio)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	o.State, o.LOADocumentID, o.LOASHA256, o.UpdatedAt = StateAwaitingSignature, d.ID, d.SHA256, now
	effects := []enlace.Effect{*d, audit.Record(ctx, "port_order.send_loa", "port_order", o.ID, o.CustomerID,
		map[string]string{"document": d.ID, "sha256": d.SHA256, "signer": o.SignerUserID})}
	effects = append(effects, s.tellSigner(ctx, o, NoticeLOAReady)...)
	effects = append(effects, s.follow(o)...)
	if err := s.store.SaveOrder(ctx, Change{Order: o}, effects...); err != nil {
		s.files.Discard(ctx, d)
		return nil, err
	}
	return s.view(ctx, a, o)
}

// writeLOA writes an order's LOA, signed when sig is set.
func (s *Service) writeLOA(o *Order, lines []Line, customerName string, sig *Signature) ([]byte, error) {
	var b bytes.Buffer
	if err := s.loa.WriteLOA(&b, o, lines, customerName, sig, loaLanguage); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// storeLOA keeps a written LOA as a document of the order.
func (s *Service) storeLOA(ctx context.Context, o *Order, pdf []byte, title string) (*document.Document, error) {
	if s.files == nil {
		return nil, enlace.Errorf(enlace.EINTERNAL, "error.internal")
	}
	f, err := s.files.Receive(bytes.NewReader(pdf))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return s.files.Prepare(ctx, document.Document{CustomerID: o.CustomerID, BillingAccountID: o.BillingAccountID,
		Kind: document.KindLOA, Title: title, FileName: strings.ToLower(strings.ReplaceAll(title, " ", "-")) + ".pdf",
		PortOrderID: o.ID}, f)
}

// SignInput is the signer's e-signature of the LOA.
type SignInput struct {
	// Name is the signer's full name as they type it.
	Name string
	// Kind is typed or drawn; Image the drawn signature, a PNG in base64
	// (with or without its data: URL prefix).
	Kind  string
	Image string
	// Agree is the signer's ticking that they reviewed the numbers and
	// authorize the port.
	Agree bool
	// SHA256 is the checksum of the LOA the signer was shown: signing
	// an LOA that has changed since is refused.
	SHA256    string
	UserAgent string
}

// maxSignatureImage bounds a drawn signature's PNG.
const maxSignatureImage = 256 << 10

// Sign records the e-signature of the order's authorized signer on the
// LOA they reviewed: the typed name, the drawn or typed signature, the
// time, the address and browser it came from and the SHA-256 of the
// document shown are kept as evidence, and the signed LOA (the letter,
// the signature and a page of evidence) is stored. The order is then
// ready for the PM to submit, and the PM is told.
func (s *Service) Sign(ctx context.Context, id string, in SignInput) (*View, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	o, err := s.load(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if a.UserID != o.SignerUserID || a.ReadOnly {
		return nil, enlace.Errorf(enlace.EFORBIDDEN, "porting.error.not_signer")
	}
	if o.State != StateAwaitingSignature {
		return nil, stateError(o)
	}
	if in.SHA256 != o.LOASHA256 {
		return nil, enlace.Errorf(enlace.ECONFLICT, "porting.error.loa_changed")
	}
	img, fields := checkSignature(&in)
	if len(fields) > 0 {
		return nil, enlace.Invalid(fields)
	}
	now := s.clock.Now()
	ua := in.UserAgent
	if utf8.RuneCountInString(ua) > maxLong {
		ua = string([]rune(ua)[:maxLong])
	}
	o.Signature = &Signature{UserID: a.UserID, Name: in.Name, Kind: in.Kind, Image: img, At: now, IP: a.IP,
		UserAgent: ua, DocumentSHA256: o.LOASHA256}
	lines, err := s.store.OrderLines(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	c, err := s.store.CustomerByID(ctx, o.CustomerID)
	if err != nil {
		return nil, err
	}
	pdf, err := s.writeLOA(o, lines, c.Name, o.Signature)
	if err != nil {
		return nil, err
	}
	d, err := s.storeLOA(ctx, o, pdf, "LOA "+o.Folio+" firmada")
	if err != nil {
		return nil, err
	}
	o.State, o.SignedDocumentID, o.UpdatedAt = StateSigned, d.ID, now
	effects := []enlace.Effect{*d, audit.Record(ctx, "port_order.sign", "port_order", o.ID, o.CustomerID,
		map[string]string{"name": in.Name, "kind": in.Kind, "sha256": o.LOASHA256, "document": d.ID, "signed_sha256": d.SHA256})}
	effects = append(effects, s.tellManagers(ctx, o, NoticeSigned)...)
	effects = append(effects, s.follow(o)...)
	if err := s.store.SaveOrder(ctx, Change{Order: o}, effects...); err != nil {
		s.files.Discard(ctx, d)
		return nil, err
	}
	return s.view(ctx, a, o)
}

// checkSignature checks a signature and returns the drawn image in
// base64 (empty for a typed signature).
func checkSignature(in *SignInput) (string, []enlace.FieldError) {
	var fields []enlace.FieldError
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || utf8.RuneCountInString(in.Name) > maxText {
		fields = append(fields, enlace.Field("name", "porting.error.signer_name"))
	}
	if !in.Agree {
		fields = append(fields, enlace.Field("agree", "porting.error.agree"))
	}
	switch in.Kind {
	case SignatureTyped:
		return "", fields
	case SignatureDrawn:
	default:
		return "", append(fields, enlace.Field("kind", "porting.error.signature_kind"))
	}
	data := in.Image
	if i := strings.Index(data, ","); strings.HasPrefix(data, "data:") && i > 0 {
		data = data[i+1:]
	}
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil || len(raw) == 0 || len(raw) > maxSignatureImage {
		return "", append(fields, enlace.Field("image", "porting.error.signature_image"))
	}
	// A drawn signature must be a PNG of sensible size: it goes into the
	// signed PDF as it is.
	cfg, err := png.DecodeConfig(bytes.NewReader(raw))
	if err != nil || cfg.Width < 20 || cfg.Height < 10 || cfg.Width > 2000 || cfg.Height > 1000 {
		return "", append(fields, enlace.Field("image", "porting.error.signature_image"))
	}
	return base64.StdEncoding.EncodeToString(raw), fields
}

// sum is the hex SHA-256 of b.
func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
