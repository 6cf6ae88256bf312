// Package server owns the Gin engine and the global middleware (request id,
// metrics, access log, recovery, security headers, body cap) and mounts the
// faces — the JSON API (httpapi), the public site (web) and the desk
// (web/desk) — as peers. Each face declares its own routes through Routes:
// capped groups for ordinary requests, streaming groups for uploads that go
// straight to storage, and, for the site, the HTML answer to unknown paths.
// The engine's Prometheus metrics are served apart (ListenMetrics), never on it.
package server

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

// DefaultMaxBodyBytes is the request body limit when Options.MaxBodyBytes is zero.
// It sits above story.MaxBodyBytes so that an oversize story body gets the
// service's field-specific answer.
const DefaultMaxBodyBytes = 4 << 20

// Options tune the HTTP edge.
type Options struct {
	// MaxBodyBytes limits every request body outside streaming groups; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// TrustedProxies are the addresses or CIDRs whose X-Forwarded-For is believed
	// when working out the client IP (for audit and lockout), and whose
	// X-Forwarded-Proto says whether the client used HTTPS (Secure cookies,
	// HSTS); empty trusts none.
	TrustedProxies []string
	// Logger receives the access log and internal errors; nil is slog.Default().
	Logger *slog.Logger
	// Collectors are extra Prometheus collectors for the Metrics that New
	// returns (distribution outcomes and latency, job queue depth).
	Collectors []prometheus.Collector
}

// Validate checks the options, so that a bad proxy list stops the server at
// start instead of being noticed in the audit log.
func (o Options) Validate() error {
	if o.MaxBodyBytes < 0 {
		return fmt.Errorf("server: max body bytes must not be negative, got %d", o.MaxBodyBytes)
	}
	for _, p := range o.TrustedProxies {
		if strings.Contains(p, "/") {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return fmt.Errorf("server: trusted proxy %q is not an IP address or CIDR: %w", p, err)
			}
		} else if net.ParseIP(p) == nil {
			return fmt.Errorf("server: trusted proxy %q is not an IP address or CIDR", p)
		}
	}
	return nil
}

// Face is one face of the newsroom mounted on the engine.
type Face interface {
	// Mount declares the face's routes.
	Mount(r *Routes)
}

// Routes is what a face declares its routes on.
type Routes struct {
	engine   *gin.Engine
	capBody  gin.HandlerFunc
	notFound gin.HandlerFunc
}

// Group is a route group under path whose request bodies are capped at
// Options.MaxBodyBytes (413 before anything is read when the declared length
// is over), followed by the face's own middleware.
func (r *Routes) Group(path string, middleware ...gin.HandlerFunc) *gin.RouterGroup {
	return r.engine.Group(path, append([]gin.HandlerFunc{r.capBody}, middleware...)...)
}

// Stream is a route group under path without the body cap, for uploads
// streamed to storage whose limit the service enforces per kind. Register
// only such routes here.
func (r *Routes) Stream(path string, middleware ...gin.HandlerFunc) *gin.RouterGroup {
	return r.engine.Group(path, middleware...)
}

// NotFound answers unknown paths outside /api (the public site's HTML 404);
// without it they get the API's JSON 404. The last face to call it wins.
func (r *Routes) NotFound(h gin.HandlerFunc) { r.notFound = h }

var errNoRoute = apperr.NotFound("http.route_not_found").WithReason("route_not_found")

// New builds the engine with the global middleware and mounts the faces in
// order. The engine does not serve its Metrics: the caller serves them on a
// listener of their own (ListenMetrics).
func New(o Options, faces ...Face) (*gin.Engine, *Metrics, error) {
	if err := o.Validate(); err != nil {
		return nil, nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	e.ContextWithFallback = true
	if err := e.SetTrustedProxies(o.TrustedProxies); err != nil {
		return nil, nil, fmt.Errorf("server: trusted proxies: %w", err)
	}
	m := newMetrics()
	if err := registerAll(m.reg, o.Collectors); err != nil {
		return nil, nil, err
	}
	e.Use(requestContext(o.Logger), m.observe, accessLog, recovery, scheme(proxyNets(o.TrustedProxies)), securityHeaders)

	r := &Routes{engine: e, capBody: capBody(o.MaxBodyBytes)}
	for _, f := range faces {
		f.Mount(r)
	}
	e.NoRoute(func(c *gin.Context) {
		p := c.Request.URL.Path
		if r.notFound != nil && p != "/api" && !strings.HasPrefix(p, "/api/") {
			r.notFound(c)
			return
		}
		respond.JSONErrors.Error(c, errNoRoute)
	})
	e.NoMethod(methodNotAllowed)
	return e, m, nil
}

func registerAll(reg *prometheus.Registry, cs []prometheus.Collector) error {
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("server: metrics collector: %w", err)
		}
	}
	return nil
}

// capBody caps the request body; a declared length over the cap is refused
// before reading anything.
func capBody(limit int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > limit {
			respond.JSONErrors.Error(c, respond.TooLarge(limit))
			return
		}
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}
