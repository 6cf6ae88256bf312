package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// QueueMaintenance runs the periodic housekeeping jobs (audit retention).
const QueueMaintenance = "maintenance"

// AuditArchiver exports and deletes the audit rows older than the
// retention (audit.Archiver).
type AuditArchiver interface {
	ExportExpired(ctx context.Context) (int, error)
}

// AuditRetentionArgs is the periodic audit retention job.
type AuditRetentionArgs struct{}

// Kind is the job kind.
func (AuditRetentionArgs) Kind() string { return "audit.retention" }

// InsertOpts puts the job on the maintenance queue, one at a time.
func (AuditRetentionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueMaintenance, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Minute}}
}

type auditRetentionWorker struct {
	river.WorkerDefaults[AuditRetentionArgs]
	r *Runner
}

// Work exports the expired audit rows to the object storage and prunes them.
func (w *auditRetentionWorker) Work(ctx context.Context, _ *river.Job[AuditRetentionArgs]) error {
	n, err := w.r.deps.AuditArchive.ExportExpired(ctx)
	if n > 0 {
		w.r.log.Info("audit rows exported and pruned", "rows", n)
	}
	return err
}

// addAuditRetention registers the worker and its periodic job (every
// interval, and once at start): River's leader inserts it, so one process
// of many runs it.
func (r *Runner) addAuditRetention(workers *river.Workers, queues map[string]river.QueueConfig, interval time.Duration) []*river.PeriodicJob {
	river.AddWorker(workers, &auditRetentionWorker{r: r})
	queues[QueueMaintenance] = river.QueueConfig{MaxWorkers: 1}
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return AuditRetentionArgs{}, nil },
		&river.PeriodicJobOpts{ID: "audit.retention", RunOnStart: true})}
}
