package apperr

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
)

// BackendDown reports whether err says that a backend (the database) could
// not be reached or went away mid-request — a refused or reset connection,
// a connection the driver gave up on or found closed, PostgreSQL shutting down or starting
// up — rather than a bug: the answer is then 503 "try again", which clients
// and load balancers retry, not 500.
func BackendDown(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return true
	}
	// A driver error that was never sent because the connection is gone
	// (pgx's "conn closed" after the server ended it) says it is safe to retry.
	var retry interface{ SafeToRetry() bool }
	if errors.As(err, &retry) && retry.SafeToRetry() {
		return true
	}
	// PostgreSQL's SQLSTATE classes 08 (connection exception) and 57P
	// (operator intervention: admin shutdown, crash shutdown, cannot connect now).
	var st interface{ SQLState() string }
	if errors.As(err, &st) {
		s := st.SQLState()
		return strings.HasPrefix(s, "08") || strings.HasPrefix(s, "57P")
	}
	return false
}

// DatabaseDown is the error shown when BackendDown: the request may be retried.
func DatabaseDown() *Error {
	return Unavailable("apperr.database_down").WithReason("database_unavailable")
}
