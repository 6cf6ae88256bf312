package desk

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// statusFor maps apperr codes to HTTP statuses, as the JSON API does.
func statusFor(code apperr.Code) int { return code.HTTPStatus() }

// explain turns a service error into a status and a message for the page;
// internal errors are logged and shown as a generic message.
func (h *Handler) explain(c *gin.Context, err error) (int, string) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge, h.tr(c, "error.too_large", mbe.Limit)
	}
	if e, ok := apperr.As(err); ok && e.Code != apperr.CodeInternal {
		return statusFor(e.Code), e.Message
	}
	if apperr.BackendDown(err) {
		h.log.Warn("desk: database unavailable", "path", c.Request.URL.Path, "err", err)
		c.Header("Retry-After", "5")
		return http.StatusServiceUnavailable, h.tr(c, "error.unavailable")
	}
	h.log.Error("desk: internal error", "path", c.Request.URL.Path, "err", err)
	return http.StatusInternalServerError, h.tr(c, "error.internal")
}

// wantsJSON reports whether the request came from the desk's scripts.
func wantsJSON(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "application/json")
}

// fail answers an error: JSON for scripts, the error page otherwise.
func (h *Handler) fail(c *gin.Context, status int, msg string) {
	if wantsJSON(c) {
		c.AbortWithStatusJSON(status, gin.H{"error": gin.H{"message": msg}})
		return
	}
	h.render(c, status, "error", page{Title: h.tr(c, "error.title"), Error: msg})
	c.Abort()
}

// failErr answers a service error.
func (h *Handler) failErr(c *gin.Context, err error) {
	status, msg := h.explain(c, err)
	h.fail(c, status, msg)
}
