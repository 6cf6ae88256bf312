package respond

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// HandlerFunc is a handler of any face: it answers and returns nil, or
// returns the error for the face's ErrorRenderer to answer.
type HandlerFunc func(c *gin.Context) error

// Problem is an error ready to be answered: its status and the coded error
// the user may see. Internal errors have already been logged and replaced by
// a CodeInternal error whose message is "Internal error".
type Problem struct {
	Status int
	Err    *apperr.Error
}

// Code is what clients switch on: the finer reason when there is one, else the code.
func (p Problem) Code() string {
	if p.Err.Reason != "" {
		return p.Err.Reason
	}
	return string(p.Err.Code)
}

// ErrorRenderer writes a Problem in one face's format (JSON for the API, an
// HTML page for the desk and the site).
type ErrorRenderer func(c *gin.Context, p Problem)

// internalError is what the user sees of a bug or an unexpected failure.
// apperr.Internal carries a diagnostic meant for the logs; this one carries
// only the catalogue's "Internal error".
var internalError = &apperr.Error{Code: apperr.CodeInternal, Key: apperr.T("http.internal_error").Key}

// Internal is the Problem of a bug or an unexpected failure that the caller
// has already logged (a recovered panic).
func Internal() Problem { return Problem{Status: http.StatusInternalServerError, Err: internalError} }

// Classify turns any error into a Problem: an oversize body becomes 413, a
// lost backend 503 with Retry-After, a 429 whose details hold retry_after
// (seconds) sets Retry-After, and an error without a known code is
// logged with the request id and shown as "Internal error", so that no
// internal detail leaks to the client.
func Classify(c *gin.Context, err error) Problem {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = TooLarge(mbe.Limit)
	}
	e, ok := apperr.As(err)
	if (!ok || e.Code == apperr.CodeInternal) && apperr.BackendDown(err) {
		Logger(c).WarnContext(c.Request.Context(), "database unavailable", slog.String("error", err.Error()))
		c.Header("Retry-After", "5")
		e, ok = apperr.As(apperr.DatabaseDown())
	}
	if !ok || e.Code.HTTPStatus() == http.StatusInternalServerError {
		Logger(c).ErrorContext(c.Request.Context(), "internal error", slog.String("error", err.Error()))
		return Problem{Status: http.StatusInternalServerError, Err: internalError}
	}
	if secs, ok := e.Details["retry_after"].(int); ok && e.Code == apperr.CodeTooManyRequests {
		c.Header("Retry-After", strconv.Itoa(secs))
	}
	return Problem{Status: e.Code.HTTPStatus(), Err: e}
}

// Error answers err through the renderer and stops the handler chain.
func (render ErrorRenderer) Error(c *gin.Context, err error) {
	render(c, Classify(c, err))
	c.Abort()
}

// Handle adapts h to gin: its error, if any, is answered by render.
func Handle(render ErrorRenderer, h HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			render.Error(c, err)
		}
	}
}

// Handle is Handle(render, h).
func (render ErrorRenderer) Handle(h HandlerFunc) gin.HandlerFunc { return Handle(render, h) }

// Require guards a route group whose service is optional: when available is
// false every route of the group answers err (usually apperr.Unavailable,
// 503) instead of calling a nil service. Put it after authentication so that
// an anonymous caller still learns that it must log in first.
func (render ErrorRenderer) Require(available bool, err error) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !available {
			render.Error(c, err)
			return
		}
		c.Next()
	}
}

// TooLarge is the answer to a body over the server's cap (limit bytes).
func TooLarge(limit int64) *apperr.Error {
	return apperr.TooLarge("http.body_too_large", limit).
		WithDetails(map[string]any{"limit": limit})
}

// ErrorBody is the shape of every JSON error answer (API, content API, and
// the server's own 404, 405, 413 and 500 answers).
type ErrorBody struct {
	Error     ErrorDetail `json:"error"`
	RequestID string      `json:"request_id"`
}

// ErrorDetail is the error inside ErrorBody.
type ErrorDetail struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details"`
}

// JSONErrors is the JSON API's ErrorRenderer.
var JSONErrors ErrorRenderer = writeJSONError

// writeJSONError answers in the language the request asks for (Lang):
// English by default, Vietnamese with Accept-Language: vi.
func writeJSONError(c *gin.Context, p Problem) {
	body := ErrorBody{RequestID: RequestID(c),
		Error: ErrorDetail{Code: p.Code(), Message: p.Err.Text(Lang(c)), Details: p.Err.Details}}
	UTCTimes(body.Error.Details)
	c.AbortWithStatusJSON(p.Status, body)
}
