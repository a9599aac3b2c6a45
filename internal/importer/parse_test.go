package importer

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/enlace-portal/enlace/internal/enlace"
)

const head = "sitio,direccion,ciudad,codigo_postal,estado,llave_de_servicio,categoria,producto,cuenta_facturacion,fecha_activacion\n"

func TestDecodeAndParse(t *testing.T) {
	latin := "Sitio;Dirección;Ciudad;Código Postal;Estado;Llave de servicio;Categoría;Producto;Cuenta facturación;Fecha activación\n" +
		"Matriz;Av. Juárez 1;Mérida;97000;Yucatán;MID-1;Colaboración;Señal;100;01/02/2024\n"
	win, err := charmap.Windows1252.NewEncoder().String(latin)
	if err != nil {
		t.Fatal(err)
	}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(latin, ";", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		in        string
		enc       string
		delim     rune
		firstCell []string // site name and product of the first row
		unknown   []string
	}{
		{"utf-8 comma", head + "Matriz,Av 1,Monterrey,64000,NLE,K-1,telco,P,100,2024-01-01\n", EncodingUTF8, ',', []string{"Matriz", "P"}, nil},
		{"utf-8 bom", "\uFEFF" + head + "Matriz,Av 1,Monterrey,64000,NLE,K-1,telco,P,100,2024-01-01\n", EncodingUTF8, ',', []string{"Matriz", "P"}, nil},
		{"semicolon with accents in headers", latin, EncodingUTF8, ';', []string{"Matriz", "Señal"}, nil},
		{"windows-1252", win, EncodingWindows, ';', []string{"Matriz", "Señal"}, nil},
		{"utf-16 tabs", u16, EncodingUTF16, '\t', []string{"Matriz", "Señal"}, nil},
		{"crlf and quotes", strings.ReplaceAll(head, "\n", "\r\n") + "\"Matriz, Centro\",\"Av \"\"1\"\"\",Monterrey,64000,NLE,K-1,telco,\"P\nx\",100,2024-01-01\r\n",
			EncodingUTF8, ',', []string{"Matriz, Centro", "P\nx"}, nil},
		{"english aliases and an unknown column", "site,address,city,postal_code,state,service_key,category,product,billing_account,activation_date,notes\n" +
			"Matriz,Av 1,Monterrey,64000,NLE,K-1,telco,P,100,2024-01-01,x\n", EncodingUTF8, ',', []string{"Matriz", "P"}, []string{"notes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, enc, err := Decode([]byte(tt.in))
			if err != nil {
				t.Fatalf("Decode = %v", err)
			}
			f, err := Parse(text, 10)
			if err != nil {
				t.Fatalf("Parse = %v", err)
			}
			r := f.Rows[0]
			got := []string{f.header.get(r.Cells, ColSite), f.header.get(r.Cells, ColProduct)}
			if enc != tt.enc || f.Delimiter != tt.delim || !cmp.Equal(got, tt.firstCell) || !cmp.Equal(f.Unknown, tt.unknown) {
				t.Errorf("got %s %q %q %q, want %s %q %q %q", enc, f.Delimiter, got, f.Unknown, tt.enc, tt.delim, tt.firstCell, tt.unknown)
			}
		})
	}
}

func TestBadFiles(t *testing.T) {
	tests := []struct {
		name, in, key string
	}{
		{"empty", "", "importer.error.empty"},
		{"blank lines", "\n \r\n", "importer.error.empty"},
		{"header only", head, "importer.error.no_rows"},
		{"binary", "sitio\x00\x01\x02garbage", "importer.error.binary"},
		{"missing columns", "sitio,producto\nA,B\n", "importer.error.columns_missing"},
		{"column twice", strings.TrimSuffix(head, "\n") + ",site\n", "importer.error.column_twice"},
		{"too many rows", head + strings.Repeat("A,B,C,64000,NLE,K,telco,P,1,2024-01-01\n", 11), "importer.error.too_many_rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, _, err := Decode([]byte(tt.in))
			if err == nil {
				_, err = Parse(text, 10)
			}
			e := enlace.AsError(err)
			if err == nil || len(e.Fields) != 1 || e.Fields[0].Field != "file" || e.Fields[0].Message != tt.key {
				t.Errorf("Decode+Parse = %v, want file error %s", err, tt.key)
			}
		})
	}
}

func TestCellParsing(t *testing.T) {
	for in, want := range map[string]string{"Colaboración": "collaboration", "CIBERSEGURIDAD": "cybersecurity",
		"Konnektivität": "connectivity", "ti": "it", "nada": "nada"} {
		if got := parseCategory(in); got != want {
			t.Errorf("parseCategory(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"En activación": "activating", "ACTIVO": "active", "Gekündigt": "retired", "suspended": "suspended"} {
		if got, _ := parseStatus(in); got != want {
			t.Errorf("parseStatus(%q) = %q, want %q", in, got, want)
		}
	}
	for in, ok := range map[string]bool{"2024-02-29": true, "29/02/2024": true, "1/2/2024": true, "2024-13-01": false, "31/02/2024": false} {
		if _, got := parseDate(in); got != ok {
			t.Errorf("parseDate(%q) ok = %v, want %v", in, got, ok)
		}
	}
	if x, ok := parseNumber("25,6866"); !ok || x != 25.6866 {
		t.Errorf("parseNumber(25,6866) = %v %v", x, ok)
	}
}
