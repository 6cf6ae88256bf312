// Package jobs runs the durable background work of the newsroom on River
// (github.com/riverqueue/river), in the same database as everything else:
// riversqlite on the embedded SQLite default, riverdatabasesql on PostgreSQL.
// Use cases enqueue their jobs inside their own transaction (InsertTx on the
// *sql.Tx under the GORM transaction), so a job exists if and only if the
// change that asked for it committed. Workers call the domain services.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

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
	// available (default 200 ms): PostgreSQL is polled (no LISTEN through
	// database/sql), so it bounds the pickup latency of new jobs.
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
	river *river.Client[*sql.Tx]
	deps  Deps
	log   *slog.Logger
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
	rc, err := river.NewClient(deps.DB.RiverDriver(), &river.Config{
		Queues: map[string]river.QueueConfig{
			QueuePublish:    {MaxWorkers: max(2, o.Workers/4), FetchPollInterval: o.PublishPollInterval},
			QueueDistribute: {MaxWorkers: o.Workers},
		},
		Workers:           workers,
		FetchPollInterval: o.PollInterval,
		FetchCooldown:     o.PollInterval / 4,
		Logger:            log.With("component", "river"),
		MaxAttempts:       25,
		// Deliveries keep their own backoff and horizon; River's retry
		// policy only covers unexpected failures of the worker itself.
		JobTimeout:           jobTimeout,
		RescueStuckJobsAfter: o.StuckAfter,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: new river client: %w", err)
	}
	c.river = rc
	return c, nil
}

// Start starts the workers; they run until Stop or ctx ends.
func (c *Client) Start(ctx context.Context) error {
	if err := c.river.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish (up to ctx's deadline, after which
// they are cancelled and left for another process to pick up).
func (c *Client) Stop(ctx context.Context) error {
	if err := c.river.Stop(ctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = c.river.StopAndCancel(cctx)
			return nil
		}
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// River returns the underlying River client (tests, metrics).
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
	if err != nil {
		return err
	}
	for _, p := range planned {
		if err := c.EnqueueDelivery(ctx, p.ID, p.Channel); err != nil {
			return err
		}
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
