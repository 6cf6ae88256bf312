package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/txn"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// app is everything a command needs, wired once.
type app struct {
	cfg     config.Config
	log     *slog.Logger
	db      *store.DB
	users   *user.Service
	stories *story.Service
	search  *search.Service
	audit   audit.Repository
	// broadcast is programmes and rundowns; hang MOS and live prompters on its OnRundownChange.
	broadcast *broadcast.Service
}

func newLogger(c config.Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.Log.Level))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openApp loads the configuration and opens the database; it does not migrate.
func openApp(ctx context.Context, configPath string, logOut io.Writer) (*app, error) {
	cfg, err := config.Load(configPath)
	if err != nil {
		return nil, err
	}
	log := newLogger(cfg, logOut)
	openCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	db, err := store.Open(openCtx, cfg.Database.URL)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, db: db, audit: store.NewAuditRepository(db)}
	a.users = user.NewService(store.NewUserRepository(db), db, audit.UserFunc(a.audit), user.Config{
		Policy:           user.PasswordPolicy{MinLength: cfg.Auth.PasswordMinLength},
		Argon2:           user.Argon2Params{MemoryKiB: cfg.Auth.Argon2.MemoryKiB, Time: cfg.Auth.Argon2.Time, Threads: cfg.Auth.Argon2.Threads},
		MaxFailedLogins:  cfg.Auth.MaxFailedLogins,
		IdleTimeout:      cfg.Auth.IdleTimeout,
		AdminIdleTimeout: cfg.Auth.AdminIdleTimeout,
		SessionLifetime:  cfg.Auth.SessionLifetime,
	})
	// WithAfterCommit: the public site's cache drops a story's pages once its publish, correction or kill has committed.
	presenters, err := cfg.Broadcast.PresenterWPM()
	if err != nil {
		db.Close()
		return nil, err
	}
	a.stories = story.NewService(store.NewStoryRepository(db), a.audit, txn.WithAfterCommit(db), story.Config{LockTTL: cfg.Story.LockTTL,
		WordsPerMinute: cfg.Broadcast.WordsPerMinute, PresenterWPM: presenters})
	a.broadcast = broadcast.NewService(store.NewBroadcastRepository(db), store.NewStoryRepository(db), a.audit, db)
	a.broadcast.Assets = store.NewAssetRepository(db) // rundown recordings, podcast audio and cover art
	a.search = search.NewService(store.NewSearcher(db), store.NewStoryRepository(db), search.Config{HalfLife: cfg.Search.RecencyHalfLife})
	return a, nil
}

func (a *app) Close() {
	if err := a.db.Close(); err != nil {
		a.log.Warn("close database", "err", err)
	}
}

// requireSchema refuses to go on with a database that is behind, unless
// auto-migrate is on or the database is brand new (first start).
func (a *app) requireSchema(ctx context.Context, autoMigrate bool) error {
	// Asked first: reading the migration status creates goose's table.
	fresh, err := a.db.NeverMigrated(ctx)
	if err != nil {
		return err
	}
	states, err := a.db.MigrationStatus(ctx)
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
	riverCur, riverLatest, err := a.db.RiverVersion(ctx)
	if err != nil {
		return err
	}
	if riverCur != riverLatest && !fresh && !autoMigrate && pending == 0 {
		return fmt.Errorf("the job queue (River) schema is at version %d of %d: run `newsroom migrate up` (back it up first), or start with --auto-migrate", riverCur, riverLatest)
	}
	if pending == 0 {
		if riverCur != riverLatest {
			return a.db.MigrateRiver(ctx)
		}
		return nil
	}
	if !fresh && !autoMigrate {
		return fmt.Errorf("the database is behind by %d migration(s) (%d applied): run `newsroom migrate up` (back it up first), or start with --auto-migrate", pending, applied)
	}
	a.log.Info("applying database migrations", "pending", pending, "first_start", fresh)
	if err := a.db.MigrateUp(ctx); err != nil {
		return err
	}
	return a.db.MigrateRiver(ctx)
}
