// Package clock judges the offset between the application's clock and the
// database server's (store.DB.ClockOffset). TOTP codes and the order of the
// audit log depend on both agreeing; NTP keeps them so (docs/operations.md).
package clock

import "time"

// WarnOver is the offset, either way, past which /readyz and the admin pages warn.
const WarnOver = 2 * time.Second

// Reading is one comparison of the two clocks.
type Reading struct {
	// Offset is how far the database's clock is ahead of the application's (negative: behind).
	Offset time.Duration
	// SameHost: the database runs in this process (SQLite) and shares its clock.
	SameHost bool
}

// OffsetMS is Offset in whole milliseconds.
func (r Reading) OffsetMS() int64 { return r.Offset.Milliseconds() }

// Warn reports whether the clocks disagree by more than WarnOver.
func (r Reading) Warn() bool { return r.Offset > WarnOver || r.Offset < -WarnOver }

// Source names where the database's time came from: "database" or "same_host".
func (r Reading) Source() string {
	if r.SameHost {
		return "same_host"
	}
	return "database"
}
