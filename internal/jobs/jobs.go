// Package jobs runs the durable background work of the newsroom on River
// (github.com/riverqueue/river), in the same database as everything else:
// riversqlite on the embedded SQLite default, riverdatabasesql on PostgreSQL.
//
// It has three parts, built in this order by internal/app:
//   - Queue inserts jobs. Use cases enqueue inside their own transaction
//     (InsertTx on the *sql.Tx under the GORM transaction), so a job exists
//     if and only if the change that asked for it committed. It runs nothing
//     and needs no domain service, so every service can be given it.
//   - StoryListener is the story service's in-transaction listener that
//     enqueues what a transition asks for (a scheduled publication, the
//     fan-out of a publication, correction or kill).
//   - Runner runs the jobs: its workers call the domain services (scheduled
//     publication, deliveries, asset renditions), which by then exist. On PostgreSQL it runs on River's pgx driver (riverpgxv5)
//     with its own small pool and LISTENs for the notification the insert
//     sends inside the transaction, so a job starts when its transaction
//     commits rather than at the next poll; on SQLite it polls.
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

	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// Options tunes the queue and the runner; zero values take the defaults.
type Options struct {
	// Workers is how many deliveries one process runs at once (default 20;
	// scheduled publication gets a quarter of it, renditions RenditionWorkers).
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
	// RenditionWorkers is how many rendition jobs one process runs at once
	// (config storage.rendition_workers; default 2). Each may run ffmpeg.
	RenditionWorkers int
	// RetryPolicy spaces the attempts of failing jobs (default River's:
	// attempt⁴ seconds with jitter). Tests shorten it.
	RetryPolicy river.ClientRetryPolicy
	// DormantInterval is how often the dormant-account job runs (config
	// auth.dormant_check_interval); 0: the job is not registered.
	DormantInterval time.Duration
}

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = 20
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 200 * time.Millisecond
	}
	if o.PublishPollInterval <= 0 {
		o.PublishPollInterval = o.PollInterval
	}
	if o.StuckAfter <= 0 {
		o.StuckAfter = defaultJobTimeout + time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.RenditionWorkers <= 0 {
		o.RenditionWorkers = 2
	}
	return o
}

// defaultJobTimeout bounds one run of a job unless StuckAfter is shorter.
const defaultJobTimeout = 5 * time.Minute

// maxAttempts is River's attempt budget for unexpected failures of a
// worker (deliveries keep their own backoff and horizon).
const maxAttempts = 25

// fetchCooldown is the least time between two fetches of a queue, and
// between two insert notifications of a queue from one process (PostgreSQL):
// a notified job waits at most this long whatever the poll interval.
func (o Options) fetchCooldown() time.Duration { return min(o.PollInterval/4, 50*time.Millisecond) }

// Queue names: one for publishing, one for outbound deliveries, so a slow
// receiver never holds up scheduled publishing (and QueueRenditions).
const (
	QueuePublish    = "publish"
	QueueDistribute = "distribute"
)

// Queue enqueues jobs in the transaction of the change that asks for them.
type Queue struct {
	river *river.Client[*sql.Tx]
	db    *store.DB
}

// NewQueue builds the insert-only River client on the database.
func NewQueue(db *store.DB, o Options) (*Queue, error) {
	if db == nil {
		return nil, errors.New("jobs: new queue: a database is required")
	}
	o = o.withDefaults()
	// No queues and no workers: this client never polls, elects a leader or
	// checks job kinds. On PostgreSQL its inserts send River's pg_notify (at
	// most once per FetchCooldown and queue), which the runner's LISTEN
	// receives at commit.
	rc, err := river.NewClient(db.RiverDriver(), &river.Config{FetchCooldown: o.fetchCooldown(), FetchPollInterval: o.PollInterval,
		Logger: o.Logger.With("component", "river"), MaxAttempts: maxAttempts})
	if err != nil {
		return nil, fmt.Errorf("jobs: new river client: %w", err)
	}
	return &Queue{river: rc, db: db}, nil
}

// River returns the River client that inserts the jobs (tests).
func (q *Queue) River() *river.Client[*sql.Tx] { return q.river }

// InsertTx enqueues a job in the transaction carried by ctx; outside a
// transaction it is an error, because the job would not commit with the change.
func (q *Queue) InsertTx(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	tx := store.SQLTx(ctx)
	if tx == nil {
		return fmt.Errorf("jobs: enqueue %s: no transaction in context (jobs are enqueued with the change that asks for them)", args.Kind())
	}
	if _, err := q.river.InsertTx(ctx, tx, args, opts); err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// EnqueueDelivery enqueues an attempt at a delivery now, in the transaction
// of ctx (it implements distribution.Enqueuer: manual redelivery).
func (q *Queue) EnqueueDelivery(ctx context.Context, deliveryID, channel string) error {
	return q.InsertTx(ctx, argsFor(deliveryID, channel), &river.InsertOpts{Queue: QueueDistribute})
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

// QueueDepth counts jobs waiting to run (available, scheduled or retryable).
func (q *Queue) QueueDepth(ctx context.Context) (int, error) {
	var n int
	err := q.db.SQL.QueryRowContext(ctx,
		"SELECT count(*) FROM river_job WHERE state IN ('available','scheduled','retryable')").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("jobs: queue depth: %w", err)
	}
	return n, nil
}

// Unfinished counts the jobs of a queue that are still to run or running
// (not completed, cancelled or discarded after their last attempt).
func (q *Queue) Unfinished(ctx context.Context, queue string) (int, error) {
	var n int
	err := q.db.SQL.QueryRowContext(ctx,
		"SELECT count(*) FROM river_job WHERE queue = $1 AND state NOT IN ('completed','cancelled','discarded')", queue).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("jobs: unfinished jobs of %s: %w", queue, err)
	}
	return n, nil
}

// Collectors returns the queue's Prometheus collectors: the number of jobs
// waiting (available, scheduled or retryable), read at each scrape.
func (q *Queue) Collectors() []prometheus.Collector {
	return []prometheus.Collector{prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "newsroom_jobs_queue_depth",
		Help: "Jobs waiting in the queue (available, scheduled or retryable).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := q.QueueDepth(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})}
}
