package ops

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Backlog reports the work waiting in the database; the sqlstore
// implements it. Metrics reads it at scrape time.
type Backlog interface {
	// JobDepth counts the jobs not yet done.
	JobDepth(ctx context.Context) (int, error)
	// OutboxDepth counts the messages not yet delivered.
	OutboxDepth(ctx context.Context) (int, error)
}

// backlogTimeout bounds the queries a scrape runs, so that a stuck
// database shows up as missing gauges rather than a hanging scrape.
const backlogTimeout = 5 * time.Second

// Metrics holds Enlace's Prometheus metrics in a registry of its own, so
// that tests can create as many as they like and no library's metrics
// leak in through the global one.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	logger   *slog.Logger
}

// NewMetrics returns the metrics: request counts and durations, the Go
// runtime and process collectors, and, when backlog is not nil, the job
// queue and outbox depths.
func NewMetrics(backlog Backlog, logger *slog.Logger) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests served, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by route pattern and method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"}),
		logger: logger,
	}
	m.registry.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if backlog != nil {
		m.registry.MustRegister(backlogCollector{backlog: backlog})
	}
	return m
}

// Instrument counts and times each request under its route pattern. The
// pattern, unlike the path, takes a bounded number of values.
func (m *Metrics) Instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r, x := track(r)
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		route := x.route(r)
		method := methodLabel(r.Method)
		m.requests.WithLabelValues(route, method, strconv.Itoa(rec.code())).Inc()
		m.duration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
	})
}

// methodLabel keeps invented methods from growing the label set.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// Handler serves the metrics in the Prometheus exposition format. A gauge
// that cannot be read is left out and logged; the rest are still served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.logger.Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError,
	})
}

// Registry returns the registry, for tests and for modules that register
// metrics of their own.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

var (
	jobDepthDesc = prometheus.NewDesc("job_queue_depth",
		"Jobs pending in the database, due or not.", nil, nil)
	outboxDepthDesc = prometheus.NewDesc("outbox_depth",
		"Messages (e-mail, WhatsApp) waiting to be delivered.", nil, nil)
)

// backlogCollector reads the depths when Prometheus scrapes, so the gauges
// are as fresh as the scrape and cost nothing in between.
type backlogCollector struct{ backlog Backlog }

func (c backlogCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- jobDepthDesc
	ch <- outboxDepthDesc
}

func (c backlogCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), backlogTimeout)
	defer cancel()
	for desc, read := range map[*prometheus.Desc]func(context.Context) (int, error){
		jobDepthDesc:    c.backlog.JobDepth,
		outboxDepthDesc: c.backlog.OutboxDepth,
	} {
		n, err := read(ctx)
		if err != nil {
			ch <- prometheus.NewInvalidMetric(desc, err)
			continue
		}
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(n))
	}
}
