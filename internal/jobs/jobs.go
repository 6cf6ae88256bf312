// Package jobs runs the durable background work of the newsroom on River
// (github.com/riverqueue/river), in the same database as everything else:
// riversqlite on the embedded SQLite default, riverdatabasesql on PostgreSQL.
// Use cases enqueue their jobs inside their own transaction (InsertTx on the
// *sql.Tx under the GORM transaction), so a job exists if and only if the
// change that asked for it committed. Workers call the domain services. On
// PostgreSQL the workers run on a second River client, on River's pgx driver
// (riverpgxv5) with its own small pool: it LISTENs for the notification the
// insert sends inside the transaction, so a job starts when its transaction
// commits rather than at the next poll.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// Options tunes the client; zero values take the defaults.
type Options struct {
	// Workers is how many jobs one process runs at once (default 20).
	Workers int
	// PollInterval is how often an idle process looks for jobs that became
	// available (default 200 ms). On SQLite it bounds the pickup latency of
	// new jobs; on PostgreSQL new jobs are announced by LISTEN/NOTIFY and
	// polling is the fallback (a lost connection, jobs due later).
	PollInterval time.Duration
	// PublishPollInterval is how often the publish queue looks for
	// scheduled stories whose time has come (config scheduler.interval;
	// default PollInterval).
	PublishPollInterval time.Duration
	// Logger receives River's own log lines (warnings and above).
	Logger *slog.Logger
	// StuckAfter is how long a job may stay running before it is taken for
	// the job of a process that died (SIGKILL, power loss) and run again
	// (config distribution.stuck_after; default 65 min, River's default for
	// the 5 min job timeout). A job's timeout is lowered to StuckAfter when
	// it is shorter, so a live job is never rescued. Crash tests set it to a
	// few seconds.
	StuckAfter time.Duration
}

// Fanout is what distribution provides to the jobs (distribution.Service):
// planning the deliveries of a transition inside its transaction, and
// making one attempt at a delivery.
type Fanout interface {
	// PlanDeliveries records the deliveries a transition needs (inside the
	// transaction of ctx); each gets one job.
	PlanDeliveries(ctx context.Context, st *story.Story, action workflow.Action) ([]distribution.Planned, error)
	// Deliver makes one attempt. It returns distribution.ErrRetryLater
	// (wrapped) with the wait before the next attempt, or nil when the
	// delivery is finished (delivered or dead).
	Deliver(ctx context.Context, deliveryID string) (retryIn time.Duration, err error)
}

// Deps are the services the workers call.
type Deps struct {
	DB      *store.DB
	Stories *story.Service
	// Fanout, when set, receives the distribution work of transitions.
	Fanout Fanout
}

// Client enqueues and runs jobs.
type Client struct {
	// river inserts (and on SQLite also runs) the jobs.
	river *river.Client[*sql.Tx]
	deps  Deps
	log   *slog.Logger
	// cfg is the River configuration of the workers, for the PostgreSQL
	// runner that Start builds.
	cfg *river.Config
	// runner runs the jobs: river itself on SQLite; on PostgreSQL a client
	// on riverpgxv5 over pool, built by Start.
	runner interface {
		Start(ctx context.Context) error
		Stop(ctx context.Context) error
		StopAndCancel(ctx context.Context) error
	}
	pool *pgxpool.Pool
}

// Queue names: one for publishing, one for outbound deliveries, so a slow
// receiver never holds up scheduled publishing.
const (
	QueuePublish    = "publish"
	QueueDistribute = "distribute"
)

// New builds a client on the database. Its workers run once Start is called;
// a client that is never started can still enqueue (CLI, tests).
func New(deps Deps, o Options) (*Client, error) {
	if deps.DB == nil || deps.Stories == nil {
		return nil, errors.New("jobs: new: DB and Stories are required")
	}
	if o.Workers <= 0 {
		o.Workers = 20
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 200 * time.Millisecond
	}
	if o.PublishPollInterval <= 0 {
		o.PublishPollInterval = o.PollInterval
	}
	jobTimeout := 5 * time.Minute
	if o.StuckAfter <= 0 {
		o.StuckAfter = jobTimeout + time.Hour
	}
	jobTimeout = min(jobTimeout, o.StuckAfter)
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	c := &Client{deps: deps, log: log}
	workers := river.NewWorkers()
	river.AddWorker(workers, &scheduledPublishWorker{c: c})
	river.AddWorker(workers, &deliveryWorker[WebArgs]{c: c})
	river.AddWorker(workers, &deliveryWorker[RadioArgs]{c: c})
	river.AddWorker(workers, &deliveryWorker[TVArgs]{c: c})
	river.AddWorker(workers, &deliveryWorker[DeliveryArgs]{c: c})
	c.cfg = &river.Config{
		Queues: map[string]river.QueueConfig{
			QueuePublish:    {MaxWorkers: max(2, o.Workers/4), FetchPollInterval: o.PublishPollInterval},
			QueueDistribute: {MaxWorkers: o.Workers},
		},
		Workers:           workers,
		FetchPollInterval: o.PollInterval,
		// The least time between two fetches of a queue, and between two
		// insert notifications of a queue from one process (PostgreSQL): a
		// notified job waits at most this long whatever the poll interval;
		// one inserted within this time after a notification is found by
		// the fetch that follows it if it committed by then, else by the poll.
		FetchCooldown: min(o.PollInterval/4, 50*time.Millisecond),
		Logger:        log.With("component", "river"),
		MaxAttempts:   25,
		// Deliveries keep their own backoff and horizon; River's retry
		// policy only covers unexpected failures of the worker itself.
		JobTimeout:           jobTimeout,
		RescueStuckJobsAfter: o.StuckAfter,
	}
	cfg := c.cfg
	if deps.DB.Dialect == store.DialectPostgres {
		// Insert only: no queues, so this client never polls or elects a
		// leader. Its inserts send River's pg_notify (at most once per
		// FetchCooldown and queue), which the runner's LISTEN receives at commit.
		cfg = &river.Config{Workers: workers, FetchCooldown: c.cfg.FetchCooldown, FetchPollInterval: c.cfg.FetchPollInterval,
			Logger: c.cfg.Logger, MaxAttempts: c.cfg.MaxAttempts, JobTimeout: jobTimeout}
	}
	rc, err := river.NewClient(deps.DB.RiverDriver(), cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: new river client: %w", err)
	}
	c.river = rc
	if deps.DB.Dialect != store.DialectPostgres {
		c.runner = rc
	}
	return c, nil
}

// riverPoolConns sizes the workers' pgx pool: the LISTEN connection, one
// fetch per queue, the completer, the leader and its maintenance. The jobs
// themselves use the application's pool (store.DB).
const riverPoolConns = 8

// startRunner builds the PostgreSQL runner: River on riverpgxv5 over a
// pool of its own, with LISTEN/NOTIFY.
func (c *Client) startRunner(ctx context.Context) error {
	pool, err := c.deps.DB.RiverPool(ctx, riverPoolConns)
	if err != nil {
		return err
	}
	rc, err := river.NewClient[pgx.Tx](riverpgxv5.New(pool), c.cfg)
	if err != nil {
		pool.Close()
		return fmt.Errorf("jobs: new river runner: %w", err)
	}
	c.pool, c.runner = pool, rc
	return nil
}

// Start starts the workers; they run until Stop or ctx ends.
func (c *Client) Start(ctx context.Context) error {
	if c.runner == nil {
		if err := c.startRunner(ctx); err != nil {
			return fmt.Errorf("jobs: start: %w", err)
		}
	}
	if err := c.runner.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish (up to ctx's deadline, after which
// they are cancelled and left for another process to pick up).
func (c *Client) Stop(ctx context.Context) error {
	if c.runner == nil {
		return nil
	}
	if c.pool != nil {
		// The PostgreSQL runner is built again by the next Start.
		pool := c.pool
		defer func() {
			pool.Close()
			c.pool, c.runner = nil, nil
		}()
	}
	if err := c.runner.Stop(ctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = c.runner.StopAndCancel(cctx)
			return nil
		}
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// River returns the River client that inserts the jobs (tests, metrics); on
// SQLite it also runs them.
func (c *Client) River() *river.Client[*sql.Tx] { return c.river }

// insertTx enqueues in the transaction carried by ctx; outside a
// transaction it is an error, because the job would not commit with the change.
func (c *Client) insertTx(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	tx := store.SQLTx(ctx)
	if tx == nil {
		return fmt.Errorf("jobs: enqueue %s: no transaction in context (jobs are enqueued with the change that asks for them)", args.Kind())
	}
	if _, err := c.river.InsertTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// TransitionHook returns a story.Service.OnTransition function that runs
// next (if any), then enqueues, in the transition's transaction, the jobs the
// transition asks for: a scheduled publication for schedule; one job per
// channel of the story and one per planned delivery for publish, correct and
// kill. A rollback of the transition leaves no job; a commit always has them.
func (c *Client) TransitionHook(next func(context.Context, *story.Story, workflow.Transition) error) func(context.Context, *story.Story, workflow.Transition) error {
	return func(ctx context.Context, st *story.Story, t workflow.Transition) error {
		if next != nil {
			if err := next(ctx, st, t); err != nil {
				return err
			}
		}
		switch t.Action {
		case workflow.Schedule:
			if st.PublishAt == nil {
				return nil
			}
			return c.insertTx(ctx, ScheduledPublishArgs{StoryID: st.ID, Version: st.Version, PublishAt: *st.PublishAt},
				&river.InsertOpts{ScheduledAt: *st.PublishAt, Queue: QueuePublish, UniqueOpts: river.UniqueOpts{ByArgs: true}})
		case workflow.Publish, workflow.Correct, workflow.Kill:
			return c.enqueueFanout(ctx, st, t.Action)
		}
		// Unschedule needs no job: the scheduled job finds the story no
		// longer scheduled for its time and does nothing.
		return nil
	}
}

func (c *Client) enqueueFanout(ctx context.Context, st *story.Story, action workflow.Action) error {
	if c.deps.Fanout == nil {
		return nil
	}
	planned, err := c.deps.Fanout.PlanDeliveries(ctx, st, action)
	if err != nil || len(planned) == 0 {
		return err
	}
	tx := store.SQLTx(ctx)
	if tx == nil {
		return errors.New("jobs: enqueue deliveries: no transaction in context (jobs are enqueued with the change that asks for them)")
	}
	// One statement for every job of the fan-out (River's InsertManyTx),
	// in the transition's transaction like the deliveries themselves.
	params := make([]river.InsertManyParams, len(planned))
	for i, p := range planned {
		params[i] = river.InsertManyParams{Args: argsFor(p.ID, p.Channel), InsertOpts: &river.InsertOpts{Queue: QueueDistribute}}
	}
	if _, err := c.river.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("jobs: enqueue %d deliveries of story %s: %w", len(params), st.ID, err)
	}
	return nil
}

// argsFor picks the job kind: one per built-in channel, one for targets.
func argsFor(deliveryID, channel string) river.JobArgs {
	switch story.Channel(channel) {
	case story.ChannelWeb:
		return WebArgs{DeliveryID: deliveryID}
	case story.ChannelRadio:
		return RadioArgs{DeliveryID: deliveryID}
	case story.ChannelTV:
		return TVArgs{DeliveryID: deliveryID}
	}
	return DeliveryArgs{DeliveryID: deliveryID}
}

// EnqueueDelivery enqueues an attempt at a delivery now, in the transaction
// of ctx (it implements distribution.Enqueuer: manual redelivery).
func (c *Client) EnqueueDelivery(ctx context.Context, deliveryID, channel string) error {
	return c.insertTx(ctx, argsFor(deliveryID, channel), &river.InsertOpts{Queue: QueueDistribute})
}

// QueueDepth counts jobs waiting to run (available, scheduled or retryable).
func (c *Client) QueueDepth(ctx context.Context) (int, error) {
	var n int
	err := c.deps.DB.SQL.QueryRowContext(ctx,
		"SELECT count(*) FROM river_job WHERE state IN ('available','scheduled','retryable')").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("jobs: queue depth: %w", err)
	}
	return n, nil
}

// Collectors returns the queue's Prometheus collectors: the number of jobs
// waiting (available, scheduled or retryable), read at each scrape.
func (c *Client) Collectors() []prometheus.Collector {
	return []prometheus.Collector{prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "newsroom_jobs_queue_depth",
		Help: "Jobs waiting in the queue (available, scheduled or retryable).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := c.QueueDepth(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})}
}
