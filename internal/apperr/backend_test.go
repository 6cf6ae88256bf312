package apperr

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
)

type sqlState string

func (s sqlState) Error() string    { return "pg: " + string(s) }
func (s sqlState) SQLState() string { return string(s) }

// unsent is a driver error for a request that never left (pgconn's connLockError).
type unsent bool

func (u unsent) Error() string     { return "conn closed" }
func (u unsent) SafeToRetry() bool { return bool(u) }

func TestBackendDown(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("boom"), false},
		{NotFound("x"), false},
		{fmt.Errorf("store: find story: %w", driver.ErrBadConn), true},
		{fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{fmt.Errorf("store: transaction: %w", syscall.ECONNRESET), true},
		{fmt.Errorf("store: x: %w", sqlState("57P01")), true}, // admin_shutdown
		{sqlState("57P03"), true},                             // cannot_connect_now
		{sqlState("08006"), true},                             // connection_failure
		{sqlState("23505"), false},                            // unique_violation: a real answer
		{sqlState("42P01"), false},                            // undefined_table: a bug
		{fmt.Errorf("store: commit: %w", unsent(true)), true}, // the connection was closed under it
		{unsent(false), false},
	} {
		if got := BackendDown(c.err); got != c.want {
			t.Errorf("BackendDown(%v) = %v, want %v", c.err, got, c.want)
		}
	}
	if e, ok := As(DatabaseDown()); !ok || e.Code != CodeUnavailable {
		t.Fatalf("DatabaseDown() = %v", e)
	}
}
