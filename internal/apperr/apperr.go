// Package apperr defines the coded errors that domain services return and
// that the HTTP layer maps to statuses in exactly one place. An error carries
// a catalogue key and its arguments, not a finished sentence, so that each
// face shows it in the reader's language: Error() is English (logs, wrapped
// errors), Text("vi") Vietnamese.
//
// To add a message: pick a key "<package>.<snake_case>", write both texts in
// messages_<package>.go (explicit indexes such as %[2]s when the languages
// order the arguments differently), and return e.g.
// apperr.InvalidField("password", "user.password_too_short", p.MinLength).
// A piece of a message that must be translated too is an argument
// apperr.T(key, ...) or apperr.ByLang(vi, en). The tests check that every key
// a call names is catalogued in both languages with matching verbs.
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

// Error is a coded error with a message meant for the user, given as a
// catalogue key and its arguments, and optional structured details (for
// example the allowed actions or the current version).
type Error struct {
	Code Code
	// Key names the message in the catalogue, e.g. "user.password_too_short".
	Key string
	// Args fill the message's verbs; an argument with a Text(lang) method
	// (a Phrase, ByLang, another *Error) is translated with the message.
	Args    []any
	Details map[string]any
	// Reason is a finer machine-readable reason, e.g. "password_change_required".
	Reason string
	// detail is the diagnostic text of an Internal error: Error() returns it
	// for the logs, while Text shows the reader only "internal error".
	detail string
}

// Error returns the English text, or the diagnostic text of an Internal
// error: what logs and wrapping errors carry.
func (e *Error) Error() string {
	if e.detail != "" {
		return e.detail
	}
	return e.Text(LangEnglish)
}

// Text returns the message in lang ("vi" or "en"; anything else is English).
func (e *Error) Text(lang string) string { return render(e.Key, e.Args, lang) }

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

func newKeyed(code Code, key string, args []any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Invalid reports bad input.
func Invalid(key string, args ...any) *Error { return newKeyed(CodeInvalid, key, args) }

// InvalidField reports bad input in a named field; details carry the field.
func InvalidField(field, key string, args ...any) *Error {
	e := newKeyed(CodeInvalid, key, args)
	e.Details = map[string]any{"field": field}
	return e
}

// Unauthenticated reports missing or wrong credentials.
func Unauthenticated(key string, args ...any) *Error {
	return newKeyed(CodeUnauthenticated, key, args)
}

// Forbidden reports an action this user may not take.
func Forbidden(key string, args ...any) *Error { return newKeyed(CodeForbidden, key, args) }

// NotFound reports a missing resource.
func NotFound(key string, args ...any) *Error { return newKeyed(CodeNotFound, key, args) }

// Conflict reports an action impossible in the current state.
func Conflict(key string, args ...any) *Error { return newKeyed(CodeConflict, key, args) }

// Gone reports a resource that existed and was removed on purpose.
func Gone(key string, args ...any) *Error { return newKeyed(CodeGone, key, args) }

// PreconditionFailed reports a stale version.
func PreconditionFailed(key string, args ...any) *Error {
	return newKeyed(CodePreconditionFailed, key, args)
}

// PreconditionRequired reports a missing If-Match.
func PreconditionRequired(key string, args ...any) *Error {
	return newKeyed(CodePreconditionNeeded, key, args)
}

// TooLarge reports an input over its size limit.
func TooLarge(key string, args ...any) *Error { return newKeyed(CodeTooLarge, key, args) }

// UnsupportedMedia reports a content type that is not accepted.
func UnsupportedMedia(key string, args ...any) *Error {
	return newKeyed(CodeUnsupportedMedia, key, args)
}

// Locked reports a locked account.
func Locked(key string, args ...any) *Error { return newKeyed(CodeLocked, key, args) }

// TooManyRequests reports a rate limit.
func TooManyRequests(key string, args ...any) *Error {
	return newKeyed(CodeTooManyRequests, key, args)
}

// Unavailable reports a backend that cannot be reached.
func Unavailable(key string, args ...any) *Error { return newKeyed(CodeUnavailable, key, args) }

// Internal reports a bug or an unexpected failure. Unlike the other
// constructors it takes a printf format, not a key: its text is a diagnostic
// for the logs (Error()), never shown to a reader, so it needs no
// translation; Text answers the catalogue's "internal error" instead.
func Internal(format string, args ...any) *Error {
	d := fmt.Sprintf(format, args...)
	return &Error{Code: CodeInternal, Key: KeyInternal, detail: d}
}

// KeyInternal is the message shown for an internal error, whatever its cause.
const KeyInternal = "apperr.internal"

// Message returns the text to show a reader for err in lang: the message of
// the first *Error in its chain, "the database is not answering" for a
// backend that went away, and "internal error" for anything else, whose
// text may hold details not meant for readers. Nil gives "".
func Message(err error, lang string) string {
	if err == nil {
		return ""
	}
	if e, ok := As(err); ok {
		return e.Text(lang)
	}
	if BackendDown(err) {
		return DatabaseDown().Text(lang)
	}
	return render(KeyInternal, nil, lang)
}

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

// IfNotFound returns instead when err carries CodeNotFound, err otherwise
// (nil for nil): for a lookup whose miss means something more precise to the
// caller, such as an unknown slug, an invalid token or a bad reference.
func IfNotFound(err, instead error) error {
	if Is(err, CodeNotFound) {
		return instead
	}
	return err
}
