package user

import (
	"context"
	"math"
	"net"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// Login throttling and lockout (docs/security.md, "Login throttling and
// lockout"). Failed logins only are counted, in the database so that every
// server process shares them:
//
//   - a token bucket per source address (IPv6: its /64), any username;
//   - a token bucket per username (its hash, so unknown names too), any source;
//   - a temporary lock per username AND source: MaxFailedLogins failures in a
//     row from one source refuse that name from that source for
//     LockoutDuration, doubled on each successive lock up to LockoutMax.
//
// A source that hammers one account locks only itself out of it: the
// account's owner logging in from elsewhere is not refused, and an attacker
// cannot lock anyone else out for good. A correct password is never counted
// and gives back the tokens its attempt took.

// Rate is a token bucket: Burst failures at once, refilled at PerMinute.
type Rate struct {
	Burst     int
	PerMinute int
}

// Bucket is one token bucket's stored state.
type Bucket struct {
	Tokens float64
	At     time.Time
}

// Refill returns the tokens the bucket holds at now (never more than Burst).
func (b Bucket) Refill(r Rate, now time.Time) float64 {
	elapsed := now.Sub(b.At).Seconds()
	if elapsed < 0 {
		elapsed = 0
	}
	return math.Min(float64(r.Burst), b.Tokens+elapsed*float64(r.PerMinute)/60)
}

// Take takes one token at now; when there is none it leaves the bucket as it
// is and returns how long until the next token.
func (b *Bucket) Take(r Rate, now time.Time) (ok bool, wait time.Duration) {
	t := b.Refill(r, now)
	if t < 1 {
		if r.PerMinute <= 0 {
			return false, time.Hour
		}
		return false, time.Duration((1 - t) * 60 / float64(r.PerMinute) * float64(time.Second))
	}
	b.Tokens, b.At = t-1, now
	return true, 0
}

// Give gives back one token (a login that succeeded).
func (b *Bucket) Give(r Rate, now time.Time) {
	b.Tokens, b.At = math.Min(float64(r.Burst), b.Refill(r, now)+1), now
}

// LoginLock is the automatic lock of one username from one source.
type LoginLock struct {
	Failures    int        // failures in a row since the last lock or success
	Lockouts    int        // successive locks so far (sets the next lock's length)
	LockedUntil *time.Time // nil or past: not locked
	UpdatedAt   time.Time
}

// LockedAt reports whether the lock holds at now.
func (l *LoginLock) LockedAt(now time.Time) bool {
	return l != nil && l.LockedUntil != nil && now.Before(*l.LockedUntil)
}

// Fail counts one failure at now and locks once the failures reach max:
// for base, doubled for each earlier successive lock, at most top. A name
// and source quiet for top (after the last failure or lock end) start afresh.
func (l *LoginLock) Fail(max int, base, top time.Duration, now time.Time) (locked bool) {
	last := l.UpdatedAt
	if l.LockedUntil != nil && l.LockedUntil.After(last) {
		last = *l.LockedUntil
	}
	if !last.IsZero() && now.Sub(last) > top {
		l.Failures, l.Lockouts = 0, 0
	}
	l.UpdatedAt = now
	l.Failures++
	if l.Failures < max {
		return false
	}
	d := base
	for i := 0; i < l.Lockouts && d < top; i++ {
		d *= 2
	}
	d = min(d, top)
	until := now.Add(d)
	l.Failures, l.LockedUntil = 0, &until
	l.Lockouts++
	return true
}

// ThrottleRepository keeps the shared login counters. Every method is
// atomic across processes (one transaction with the row locked).
type ThrottleRepository interface {
	// TakeLoginToken takes a token from the bucket key (created full);
	// ok is false, with the wait until the next token, when it is empty.
	TakeLoginToken(ctx context.Context, key string, r Rate, now time.Time) (ok bool, wait time.Duration, err error)
	// GiveLoginToken gives back a token that TakeLoginToken took.
	GiveLoginToken(ctx context.Context, key string, r Rate, now time.Time) error
	// ChangeLoginLock runs change on the lock of name from source (a zero
	// LoginLock when there is none) and stores it when change reports a change.
	ChangeLoginLock(ctx context.Context, name, source string, change func(l *LoginLock) bool) (*LoginLock, error)
	// ClearLoginLocks forgets the locks of name: from source, or from every
	// source when source is empty.
	ClearLoginLocks(ctx context.Context, name, source string) error
	// PruneLogin drops the buckets untouched since bucketsBefore and the
	// locks quiet (last failure and lock end) since locksBefore.
	PruneLogin(ctx context.Context, bucketsBefore, locksBefore time.Time) error
}

// LockoutPolicy returns the effective lockout settings: failures in a row
// (from one source) that lock, the first lock's length and the longest.
func (s *Service) LockoutPolicy() (maxFailed int, duration, max time.Duration) {
	return s.cfg.MaxFailedLogins, s.cfg.LockoutDuration, s.cfg.LockoutMax
}

// LoginSource is the throttling key of a client address: an IPv4 address
// as it is, an IPv6 address by its /64 (one subscriber's network), anything
// else as given (at most 64 bytes).
func LoginSource(ip string) string {
	p := net.ParseIP(ip)
	switch {
	case p == nil:
		return truncate(ip, 64)
	case p.To4() != nil:
		return p.To4().String()
	default:
		return p.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
}

// loginGate is one login attempt's passage through the throttle.
type loginGate struct {
	s            *Service
	name, source string
	tookName     bool
	locked       bool       // the name is locked from this source: refuse without a check
	lock         *LoginLock // set when this attempt, if it fails, locks the name from this source
}

// errThrottled is the answer once a bucket is empty: the same for every
// username, known or not.
func errThrottled(wait time.Duration) error {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	return apperr.TooManyRequests("user.login_throttled", secs).WithReason("login_throttled").
		WithDetails(map[string]any{"retry_after": secs})
}

// admitLogin takes the source's token; counts the attempt on the lock of the
// name from this source before the password is checked (so that concurrent
// attempts cannot pass the lock: the one that reaches MaxFailedLogins sets
// it), unless that lock holds, which is refused without a check or any other
// count; then takes the name's token. An empty bucket answers 429. What the
// attempt took is a failure's price unless it succeeds (gate.succeeded).
func (s *Service) admitLogin(ctx context.Context, username, ip string) (*loginGate, error) {
	g := &loginGate{s: s, name: unknownLoginName(username), source: LoginSource(ip)}
	now := s.now()
	ok, wait, err := s.repo.TakeLoginToken(ctx, "ip:"+g.source, s.cfg.IPThrottle, now)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errThrottled(wait)
	}
	var before LoginLock
	var setsLock bool
	lock, err := s.repo.ChangeLoginLock(ctx, g.name, g.source, func(l *LoginLock) bool {
		if g.locked = l.LockedAt(now); g.locked {
			return false
		}
		before = *l
		setsLock = l.Fail(s.cfg.MaxFailedLogins, s.cfg.LockoutDuration, s.cfg.LockoutMax, now)
		return true
	})
	if err != nil || g.locked {
		return g, err
	}
	if setsLock {
		g.lock = lock
	}
	ok, wait, err = s.repo.TakeLoginToken(ctx, "name:"+g.name, s.cfg.NameThrottle, now)
	if err != nil {
		return nil, err
	}
	if !ok {
		// Not checked: the attempt does not count towards the lock.
		if _, err := s.repo.ChangeLoginLock(ctx, g.name, g.source, func(l *LoginLock) bool { *l = before; return true }); err != nil {
			return nil, err
		}
		return nil, errThrottled(wait)
	}
	g.tookName = true
	return g, nil
}

// succeeded gives back the attempt's tokens and forgets the name's failures
// from this source: successful logins are never throttled.
func (g *loginGate) succeeded(ctx context.Context) error {
	s, now := g.s, g.s.now()
	if err := s.repo.GiveLoginToken(ctx, "ip:"+g.source, s.cfg.IPThrottle, now); err != nil {
		return err
	}
	if g.tookName {
		if err := s.repo.GiveLoginToken(ctx, "name:"+g.name, s.cfg.NameThrottle, now); err != nil {
			return err
		}
	}
	return s.repo.ClearLoginLocks(ctx, g.name, g.source)
}

// loginFailed records a wrong password for u: the account's failure count
// (shown to admins; it no longer locks the account) and the audit events,
// "user.locked" when this attempt set the lock of the name from this source.
func (s *Service) loginFailed(ctx context.Context, g *loginGate, u *User, actor Actor) error {
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		count, _, err := s.repo.RecordFailedLogin(ctx, u.ID, 0, s.now())
		if err != nil {
			return err
		}
		if err := s.audit(ctx, actor, "auth.login_failed", "user", u.ID, map[string]any{"failed_logins": count}); err != nil {
			return err
		}
		return g.auditLock(ctx, actor, u.ID)
	})
	if err != nil {
		return err
	}
	s.pruneLogin(ctx)
	return ErrBadCredentials
}

// pruneLogin drops stale throttle rows, at most once a minute per process: a
// bucket idle long enough to be full again, a lock its backoff has forgotten.
func (s *Service) pruneLogin(ctx context.Context) {
	now := s.now()
	last := s.lastPrune.Load()
	if now.Unix()-last < 60 || !s.lastPrune.CompareAndSwap(last, now.Unix()) {
		return
	}
	refill := func(r Rate) time.Duration { return time.Duration(r.Burst) * time.Minute / time.Duration(r.PerMinute) }
	idle := max(refill(s.cfg.IPThrottle), refill(s.cfg.NameThrottle)) + time.Minute
	_ = s.repo.PruneLogin(ctx, now.Add(-idle), now.Add(-s.cfg.LockoutMax))
}

// auditLock writes "user.locked" when this attempt set the lock of the name
// from its source (a wrong password or a wrong second-factor code).
func (g *loginGate) auditLock(ctx context.Context, actor Actor, userID string) error {
	if g.lock == nil {
		return nil
	}
	return g.s.audit(ctx, actor, "user.locked", "user", userID, map[string]any{"temporary": true, "source": g.source,
		"until": g.lock.LockedUntil.UTC().Format(time.RFC3339), "lockouts": g.lock.Lockouts})
}
