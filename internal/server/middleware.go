package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// methodNotAllowed answers a known path asked with the wrong method. apperr has
// no code for it (services never say it), so the status is set here and the
// reason names it; gin has already set the Allow header.
func methodNotAllowed(c *gin.Context) {
	err := apperr.Invalid("http.method_not_allowed", c.Request.Method, c.Writer.Header().Get("Allow")).WithReason("method_not_allowed")
	respond.JSONErrors(c, respond.Problem{Status: http.StatusMethodNotAllowed, Err: err})
}

// requestContext gives the request its id (the caller's, when well-formed, so
// that traces cross the load balancer) and a logger that carries it.
func requestContext(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if !requestIDRe.MatchString(id) {
			id = newRequestID()
		}
		respond.SetRequest(c, id, log.With(slog.String("request_id", id)))
		c.Header("X-Request-ID", id)
		c.Next()
	}
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// routeOf is the route pattern for logs and metrics; unmatched paths share one
// label so that scanners cannot blow up the metric cardinality.
func routeOf(c *gin.Context) string {
	if p := c.FullPath(); p != "" {
		return p
	}
	return "unmatched"
}

// accessLog writes one structured line per request.
func accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	status := c.Writer.Status()
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	respond.Logger(c).LogAttrs(c.Request.Context(), level, "http request",
		slog.String("method", c.Request.Method),
		slog.String("route", routeOf(c)),
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
		slog.String("user", respond.Username(c)),
		slog.String("ip", c.ClientIP()),
	)
}

// recovery turns a panic into a 500 error JSON and logs the stack.
func recovery(c *gin.Context) {
	defer func() {
		rec := recover()
		if rec == nil {
			return
		}
		if rec == http.ErrAbortHandler {
			panic(rec)
		}
		respond.Logger(c).ErrorContext(c.Request.Context(), "panic in handler",
			slog.String("panic", fmt.Sprint(rec)), slog.String("stack", string(debug.Stack())))
		if c.Writer.Written() {
			c.Abort()
			return
		}
		respond.JSONErrors(c, respond.Internal())
	}()
	c.Next()
}

// securityHeaders are sent with every answer; API answers are never cached
// because they carry one person's view of the newsroom. A face adds its own
// (the desk's Content-Security-Policy, with its nonce) in its group's
// middleware; the public site sets its own on its HTML pages.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}
