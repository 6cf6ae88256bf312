// Package app builds the whole newsroom once, from its configuration: the
// database, the domain services with their ordered listener lists
// (listeners.go, the one place that says who hears what), the job queue and
// its runner, the three faces (JSON API, public site, desk) on one HTTP
// engine, and the background work. cmd/newsroom and the test harness
// (internal/testutil/apptest) both use it, so tests run what production runs.
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"time"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Base is what every command needs: the configuration, the log, the
// database, the audit log and the accounts. Commands that only manage the
// database or accounts (migrate, user, search reindex) open just this.
type Base struct {
	Config config.Config
	Log    *slog.Logger
	DB     *store.DB
	// AuditLog stores audit events; Audit reads them with the role rules.
	AuditLog audit.Repository
	Audit    *audit.Service
	Users    *user.Service
}

// NewLogger builds the logger the configuration asks for (log.format, log.level).
func NewLogger(c config.Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.Log.Level))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// OpenBase opens the database of cfg (without migrating it) and builds the
// account and audit services. log may be nil (a logger on logOut is built).
func OpenBase(ctx context.Context, cfg config.Config, log *slog.Logger) (*Base, error) {
	if log == nil {
		log = slog.Default()
	}
	openCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	db, err := store.Open(openCtx, cfg.Database.URL)
	if err != nil {
		return nil, err
	}
	return BaseOn(db, cfg, log), nil
}

// BaseOn builds the base services on a database that is already open (the
// test harness opens fresh ones); Close closes it.
func BaseOn(db *store.DB, cfg config.Config, log *slog.Logger) *Base {
	if log == nil {
		log = slog.Default()
	}
	adminNets, err := cfg.Security.AdminNets() // config.Validate has checked them
	if err != nil {
		adminNets = []netip.Prefix{{}} // fail closed: the zero prefix contains no address
	}
	b := &Base{Config: cfg, Log: log, DB: db, AuditLog: store.NewAuditRepository(db)}
	b.Audit = audit.NewService(b.AuditLog, store.NewAuditChain(db), cfg.Audit.Retention)
	a := cfg.Auth
	b.Users = user.NewService(store.NewUserRepository(db), db, audit.UserFunc(b.AuditLog), user.Config{
		Policy: user.PasswordPolicy{MinLength: a.PasswordMinLength, Classes: a.PasswordClasses, History: a.PasswordHistory,
			MaxAge: a.PasswordMaxAge},
		DormantAfter:          a.DormantAfter,
		Argon2:                user.Argon2Params{MemoryKiB: a.Argon2.MemoryKiB, Time: a.Argon2.Time, Threads: a.Argon2.Threads},
		MaxFailedLogins:       a.MaxFailedLogins,
		LockoutDuration:       a.LockoutDuration,
		LockoutMax:            a.LockoutMax,
		IPThrottle:            user.Rate{Burst: a.ThrottleIPBurst, PerMinute: a.ThrottleIPPerMinute},
		NameThrottle:          user.Rate{Burst: a.ThrottleUserBurst, PerMinute: a.ThrottleUserPerMinute},
		IdleTimeout:           a.IdleTimeout,
		AdminIdleTimeout:      a.AdminIdleTimeout,
		SessionLifetime:       a.SessionLifetime,
		TokenMaxLifetime:      a.TokenMaxLifetime,
		AdminTokenMaxLifetime: a.AdminTokenMaxLifetime,
		AdminNets:             adminNets,
		MFARequiredRoles:      mfaRoles(cfg.Security.MFARequiredRoles),
		MFAIssuer:             cfg.Site.Name,
	})
	return b
}

// Close closes the database.
func (b *Base) Close() {
	if err := b.DB.Close(); err != nil {
		b.Log.Warn("close database", "err", err)
	}
}

// RequireSchema refuses to go on with a database that is behind, unless
// autoMigrate is on or the database is brand new (first start).
func (b *Base) RequireSchema(ctx context.Context, autoMigrate bool) error {
	// Asked first: reading the migration status creates goose's table.
	fresh, err := b.DB.NeverMigrated(ctx)
	if err != nil {
		return err
	}
	states, err := b.DB.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	applied, pending := 0, 0
	for _, s := range states {
		if s.Applied {
			applied++
		} else {
			pending++
		}
	}
	riverCur, riverLatest, err := b.DB.RiverVersion(ctx)
	if err != nil {
		return err
	}
	if riverCur != riverLatest && !fresh && !autoMigrate && pending == 0 {
		return fmt.Errorf("the job queue (River) schema is at version %d of %d: run `newsroom migrate up` (back it up first), or start with --auto-migrate", riverCur, riverLatest)
	}
	if pending == 0 {
		if riverCur != riverLatest {
			return b.DB.MigrateRiver(ctx)
		}
		return nil
	}
	if !fresh && !autoMigrate {
		return fmt.Errorf("the database is behind by %d migration(s) (%d applied): run `newsroom migrate up` (back it up first), or start with --auto-migrate", pending, applied)
	}
	b.Log.Info("applying database migrations", "pending", pending, "first_start", fresh)
	if err := b.DB.MigrateUp(ctx); err != nil {
		return err
	}
	return b.DB.MigrateRiver(ctx)
}

// mfaRoles are security.mfa_required_roles as roles (validated by config).
func mfaRoles(names []string) []user.Role {
	out := make([]user.Role, 0, len(names))
	for _, n := range names {
		out = append(out, user.Role(n))
	}
	return out
}
