package user

import (
	"testing"
	"time"
)

// TestLoginLockBackoff: each successive lock doubles, up to the maximum; a
// name and source quiet for the maximum after the lock ended start afresh.
func TestLoginLockBackoff(t *testing.T) {
	now := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	var l LoginLock
	want := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 16 * time.Hour, 24 * time.Hour, 24 * time.Hour}
	for i, d := range want {
		for j := 1; j <= 5; j++ {
			if locked := l.Fail(5, 15*time.Minute, 24*time.Hour, now); locked != (j == 5) {
				t.Fatalf("lock %d, failure %d: locked %v", i+1, j, locked)
			}
		}
		if !l.LockedAt(now) || l.LockedUntil.Sub(now) != d {
			t.Fatalf("lock %d lasts %v, want %v", i+1, l.LockedUntil.Sub(now), d)
		}
		now = *l.LockedUntil
		if l.LockedAt(now) {
			t.Fatalf("lock %d still holds at its end", i+1)
		}
	}
	l.Fail(5, 15*time.Minute, 24*time.Hour, now.Add(24*time.Hour+time.Second))
	if l.Lockouts != 0 || l.Failures != 1 {
		t.Fatalf("after a quiet day: %+v", l)
	}
}

// TestBucket: a bucket gives its burst, then PerMinute a minute, and says
// how long until the next token; a given-back token can be taken again.
func TestBucket(t *testing.T) {
	now := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	r := Rate{Burst: 30, PerMinute: 20}
	b := Bucket{Tokens: 30, At: now}
	for i := range 30 {
		if ok, _ := b.Take(r, now); !ok {
			t.Fatalf("take %d refused", i)
		}
	}
	if ok, wait := b.Take(r, now); ok || wait != 3*time.Second {
		t.Fatalf("empty: %v %v", ok, wait)
	}
	b.Give(r, now)
	if ok, _ := b.Take(r, now); !ok {
		t.Fatal("given back, not taken")
	}
	now = now.Add(time.Minute)
	for i := range 20 {
		if ok, _ := b.Take(r, now); !ok {
			t.Fatalf("minute 2, take %d refused", i)
		}
	}
	if ok, _ := b.Take(r, now); ok {
		t.Fatal("21st take of the minute")
	}
	if LoginSource("2001:db8:1:2:3:4:5:6") != "2001:db8:1:2::/64" || LoginSource("::ffff:192.0.2.1") != "192.0.2.1" {
		t.Fatalf("LoginSource: %s %s", LoginSource("2001:db8:1:2:3:4:5:6"), LoginSource("::ffff:192.0.2.1"))
	}
}
