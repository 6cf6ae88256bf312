package testutil

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/app"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/jobs"
	"github.com/newsroom-vn/newsroom/internal/store"
)

// TestSecretKey is a distribution.secret_key for tests (32 bytes, hex).
const TestSecretKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

// App is the whole newsroom on a fresh test database, built by internal/app
// exactly as `newsroom serve` builds it: the same services, listeners, jobs
// and faces.
type App struct {
	*app.App
	t       testing.TB
	started bool
}

// AppOption changes how NewApp builds the app.
type AppOption func(*appSettings)

type appSettings struct {
	cfg   config.Config
	start bool
	log   *slog.Logger
	// opts are the app.Options (job tuning; WithAppOptions).
	opts app.Options
}

// WithConfig lets a test change the configuration before the app is built
// (storage, site, MOS, distribution ...).
func WithConfig(f func(c *config.Config)) AppOption { return func(s *appSettings) { f(&s.cfg) } }

// Started starts the background work (job runner, renditions, MOS) and
// stops it when the test ends.
func Started() AppOption { return func(s *appSettings) { s.start = true } }

// WithLogger sends the app's log to log (default: discarded).
func WithLogger(log *slog.Logger) AppOption { return func(s *appSettings) { s.log = log } }

// TestConfig is the configuration tests start from: the defaults, with a
// cheap password hash, local storage in a temporary folder, a test site
// name and address, a distribution key, fast job polling, no metrics listener
// and no role that requires MFA.
func TestConfig(t testing.TB) config.Config {
	c := config.Default()
	c.Auth.Argon2 = config.Argon2{MemoryKiB: 64, Time: 1, Threads: 1}
	c.Storage.Kind = "local"
	c.Storage.Local.Dir = t.TempDir()
	c.Site.Name = "Báo Thử"
	c.Site.BaseURL = "http://127.0.0.1"
	c.Site.CacheEntries = 100
	c.Content.RateLimit = 1000
	c.Distribution.SecretKey = TestSecretKey
	c.Scheduler.Interval = 50 * time.Millisecond
	// Started apps run side by side: no metrics listener unless a test asks.
	c.Metrics.Addr = config.MetricsOff
	// Tests that are not about MFA log in with a password alone; MFA tests set the roles.
	c.Security.MFARequiredRoles = []string{}
	return c
}

// NewApp builds the app on a fresh, migrated database of the dialect
// (store.DialectSQLite or store.DialectPostgres); everything is closed when
// the test ends.
func NewApp(t testing.TB, dialect string, opts ...AppOption) *App {
	t.Helper()
	return NewAppOn(t, OpenDB(t, dialect), opts...)
}

// NewAppOn builds the app on db, an open and migrated database, for tests
// that share one database with `newsroom serve` processes; closing db stays
// with the caller.
func NewAppOn(t testing.TB, db *store.DB, opts ...AppOption) *App {
	t.Helper()
	s := appSettings{cfg: TestConfig(t), log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		opts: app.Options{Version: "test", Jobs: jobs.Options{PollInterval: 50 * time.Millisecond}}}
	for _, o := range opts {
		o(&s)
	}
	ctx := context.Background()
	a, err := app.NewWithBase(ctx, app.BaseOn(db, s.cfg, s.log), s.opts)
	if err != nil {
		t.Fatalf("testutil: build the app: %v", err)
	}
	ta := &App{App: a, t: t}
	if s.start {
		stop, err := a.Start(ctx)
		if err != nil {
			t.Fatalf("testutil: start the app: %v", err)
		}
		t.Cleanup(func() {
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			stop(sctx)
		})
		ta.started = true
	}
	return ta
}

// Serve serves the app's HTTP engine on 127.0.0.1 until the test ends and
// returns the server (its URL and client).
func (a *App) Serve() *httptest.Server {
	srv := httptest.NewServer(a.Handler)
	a.t.Cleanup(srv.Close)
	return srv
}

// ForEachApp runs fn as a subtest per dialect of Dialects, each with its own app.
func ForEachApp(t *testing.T, fn func(t *testing.T, a *App), opts ...AppOption) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, NewApp(t, d, opts...)) })
	}
}
