package respond

import (
	"log/slog"

	"github.com/gin-gonic/gin"
)

// Keys of the values kept in the gin context for every face.
const (
	keyRequestID = "respond.request_id"
	keyLogger    = "respond.logger"
)

// SetRequest keeps the request id and the request-scoped logger in the
// context; the server's first middleware calls it.
func SetRequest(c *gin.Context, id string, log *slog.Logger) {
	c.Set(keyRequestID, id)
	c.Set(keyLogger, log)
}

// RequestID returns the id of the request ("" outside the server's middleware).
func RequestID(c *gin.Context) string { return c.GetString(keyRequestID) }

// Logger returns the request-scoped logger, which carries the request id.
func Logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(keyLogger); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
}

const keyUsername = "respond.username"

// SetUsername names the authenticated user of the request for the access
// log; each face calls it once it knows who is asking.
func SetUsername(c *gin.Context, name string) { c.Set(keyUsername, name) }

// Username returns the name given by SetUsername, "" for anonymous requests.
func Username(c *gin.Context) string { return c.GetString(keyUsername) }

const keySecure = "respond.secure"

// SetSecure records whether the request reached the newsroom over HTTPS
// (TLS on the connection, or X-Forwarded-Proto: https from a trusted proxy);
// the server's middleware calls it before any face runs.
func SetSecure(c *gin.Context, secure bool) { c.Set(keySecure, secure) }

// Secure reports whether the request came over HTTPS, so that cookies set on
// it are marked Secure. Outside the server's middleware it falls back to the
// connection's own TLS.
func Secure(c *gin.Context) bool {
	if v, ok := c.Get(keySecure); ok {
		return v.(bool)
	}
	return c.Request.TLS != nil
}

const keyViaProxy = "respond.via_trusted_proxy"

// SetViaTrustedProxy records whether the request came straight from an
// address in http.trusted_proxies; the server's middleware calls it.
func SetViaTrustedProxy(c *gin.Context, v bool) { c.Set(keyViaProxy, v) }

// ViaTrustedProxy reports whether the request came from a trusted proxy.
func ViaTrustedProxy(c *gin.Context) bool { return c.GetBool(keyViaProxy) }
