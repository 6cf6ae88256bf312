package user

import (
	"context"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newsroom-vn/newsroom/internal/txn"
)

// AuditFunc records an audit event inside the caller's transaction; the
// user package stays independent of the audit package's storage.
type AuditFunc func(ctx context.Context, a Actor, action, targetType, targetID string, details map[string]any) error

// Config tunes accounts and sessions.
type Config struct {
	Policy PasswordPolicy
	Argon2 Argon2Params
	// MaxFailedLogins failures in a row of one username from one source lock
	// it from that source for LockoutDuration, doubled on each successive
	// lock up to LockoutMax (throttle.go).
	MaxFailedLogins int
	LockoutDuration time.Duration
	LockoutMax      time.Duration
	// IPThrottle and NameThrottle are the token buckets of failed logins per
	// source address and per username, shared through the database.
	IPThrottle       Rate
	NameThrottle     Rate
	IdleTimeout      time.Duration
	AdminIdleTimeout time.Duration
	SessionLifetime  time.Duration
	// TokenMaxLifetime caps a personal API token; AdminTokenMaxLifetime a
	// token carrying the admin scope.
	TokenMaxLifetime      time.Duration
	AdminTokenMaxLifetime time.Duration
	// AdminNets are the client networks admin routes answer from (empty: any).
	AdminNets []netip.Prefix
	// DormantAfter is how long an account may go unused before the
	// dormant-account job disables it (0: never).
	DormantAfter time.Duration
	// MFARequiredRoles must use a second factor; MFAIssuer names the newsroom in authenticator apps.
	MFARequiredRoles []Role
	MFAIssuer        string
}

// Service is the account use cases.
type Service struct {
	repo  Repository
	tx    txn.Runner
	audit AuditFunc
	cfg   Config
	now   func() time.Time
	// hashSlots bounds concurrent argon2 computations so a login flood cannot exhaust memory.
	hashSlots chan struct{}
	dummyOnce sync.Once
	dummy     string
	lastPrune atomic.Int64 // Unix seconds of the last PruneLogin
}

// NewService wires the account service.
func NewService(repo Repository, tx txn.Runner, audit AuditFunc, cfg Config) *Service {
	if cfg.MaxFailedLogins <= 0 {
		cfg.MaxFailedLogins = 5
	}
	if cfg.LockoutDuration <= 0 {
		cfg.LockoutDuration = 15 * time.Minute
	}
	if cfg.LockoutMax < cfg.LockoutDuration {
		cfg.LockoutMax = max(24*time.Hour, cfg.LockoutDuration)
	}
	if cfg.IPThrottle.Burst <= 0 || cfg.IPThrottle.PerMinute <= 0 {
		cfg.IPThrottle = Rate{Burst: 30, PerMinute: 20}
	}
	if cfg.NameThrottle.Burst <= 0 || cfg.NameThrottle.PerMinute <= 0 {
		cfg.NameThrottle = Rate{Burst: 10, PerMinute: 5}
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 15 * time.Minute
	}
	if cfg.AdminIdleTimeout <= 0 {
		cfg.AdminIdleTimeout = 5 * time.Minute
	}
	if cfg.SessionLifetime <= 0 {
		cfg.SessionLifetime = 12 * time.Hour
	}
	if cfg.TokenMaxLifetime <= 0 {
		cfg.TokenMaxLifetime = 90 * 24 * time.Hour
	}
	if cfg.AdminTokenMaxLifetime <= 0 || cfg.AdminTokenMaxLifetime > cfg.TokenMaxLifetime {
		cfg.AdminTokenMaxLifetime = min(24*time.Hour, cfg.TokenMaxLifetime)
	}
	if cfg.Argon2.MemoryKiB == 0 {
		cfg.Argon2 = DefaultArgon2
	}
	if cfg.MFAIssuer == "" {
		cfg.MFAIssuer = "Newsroom"
	}
	if cfg.Policy.MinLength == 0 {
		cfg.Policy.MinLength = 12
	}
	cfg.Policy.Classes = cfg.Policy.classes()
	return &Service{repo: repo, tx: tx, audit: audit, cfg: cfg, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		hashSlots: make(chan struct{}, 4)}
}

// SetClock replaces the clock (tests of expiry).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Config returns the service configuration.
func (s *Service) Config() Config { return s.cfg }

func (s *Service) hash(password string) (string, error) {
	s.hashSlots <- struct{}{}
	defer func() { <-s.hashSlots }()
	return HashPassword(password, s.cfg.Argon2)
}

func (s *Service) verify(password, encoded string) (bool, error) {
	s.hashSlots <- struct{}{}
	defer func() { <-s.hashSlots }()
	return VerifyPassword(password, encoded)
}
