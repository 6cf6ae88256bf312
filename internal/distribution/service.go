package distribution

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/txn"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Limits on targets.
const (
	MaxTargetName  = 200
	MaxFilterItems = 50
	MaxSecretBytes = 1024
	// ResponseLogBytes is how much of a receiver's answer an attempt keeps.
	ResponseLogBytes = 1024
)

// Config tunes the service.
type Config struct {
	// SecretKey seals target secrets; nil refuses targets with secrets.
	SecretKey *Sealer
	// RetryHorizon is how long a failing delivery is retried before it is
	// dead (default 24 h).
	RetryHorizon time.Duration
	// RetryBase is the first backoff; each retry doubles it, up to RetryMax,
	// with jitter (defaults 5 s and 1 h).
	RetryBase, RetryMax time.Duration
	// AllowHosts are the hosts (or host:port) the SSRF guard lets through.
	AllowHosts []string
	// Logger receives delivery failures.
	Logger *slog.Logger
	// ZaloVerifyTimeout bounds how long one attempt at a Zalo delivery polls
	// the verify call after create or update (distribution.zalo_verify_timeout,
	// default 60 s); still processing then, the delivery is retried later
	// from the verify step with the same token.
	ZaloVerifyTimeout time.Duration
	// ZaloVerifyInterval is the first wait between two verify calls; it
	// doubles up to 10 s (default 1 s).
	ZaloVerifyInterval time.Duration
}

// Service is the distribution use cases.
type Service struct {
	repo     Repository
	stories  Stories
	audit    audit.Repository
	tx       txn.Runner
	render   Renderer
	cfg      Config
	guard    *Guard
	now      func() time.Time
	metrics  *Metrics
	log      *slog.Logger
	mu       sync.Mutex
	sems     map[string]chan struct{}
	clients  map[time.Duration]*http.Client
	enqueuer Enqueuer
	web      WebCache
	renders  renderCache
}

// WebCache is the public site's page cache in this process (site.Service).
type WebCache interface {
	// Invalidate drops the cached pages.
	Invalidate()
}

// Deps are what the service works with besides its repository.
type Deps struct {
	Stories Stories
	Audit   audit.Repository
	Tx      txn.Runner
	// Renderer writes stories in the targets' formats (feed.Renderer).
	Renderer Renderer
	// Enqueuer enqueues manual redeliveries (jobs.Queue); nil refuses Retry.
	Enqueuer Enqueuer
	// Web, when set, is dropped when the web channel receives a transition.
	Web WebCache
}

// NewService wires the service.
func NewService(repo Repository, d Deps, cfg Config) *Service {
	if cfg.RetryHorizon <= 0 {
		cfg.RetryHorizon = 24 * time.Hour
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = 5 * time.Second
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = time.Hour
	}
	if cfg.ZaloVerifyTimeout <= 0 {
		cfg.ZaloVerifyTimeout = time.Minute
	}
	if cfg.ZaloVerifyInterval <= 0 {
		cfg.ZaloVerifyInterval = time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Service{repo: repo, stories: d.Stories, audit: d.Audit, tx: d.Tx, render: d.Renderer, enqueuer: d.Enqueuer, web: d.Web, cfg: cfg,
		guard: NewGuard(cfg.AllowHosts), now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		metrics: NewMetrics(), log: log, sems: map[string]chan struct{}{}, clients: map[time.Duration]*http.Client{}}
}

// Metrics returns the service's Prometheus collectors.
func (s *Service) Metrics() *Metrics { return s.metrics }

// Guard returns the SSRF guard the service dials through.
func (s *Service) Guard() *Guard { return s.guard }

func canManage(a user.Actor) bool { return a.Role == user.RoleAdmin || a.IsSystem() }

// CanRedeliver reports whether the actor may send a delivery again
// (managing editors, editors-in-chief, admins): the desk shows the button
// only to them, and Retry refuses the others.
func CanRedeliver(a user.Actor) bool {
	return canManage(a) || a.Role == user.RoleManagingEditor || a.Role == user.RoleEditorInChief
}

func (s *Service) record(ctx context.Context, a user.Actor, action, id string, details map[string]any) error {
	return audit.Record(ctx, s.audit, a, audit.Event{At: s.now(), Action: action, TargetType: "distribution_target", TargetID: id, Details: details})
}
