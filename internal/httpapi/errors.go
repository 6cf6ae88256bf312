package httpapi

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// errorBody is the shape of every error answer.
type errorBody struct {
	Error     errorDetail `json:"error"`
	RequestID string      `json:"request_id"`
}

type errorDetail struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details"`
}

// statusFor maps apperr codes to HTTP statuses (apperr.Code.HTTPStatus, shared with the desk).
func statusFor(code apperr.Code) int { return code.HTTPStatus() }

// writeError renders err as the error JSON and aborts the chain. Errors
// without a known code are logged with the request id and shown as
// "Internal error", so that no internal detail leaks to the client.
func writeError(c *gin.Context, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = tooLarge(mbe.Limit)
	}
	e, ok := apperr.As(err)
	if (!ok || e.Code == apperr.CodeInternal) && apperr.BackendDown(err) {
		logger(c).WarnContext(c.Request.Context(), "database unavailable", slog.String("error", err.Error()))
		c.Header("Retry-After", "5")
		err = apperr.DatabaseDown()
		e, ok = apperr.As(err)
	}
	status := http.StatusInternalServerError
	if ok {
		status = statusFor(e.Code)
	}
	body := errorBody{RequestID: requestID(c)}
	if status == http.StatusInternalServerError {
		logger(c).ErrorContext(c.Request.Context(), "internal error", slog.String("error", err.Error()))
		body.Error = errorDetail{Code: string(apperr.CodeInternal), Message: "Internal error"}
	} else {
		code := string(e.Code)
		if e.Reason != "" {
			code = e.Reason
		}
		body.Error = errorDetail{Code: code, Message: e.Message, Details: e.Details}
		utcTimes(body.Error.Details)
	}
	c.AbortWithStatusJSON(status, body)
}

// tooLarge is the answer to a body over Options.MaxBodyBytes.
func tooLarge(limit int64) *apperr.Error {
	return apperr.TooLarge("Nội dung yêu cầu quá lớn, tối đa %d byte (request body over %d bytes)", limit, limit).
		WithDetails(map[string]any{"limit": limit})
}
