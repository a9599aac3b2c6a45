package demo

import (
	"bytes"
	"context"
	"fmt"

	"codeberg.org/go-pdf/fpdf"

	"github.com/enlace-portal/enlace/internal/customer"
	"github.com/enlace-portal/enlace/internal/document"
	"github.com/enlace-portal/enlace/internal/enlace"
)

// Option adds to what Seed creates.
type Option func(*seeder)

// WithDocuments makes Seed share a few documents with each demo customer
// through the document service, so they are stored in its blob store,
// checked and audited like any upload.
func WithDocuments(svc *document.Service) Option {
	return func(s *seeder) { s.docs = svc }
}

// demoDocument is a document the account executive shares; account is the
// index of the billing account it belongs to, -1 for the whole customer.
type demoDocument struct {
	kind, title, description, file string
	account                        int
	lines                          []string
}

var demoDocuments = []demoDocument{
	{document.KindContract, "Contrato marco de servicios", "Condiciones generales, vigencia 36 meses.", "Contrato marco de servicios.pdf", -1,
		[]string{"Contrato marco de prestación de servicios de telecomunicaciones.", "Vigencia: 36 meses a partir de la firma.",
			"Anexo A: niveles de servicio. Anexo B: tarifas."}},
	{document.KindManual, "Manual de configuración del conmutador", "Extensiones, desvíos y buzón de voz.", "Manual del conmutador.pdf", -1,
		[]string{"Cómo dar de alta una extensión, configurar desvíos y el buzón de voz.", "Soporte técnico: 800 000 0000, opción 2."}},
	{document.KindLOA, "Carta de autorización de portabilidad", "Firmada por el representante legal.", "LOA portabilidad.pdf", 0,
		[]string{"Carta de autorización (LOA) para portar los números listados al proveedor.", "Firma del representante legal."}},
	{document.KindInvoice, "Copia de factura del mes", "Copia de cortesía de la última factura.", "Copia de factura.pdf", 0,
		[]string{"Copia de cortesía de la factura del mes en curso.", "El CFDI con validez fiscal se descarga del portal de facturación."}},
}

// seedDocuments shares the demo documents with every demo customer, as the
// demo's account executive.
func (s *seeder) seedDocuments() error {
	if s.docs == nil {
		return nil
	}
	store, ok := s.store.(interface {
		Customers(ctx context.Context) ([]customer.Customer, error)
		BillingAccounts(ctx context.Context, customerID string) ([]customer.BillingAccount, error)
	})
	if !ok {
		return fmt.Errorf("demo documents: the store lacks customers")
	}
	exec, err := s.store.UserByEmail(s.ctx, "ejecutivo@enlace.example")
	if err != nil {
		return err
	}
	ctx := enlace.WithActor(s.ctx, &enlace.Actor{UserID: exec.ID, Email: exec.Email, StaffRole: exec.StaffRole})
	cs, err := store.Customers(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		accounts, err := store.BillingAccounts(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, d := range demoDocuments {
			in := document.Input{CustomerID: c.ID, Kind: d.kind, Title: d.title, Description: d.description, FileName: d.file}
			if d.account >= 0 && d.account < len(accounts) {
				in.BillingAccountID = accounts[d.account].ID
			}
			content, err := demoPDF(c.Name, d)
			if err != nil {
				return err
			}
			if _, err := s.docs.Upload(ctx, in, bytes.NewReader(content)); err != nil {
				return fmt.Errorf("demo document %q for %s: %w", d.title, c.Name, err)
			}
		}
	}
	return nil
}

// demoPDF writes a one-page PDF for a demo document. The core fonts are
// Windows-1252, which holds every Spanish letter; the translator maps the
// UTF-8 text onto it.
func demoPDF(customerName string, d demoDocument) ([]byte, error) {
	p := fpdf.New("P", "mm", "Letter", "")
	p.SetTitle(d.title, true)
	p.SetAuthor("Enlace (demostración)", true)
	tr := p.UnicodeTranslatorFromDescriptor("")
	p.AddPage()
	p.SetFont("Helvetica", "B", 18)
	p.MultiCell(0, 10, tr(d.title), "", "L", false)
	p.SetFont("Helvetica", "", 12)
	p.MultiCell(0, 8, tr("Cliente: "+customerName), "", "L", false)
	p.Ln(4)
	for _, l := range d.lines {
		p.MultiCell(0, 7, tr(l), "", "L", false)
	}
	p.Ln(8)
	p.SetFont("Helvetica", "I", 9)
	p.MultiCell(0, 5, tr("Documento de demostración generado por Enlace; no tiene validez legal ni fiscal."), "", "L", false)
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		return nil, fmt.Errorf("demo pdf %q: %w", d.title, err)
	}
	return b.Bytes(), nil
}
