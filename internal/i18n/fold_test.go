package i18n

import "testing"

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Nuevo León":        "nuevo leon",
		"  Colaboración  ":  "colaboracion",
		"Straße  Müller":    "straße muller",
		"CIUDAD DE MÉXICO":  "ciudad de mexico",
		"plain ascii\tTEXT": "plain ascii text",
		"Ñandú":             "nandu",
		"":                  "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	for _, s := range []string{"Conectividad", "Nuevo León"} {
		b.Run(s, func(b *testing.B) {
			for b.Loop() {
				Fold(s)
			}
		})
	}
}
