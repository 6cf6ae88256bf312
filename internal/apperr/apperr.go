// Package apperr defines the coded errors that domain services return and
// that the HTTP layer maps to statuses in exactly one place.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error for callers; it never carries user data.
type Code string

// The codes. Each maps to one HTTP status in httpapi.
const (
	CodeInvalid            Code = "invalid"               // 400: the input is wrong
	CodeUnauthenticated    Code = "unauthenticated"       // 401: no or bad credentials
	CodeForbidden          Code = "forbidden"             // 403: authenticated but not allowed
	CodeNotFound           Code = "not_found"             // 404
	CodeConflict           Code = "conflict"              // 409: not possible in the current state
	CodeGone               Code = "gone"                  // 410
	CodePreconditionFailed Code = "precondition_failed"   // 412: stale version
	CodeTooLarge           Code = "too_large"             // 413
	CodeUnsupportedMedia   Code = "unsupported_media"     // 415
	CodeLocked             Code = "locked"                // 423: account locked
	CodePreconditionNeeded Code = "precondition_required" // 428: If-Match missing
	CodeTooManyRequests    Code = "too_many_requests"     // 429
	CodeUnavailable        Code = "unavailable"           // 503: a backend is down
	CodeInternal           Code = "internal"              // 500
)

// Error is a coded error with a message meant for the user and optional
// structured details (for example the allowed actions or the current version).
type Error struct {
	Code    Code
	Message string
	Details map[string]any
	// Reason is a finer machine-readable reason, e.g. "password_change_required".
	Reason string
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// WithDetails returns a copy of e with details set.
func (e *Error) WithDetails(d map[string]any) *Error {
	c := *e
	c.Details = d
	return &c
}

// WithReason returns a copy of e with a machine-readable reason.
func (e *Error) WithReason(r string) *Error {
	c := *e
	c.Reason = r
	return &c
}

func newf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports bad input.
func Invalid(format string, args ...any) *Error { return newf(CodeInvalid, format, args...) }

// InvalidField reports bad input in a named field; details carry the field.
func InvalidField(field, format string, args ...any) *Error {
	e := newf(CodeInvalid, format, args...)
	e.Details = map[string]any{"field": field}
	return e
}

// Unauthenticated reports missing or wrong credentials.
func Unauthenticated(format string, args ...any) *Error {
	return newf(CodeUnauthenticated, format, args...)
}

// Forbidden reports an action this user may not take.
func Forbidden(format string, args ...any) *Error { return newf(CodeForbidden, format, args...) }

// NotFound reports a missing resource.
func NotFound(format string, args ...any) *Error { return newf(CodeNotFound, format, args...) }

// Conflict reports an action impossible in the current state.
func Conflict(format string, args ...any) *Error { return newf(CodeConflict, format, args...) }

// Gone reports a resource that existed and was removed on purpose.
func Gone(format string, args ...any) *Error { return newf(CodeGone, format, args...) }

// PreconditionFailed reports a stale version.
func PreconditionFailed(format string, args ...any) *Error {
	return newf(CodePreconditionFailed, format, args...)
}

// PreconditionRequired reports a missing If-Match.
func PreconditionRequired(format string, args ...any) *Error {
	return newf(CodePreconditionNeeded, format, args...)
}

// TooLarge reports an input over its size limit.
func TooLarge(format string, args ...any) *Error { return newf(CodeTooLarge, format, args...) }

// UnsupportedMedia reports a content type that is not accepted.
func UnsupportedMedia(format string, args ...any) *Error {
	return newf(CodeUnsupportedMedia, format, args...)
}

// Locked reports a locked account.
func Locked(format string, args ...any) *Error { return newf(CodeLocked, format, args...) }

// TooManyRequests reports a rate limit.
func TooManyRequests(format string, args ...any) *Error {
	return newf(CodeTooManyRequests, format, args...)
}

// Unavailable reports a backend that cannot be reached.
func Unavailable(format string, args ...any) *Error { return newf(CodeUnavailable, format, args...) }

// Internal reports a bug or an unexpected failure; the message is not shown to users.
func Internal(format string, args ...any) *Error { return newf(CodeInternal, format, args...) }

// As returns the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// CodeOf returns the code of err, CodeInternal when err carries none, "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	if e, ok := As(err); ok {
		return e.Code
	}
	return CodeInternal
}

// Is reports whether err carries the code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
