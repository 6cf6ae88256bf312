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
