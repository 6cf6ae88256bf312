package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Publisher is what the scheduled-publication worker needs of stories
// (story.Service).
type Publisher interface {
	FindStoryByID(ctx context.Context, a user.Actor, id string) (*story.Story, error)
	Transition(ctx context.Context, a user.Actor, id string, in story.TransitionInput, ifVersion *int) (*story.Story, error)
}

// Deliverer makes one attempt at a delivery (distribution.Service). It
// returns distribution.ErrRetryLater (wrapped) with the wait before the
// next attempt, or nil when the delivery is finished (delivered or dead).
type Deliverer interface {
	Deliver(ctx context.Context, deliveryID string) (retryIn time.Duration, err error)
}

// Deps are the services the workers call.
type Deps struct {
	DB      *store.DB
	Stories Publisher
	// Deliverer, when set, makes the delivery attempts; without it a
	// delivery job does nothing.
	Deliverer Deliverer
	// Assets, when set, makes asset renditions (queue QueueRenditions);
	// without it rendition jobs wait for a runner that has it.
	Assets Assets
	// AuditArchive, when set, is the audit retention job's work, run
	// every AuditInterval (default a day) and at start.
	AuditArchive  AuditArchiver
	AuditInterval time.Duration
	// Accounts, when set with Options.DormantInterval, disables dormant
	// accounts in a periodic job.
	Accounts Accounts
	// Backup, when set, takes the scheduled backups (backup.interval).
	Backup Backuper
}

// Runner runs the jobs of every queue.
type Runner struct {
	deps Deps
	log  *slog.Logger
	cfg  *river.Config
	// client runs the jobs: on SQLite a River client built here; on
	// PostgreSQL a client on riverpgxv5 over pool, built by Start.
	client interface {
		Start(ctx context.Context) error
		Stop(ctx context.Context) error
		StopAndCancel(ctx context.Context) error
	}
	pool *pgxpool.Pool
}

// NewRunner builds the workers. They run once Start is called.
func NewRunner(deps Deps, o Options) (*Runner, error) {
	if deps.DB == nil || deps.Stories == nil {
		return nil, errors.New("jobs: new runner: DB and Stories are required")
	}
	o = o.withDefaults()
	jobTimeout := min(defaultJobTimeout, o.StuckAfter)
	r := &Runner{deps: deps, log: o.Logger}
	workers := river.NewWorkers()
	river.AddWorker(workers, &scheduledPublishWorker{r: r})
	river.AddWorker(workers, &deliveryWorker[WebArgs]{r: r})
	river.AddWorker(workers, &deliveryWorker[RadioArgs]{r: r})
	river.AddWorker(workers, &deliveryWorker[TVArgs]{r: r})
	river.AddWorker(workers, &deliveryWorker[DeliveryArgs]{r: r})
	queues := map[string]river.QueueConfig{
		QueuePublish:    {MaxWorkers: max(2, o.Workers/4), FetchPollInterval: o.PublishPollInterval},
		QueueDistribute: {MaxWorkers: o.Workers},
	}
	if deps.Assets != nil {
		r.addRenditionWorkers(workers, queues, o.RenditionWorkers)
	}
	var periodic []*river.PeriodicJob
	if deps.AuditArchive != nil {
		periodic = r.addAuditRetention(workers, queues, cmp.Or(deps.AuditInterval, 24*time.Hour))
	}
	if deps.Accounts != nil && o.DormantInterval > 0 {
		periodic = append(periodic, r.addDormantJob(workers, o.DormantInterval)...)
	}
	if deps.Backup != nil {
		periodic = append(periodic, addBackupJob(workers, queues, deps.Backup)...)
	}
	r.cfg = &river.Config{
		PeriodicJobs:      periodic,
		Queues:            queues,
		Workers:           workers,
		RetryPolicy:       o.RetryPolicy,
		FetchPollInterval: o.PollInterval,
		FetchCooldown:     o.fetchCooldown(),
		Logger:            o.Logger.With("component", "river"),
		MaxAttempts:       maxAttempts,
		// Deliveries keep their own backoff and horizon; River's retry
		// policy only covers unexpected failures of the worker itself.
		JobTimeout:           jobTimeout,
		RescueStuckJobsAfter: o.StuckAfter,
	}
	if deps.DB.Dialect != store.DialectPostgres {
		rc, err := river.NewClient[*sql.Tx](deps.DB.RiverDriver(), r.cfg)
		if err != nil {
			return nil, fmt.Errorf("jobs: new river runner: %w", err)
		}
		r.client = rc
	}
	return r, nil
}

// riverPoolConns sizes the workers' pgx pool: the LISTEN connection, one
// fetch per queue, the completer, the leader and its maintenance. The jobs
// themselves use the application's pool (store.DB).
const riverPoolConns = 8

// startPostgres builds the PostgreSQL runner: River on riverpgxv5 over a
// pool of its own, with LISTEN/NOTIFY.
func (r *Runner) startPostgres(ctx context.Context) error {
	pool, err := r.deps.DB.RiverPool(ctx, riverPoolConns)
	if err != nil {
		return err
	}
	rc, err := river.NewClient[pgx.Tx](riverpgxv5.New(pool), r.cfg)
	if err != nil {
		pool.Close()
		return fmt.Errorf("jobs: new river runner: %w", err)
	}
	r.pool, r.client = pool, rc
	return nil
}

// Start starts the workers; they run until Stop or ctx ends.
func (r *Runner) Start(ctx context.Context) error {
	if r.client == nil {
		if err := r.startPostgres(ctx); err != nil {
			return fmt.Errorf("jobs: start: %w", err)
		}
	}
	if err := r.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish (up to ctx's deadline, after which
// they are cancelled and left for another process to pick up).
func (r *Runner) Stop(ctx context.Context) error {
	if r.client == nil {
		return nil
	}
	if r.pool != nil {
		// The PostgreSQL runner is built again by the next Start.
		pool := r.pool
		defer func() {
			pool.Close()
			r.pool, r.client = nil, nil
		}()
	}
	if err := r.client.Stop(ctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = r.client.StopAndCancel(cctx)
			return nil
		}
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}
