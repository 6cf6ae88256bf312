package clock

import (
	"testing"
	"time"
)

func TestReadingWarn(t *testing.T) {
	for _, tc := range []struct {
		offset time.Duration
		warn   bool
	}{{0, false}, {12 * time.Millisecond, false}, {WarnOver, false}, {-WarnOver, false},
		{WarnOver + time.Millisecond, true}, {-WarnOver - time.Millisecond, true}, {time.Hour, true}} {
		if got := (Reading{Offset: tc.offset}).Warn(); got != tc.warn {
			t.Errorf("offset %s: warn %v, want %v", tc.offset, got, tc.warn)
		}
	}
	if r := (Reading{Offset: -2500 * time.Millisecond}); r.OffsetMS() != -2500 || r.Source() != "database" {
		t.Errorf("reading %+v: %d ms from %s", r, r.OffsetMS(), r.Source())
	}
	if (Reading{SameHost: true}).Source() != "same_host" {
		t.Error("SQLite's reading is not same_host")
	}
}
