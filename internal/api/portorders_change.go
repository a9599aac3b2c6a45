package api

import (
	"net/http"
	"strings"

	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/porting"
)

// portOrderUploadPattern is the port order route whose body is a file.
const portOrderUploadPattern = "POST " + Prefix + "/port-orders/{id}/documents"

// portOrderBodyLimits are the body limits of the port order routes that
// carry files, for BodyLimits.
func (a *API) portOrderBodyLimits() map[string]int64 {
	if a.Porting == nil || a.Documents == nil {
		return nil
	}
	return map[string]int64{portOrderUploadPattern: a.documentUploadLimit()}
}

// portOrderActions are the actions POST /port-orders/{id}/actions takes.
var portOrderActions = []string{"send_for_signature", "submit", "publish", "confirm_assigned", "complete", "cancel"}

// portOrderActionJSON is the body of POST /port-orders/{id}/actions; the
// reason is cancel's.
type portOrderActionJSON struct {
	Action string `json:"action"`
	Reason string `json:"reason"`
}

// actOnPortOrder moves an order: writes its LOA and sends it to the
// signer, submits it to the carrier, makes its numbers appear for
// assignment, confirms them assigned, completes or cancels it. An action
// the order's state does not allow is a conflict.
func actOnPortOrder(svc *porting.Service, r *http.Request, in *portOrderActionJSON) (*porting.View, error) {
	ctx, id := r.Context(), r.PathValue("id")
	switch in.Action {
	case "send_for_signature":
		return svc.SendForSignature(ctx, id)
	case "submit":
		return svc.Submit(ctx, id)
	case "publish":
		return svc.Publish(ctx, id)
	case "confirm_assigned":
		return svc.ConfirmAssigned(ctx, id)
	case "complete":
		return svc.Complete(ctx, id)
	case "cancel":
		return svc.Cancel(ctx, id, in.Reason)
	}
	return nil, enlace.Invalid([]enlace.FieldError{enlace.Field("action", "api.field_choice",
		"Choices", strings.Join(portOrderActions, ", "))})
}

// signatureJSON is the body of POST /port-orders/{id}/signature: the
// signer's typed name, a typed or drawn signature (a PNG in base64),
// their agreement, and the SHA-256 of the LOA they reviewed.
type signatureJSON struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Image  string `json:"image"`
	Agree  bool   `json:"agree"`
	SHA256 string `json:"sha256"`
}

// signPortOrder records the e-signature of the order's authorized signer
// on the LOA they reviewed, with the client's User-Agent as evidence.
func signPortOrder(svc *porting.Service, r *http.Request, in *signatureJSON) (*porting.View, error) {
	return svc.Sign(r.Context(), r.PathValue("id"), porting.SignInput{Name: in.Name, Kind: in.Kind, Image: in.Image,
		Agree: in.Agree, SHA256: in.SHA256, UserAgent: r.UserAgent()})
}

// attachToPortOrder takes a multipart/form-data body with the fields kind
// (csr or phone_bill) and file. The file streams to a spool file, never
// whole in memory.
func (a *API) attachToPortOrder(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.portOrders()
	if err != nil {
		return err
	}
	docs, err := a.documents()
	if err != nil {
		return err
	}
	up, err := a.readUpload(w, r, docs, "kind")
	if err != nil {
		return err
	}
	defer up.file.Close()
	// Without a file, the service still says first whether the order is
	// the caller's to add to, then that the file is missing.
	v, err := svc.Attach(r.Context(), r.PathValue("id"), porting.Upload{Kind: up.fields["kind"], FileName: up.fileName, File: up.file})
	if err != nil {
		return err
	}
	return a.writePortOrder(w, r, http.StatusCreated, v)
}

// loaDocument returns the document of the order's LOA a reader gets: the
// signed one from the signature on, the unsigned one while it awaits the
// signature, none before it is written. An order corrected after an
// exception goes back to draft: its old signed LOA no longer says what
// the order does.
func loaDocument(o *porting.Order) string {
	switch o.State {
	case porting.StateDraft:
		return ""
	case porting.StateAwaitingSignature:
		return o.LOADocumentID
	}
	if o.SignedDocumentID != "" {
		return o.SignedDocumentID
	}
	return o.LOADocumentID
}

// portOrderLOA downloads the order's LOA, to whoever may see the order;
// the document service audits each download.
func (a *API) portOrderLOA(w http.ResponseWriter, r *http.Request) error {
	svc, err := a.portOrders()
	if err != nil {
		return err
	}
	docs, err := a.documents()
	if err != nil {
		return err
	}
	v, err := svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	id := loaDocument(v.Order)
	if id == "" {
		return enlace.Errorf(enlace.ENOTFOUND, "api.port_order_no_loa")
	}
	d, content, err := docs.Open(r.Context(), id)
	if err != nil {
		return err
	}
	defer content.Close()
	document.Serve(w, r, d, content)
	return nil
}
