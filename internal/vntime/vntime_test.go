package vntime

import (
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	utc := time.Date(2026, 11, 25, 17, 30, 0, 0, time.UTC)
	if got := Format(utc); got != "26/11/2026 00:30" {
		t.Fatalf("got %q", got)
	}
	if Format(time.Time{}) != "" {
		t.Fatal("zero time must show empty")
	}
}
