package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// QueueBackup is the queue of scheduled backups: one at a time, apart from
// publishing and deliveries.
const QueueBackup = "backup"

// backupTimeout bounds one scheduled backup (a large media store takes long).
const backupTimeout = 12 * time.Hour

// Backuper takes the scheduled backups (backup.Service).
type Backuper interface {
	// Backup writes one backup into to, applies the retention and records
	// the run (table backups, audit backup.created or backup.failed).
	Backup(ctx context.Context, to string) (string, error)
	// Interval is backup.interval (0: no scheduled backups).
	Interval() time.Duration
	// To is backup.to.
	To() string
}

// BackupArgs takes one backup into backup.to.
type BackupArgs struct{}

// Kind names the job in River's table.
func (BackupArgs) Kind() string { return "backup.scheduled" }

// InsertOpts: one attempt (the next period tries again; a failed run is
// recorded and audited), on the backup queue, once per period.
func (BackupArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueBackup, MaxAttempts: 1}
}

type backupWorker struct {
	river.WorkerDefaults[BackupArgs]
	b Backuper
}

func (w *backupWorker) Timeout(*river.Job[BackupArgs]) time.Duration { return backupTimeout }

func (w *backupWorker) Work(ctx context.Context, _ *river.Job[BackupArgs]) error {
	// The run is recorded and audited by the service; a failure is not
	// retried (the next period runs again), so it is not returned to River.
	_, _ = w.b.Backup(ctx, w.b.To())
	return nil
}

// addBackupJob registers the backup worker and, when backup.interval is
// set, the periodic job that River's leader inserts every interval.
func addBackupJob(workers *river.Workers, queues map[string]river.QueueConfig, b Backuper) []*river.PeriodicJob {
	river.AddWorker(workers, &backupWorker{b: b})
	queues[QueueBackup] = river.QueueConfig{MaxWorkers: 1}
	if b.Interval() <= 0 {
		return nil
	}
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(b.Interval()),
		func() (river.JobArgs, *river.InsertOpts) { return BackupArgs{}, nil },
		&river.PeriodicJobOpts{ID: "backup.scheduled"})}
}
