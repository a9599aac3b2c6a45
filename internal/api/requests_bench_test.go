package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkCreateRequestAPI raises incidents from a service key through
// the whole handler stack, as a customer's administrator: token check,
// strict JSON, the service's checks, the transaction with the folio,
// checklist, first event, count, audit entry, notification and e-mail,
// and the request read back as the answer. One goroutine, then as many
// as GOMAXPROCS (on SQLite, writers queue for the one write lock).
func BenchmarkCreateRequestAPI(b *testing.B) {
	f := newRequestFixture(b)
	h := f.api.Handler()
	body := incident(aServiceKey)
	create := func(b *testing.B) {
		req := httptest.NewRequest("POST", Prefix+"/requests", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+f.tokens[aAdmin])
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusCreated {
			b.Errorf("POST /requests = %d %s", w.Code, w.Body) // Fatal may not leave a RunParallel goroutine
		}
	}
	b.Run("sequential", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			create(b)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				create(b)
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
	})
}
