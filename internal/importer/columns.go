package importer

import (
	"strings"
	"unicode"

	"github.com/enlace-portal/enlace/internal/i18n"
)

// Column names of the import file, as a provider's spreadsheet has them.
// Headers are matched without regard to case, accents, spaces or hyphens
// ("Llave de servicio", "LLAVE_DE_SERVICIO" and "service key" are one
// column); each also answers to its English and common Spanish aliases.
const (
	ColSite        = "sitio"
	ColAddress     = "direccion"
	ColAddress2    = "direccion_2"
	ColCity        = "ciudad"
	ColPostalCode  = "codigo_postal"
	ColState       = "estado"
	ColRegion      = "region"
	ColCountry     = "pais"
	ColLatitude    = "latitud"
	ColLongitude   = "longitud"
	ColServiceKey  = "llave_de_servicio"
	ColCategory    = "categoria"
	ColProduct     = "producto"
	ColAccount     = "cuenta_facturacion"
	ColStatus      = "estatus"
	ColActivatedOn = "fecha_activacion"
)

// Column describes one column of the import file.
type Column struct {
	Name     string
	Aliases  []string
	Required bool
}

// Columns lists the columns in the order of the template file.
var Columns = []Column{
	{Name: ColSite, Required: true, Aliases: []string{"site", "site_name", "nombre_sitio", "nombre_del_sitio", "sucursal"}},
	{Name: ColAddress, Required: true, Aliases: []string{"address", "address_line1", "calle", "calle_y_numero", "domicilio"}},
	{Name: ColAddress2, Aliases: []string{"address_line2", "colonia", "referencia", "direccion2"}},
	{Name: ColCity, Required: true, Aliases: []string{"city", "municipio", "ciudad_municipio"}},
	{Name: ColPostalCode, Required: true, Aliases: []string{"postal_code", "cp", "c_p", "zip"}},
	{Name: ColState, Required: true, Aliases: []string{"state", "entidad", "entidad_federativa"}},
	{Name: ColRegion, Aliases: []string{"provincia", "province"}},
	{Name: ColCountry, Aliases: []string{"country"}},
	{Name: ColLatitude, Aliases: []string{"latitude", "lat"}},
	{Name: ColLongitude, Aliases: []string{"longitude", "lng", "lon", "long"}},
	{Name: ColServiceKey, Required: true, Aliases: []string{"service_key", "llave", "llave_servicio", "clave_de_servicio", "clave_servicio"}},
	{Name: ColCategory, Required: true, Aliases: []string{"category"}},
	{Name: ColProduct, Required: true, Aliases: []string{"product", "servicio"}},
	{Name: ColAccount, Required: true, Aliases: []string{"cuenta_de_facturacion", "cuenta", "billing_account", "billing_account_number", "account_number", "numero_de_cuenta"}},
	{Name: ColStatus, Aliases: []string{"status", "situacion", "estatus_del_servicio"}},
	{Name: ColActivatedOn, Required: true, Aliases: []string{"fecha_de_activacion", "activated_on", "activation_date", "fecha_alta"}},
}

// columnKeys maps every folded name and alias of a set of columns to the
// column's name.
func columnKeys(columns []Column) map[string]string {
	m := map[string]string{}
	for _, c := range columns {
		m[c.Name] = c.Name
		for _, a := range c.Aliases {
			m[a] = c.Name
		}
	}
	return m
}

// header maps the columns of a file to their positions.
type header struct {
	pos map[string]int
	// names are the headers as the file spells them, for the report.
	names   map[string]string
	unknown []string
}

// readHeader matches a file's first row to the columns. It reports the
// required columns that are missing and a column given twice; columns it
// does not know are kept as a warning.
func readHeader(rec []string, columns []Column) (*header, error) {
	h := &header{pos: map[string]int{}, names: map[string]string{}}
	columnByKey := columnKeys(columns)
	var missing []string
	for i, raw := range rec {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		name, ok := columnByKey[foldHeader(raw)]
		if !ok {
			h.unknown = append(h.unknown, raw)
			continue
		}
		if _, dup := h.pos[name]; dup {
			return nil, fileError("importer.error.column_twice", "Column", raw)
		}
		h.pos[name], h.names[name] = i, raw
	}
	for _, c := range columns {
		if _, ok := h.pos[c.Name]; c.Required && !ok {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		return nil, fileError("importer.error.columns_missing", "Columns", strings.Join(missing, ", "))
	}
	return h, nil
}

// get returns a row's cell of a column, trimmed; "" when the file has no
// such column.
func (h *header) get(rec []string, col string) string {
	i, ok := h.pos[col]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// name is how the file spells a column, for the error report.
func (h *header) name(col string) string {
	if n, ok := h.names[col]; ok {
		return n
	}
	return col
}

// foldHeader folds a header and joins its words with underscores.
func foldHeader(s string) string {
	f := i18n.Fold(s)
	var b strings.Builder
	under := false
	for _, r := range f {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			under = false
			continue
		}
		under = true
	}
	return b.String()
}
