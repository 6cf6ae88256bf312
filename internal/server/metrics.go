package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is an engine's own Prometheus registry (not the global one, so that
// tests and a process with several engines can build as many as they like):
// request counts and latency, the Go runtime and process, and
// Options.Collectors. It is not served on the engine: its labels name
// targets, listeners and routes, so it goes on a listener of its own
// (ListenMetrics, metrics.addr).
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsroom_http_requests_total",
			Help: "HTTP requests by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "newsroom_http_request_duration_seconds",
			Help:    "HTTP request latency by method and route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
	}
	m.reg.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// observe counts the request and its latency once the chain has answered.
func (m *Metrics) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := routeOf(c)
	m.requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(c.Writer.Status())).Inc()
	m.duration.WithLabelValues(c.Request.Method, route).Observe(time.Since(start).Seconds())
}

// Handler serves the registry in the Prometheus text format at GET /metrics
// (other paths are 404). With a token, a request without
// "Authorization: Bearer <token>" gets 401; the comparison takes the same
// time whatever the guess.
func (m *Metrics) Handler(token string) http.Handler {
	prom := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	want := sha256.Sum256([]byte(token))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if token != "" {
			scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			sum := sha256.Sum256([]byte(strings.TrimSpace(got)))
			if subtle.ConstantTimeCompare(sum[:], want[:])&boolInt(strings.EqualFold(scheme, "Bearer")) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="newsroom metrics"`)
				http.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)
				return
			}
		}
		prom.ServeHTTP(w, r)
	})
	return mux
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// MetricsServer is the small HTTP server of the metrics listener, apart from
// the faces' engine.
type MetricsServer struct {
	srv *http.Server
	ln  net.Listener
}

// ListenMetrics binds addr now (so that a taken port stops start-up) and
// serves m.Handler(token) there until Shutdown.
func ListenMetrics(addr, token string, m *Metrics, log *slog.Logger) (*MetricsServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("server: metrics listener on %s (metrics.addr): %w", addr, err)
	}
	if log == nil {
		log = slog.Default()
	}
	s := &MetricsServer{ln: ln, srv: &http.Server{Handler: m.Handler(token), ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	return s, nil
}

// Addr is the address the listener is bound to (the port chosen for ":0").
func (s *MetricsServer) Addr() string { return s.ln.Addr().String() }

// Shutdown stops the listener, letting a scrape in progress finish until ctx ends.
func (s *MetricsServer) Shutdown(ctx context.Context) error {
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
