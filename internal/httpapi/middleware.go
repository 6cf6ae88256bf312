package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Keys of the values the middlewares keep in the gin context.
const (
	keyRequestID = "httpapi.request_id"
	keyLogger    = "httpapi.logger"
	keyAuth      = "httpapi.auth"
)

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

var errNoRoute = apperr.NotFound("Không có địa chỉ này (no such route)").WithReason("route_not_found")

// methodNotAllowed answers a known path asked with the wrong method. apperr has
// no code for it (services never say it), so it is rendered here directly;
// gin has already set the Allow header.
func methodNotAllowed(c *gin.Context) {
	c.AbortWithStatusJSON(http.StatusMethodNotAllowed, errorBody{
		Error: errorDetail{Code: "method_not_allowed",
			Message: fmt.Sprintf("Phương thức %s không dùng được ở đây (method not allowed; use %s)", c.Request.Method, c.Writer.Header().Get("Allow"))},
		RequestID: requestID(c),
	})
}

// requestContext gives the request its id (the caller's, when well-formed, so
// that traces cross the load balancer) and a logger that carries it.
func (a *api) requestContext(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !requestIDRe.MatchString(id) {
		id = newRequestID()
	}
	c.Set(keyRequestID, id)
	c.Set(keyLogger, a.log.With(slog.String("request_id", id)))
	c.Header("X-Request-ID", id)
	c.Next()
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// requestID returns the id of the request.
func requestID(c *gin.Context) string { return c.GetString(keyRequestID) }

// logger returns the request-scoped logger.
func logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(keyLogger); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
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
func (a *api) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	status := c.Writer.Status()
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	username := ""
	if au := authOf(c); au != nil {
		username = au.User.Username
	}
	logger(c).LogAttrs(c.Request.Context(), level, "http request",
		slog.String("method", c.Request.Method),
		slog.String("route", routeOf(c)),
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
		slog.String("user", username),
		slog.String("ip", c.ClientIP()),
	)
}

// recovery turns a panic into a 500 error JSON and logs the stack.
func (a *api) recovery(c *gin.Context) {
	defer func() {
		rec := recover()
		if rec == nil {
			return
		}
		if rec == http.ErrAbortHandler {
			panic(rec)
		}
		logger(c).ErrorContext(c.Request.Context(), "panic in handler",
			slog.String("panic", fmt.Sprint(rec)), slog.String("stack", string(debug.Stack())))
		if c.Writer.Written() {
			c.Abort()
			return
		}
		c.AbortWithStatusJSON(http.StatusInternalServerError, errorBody{
			Error:     errorDetail{Code: string(apperr.CodeInternal), Message: "Internal error"},
			RequestID: requestID(c),
		})
	}()
	c.Next()
}

// securityHeaders are sent with every answer; API answers are never cached
// because they carry one person's view of the newsroom.
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

// deskUploadRoute is the desk's photo upload (internal/web/desk), streamed
// to storage like uploadRoute and exempt from the body cap for the same reason.
const deskUploadRoute = "/desk/stories/:id/assets"

// limitBody caps the request body; a declared length over the cap is refused
// before reading anything.
func (a *api) limitBody(c *gin.Context) {
	if c.Request.Method == http.MethodPost && (c.FullPath() == uploadRoute || c.FullPath() == deskUploadRoute) ||
		c.Request.Method == http.MethodPut && c.FullPath() == uploadPartRoute {
		c.Next() // streamed to storage; the asset service enforces the per-kind limit
		return
	}
	limit := a.opts.MaxBodyBytes
	if c.Request.ContentLength > limit {
		writeError(c, tooLarge(limit))
		return
	}
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	}
	c.Next()
}

// authenticate resolves the bearer token and keeps the identity in the context.
// While the account must change its password, only the routes needed to do so answer.
func (a *api) authenticate(c *gin.Context) {
	token := ""
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, rest, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(rest) == "" {
			writeError(c, apperr.Unauthenticated("Cần tiêu đề Authorization: Bearer <token> (use Authorization: Bearer <token>)").WithReason("unauthenticated"))
			return
		}
		token = strings.TrimSpace(rest)
	}
	au, err := a.users.Authenticate(c.Request.Context(), token, c.ClientIP())
	if err != nil {
		writeError(c, err)
		return
	}
	c.Set(keyAuth, au)
	if au.User.MustChangePassword && !passwordChangeRoute(c) {
		writeError(c, user.ErrPasswordChangeRequired)
		return
	}
	c.Next()
}

// passwordChangeRoute reports whether the route stays open while the password must change.
func passwordChangeRoute(c *gin.Context) bool {
	switch c.Request.Method + " " + c.FullPath() {
	case "GET /api/v1/me", "POST /api/v1/auth/password", "POST /api/v1/auth/logout":
		return true
	}
	return false
}

// authOf returns the identity of an authenticated request, or nil.
func authOf(c *gin.Context) *user.Auth {
	if v, ok := c.Get(keyAuth); ok {
		return v.(*user.Auth)
	}
	return nil
}

// actor returns the domain actor of an authenticated request.
func actor(c *gin.Context) user.Actor { return authOf(c).Actor }

// requireMethodScope limits personal API tokens: reading needs the read
// scope, any change the write scope. Sessions carry no scopes and pass.
func requireMethodScope(c *gin.Context) {
	scope := user.ScopeWrite
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		scope = user.ScopeRead
	}
	requireScope(c, scope)
}

// requireAdminScope limits personal API tokens on administration routes.
func requireAdminScope(c *gin.Context) { requireScope(c, user.ScopeAdmin) }

func requireScope(c *gin.Context, scope string) {
	au := authOf(c)
	if au == nil {
		writeError(c, apperr.Unauthenticated("Cần đăng nhập (authentication required)").WithReason("unauthenticated"))
		return
	}
	if au.TokenID != "" && !slices.Contains(au.Actor.Scopes, scope) {
		writeError(c, apperr.Forbidden("Mã API thiếu quyền %q (the API token lacks the %q scope)", scope, scope).
			WithDetails(map[string]any{"scope": scope}).WithReason("missing_scope"))
		return
	}
	c.Next()
}
