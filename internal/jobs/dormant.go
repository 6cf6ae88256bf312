package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// Accounts is what the dormant-account job needs of accounts (user.Service).
type Accounts interface {
	// DisableDormant disables the accounts dormant at now and says how many.
	DisableDormant(ctx context.Context, now time.Time) (int, error)
}

// DormantAccountsArgs disables the accounts unused for auth.dormant_after.
// A River periodic job inserts one every Options.DormantInterval (and one at
// start), on the publish queue.
type DormantAccountsArgs struct{}

// Kind names the job in River's table.
func (DormantAccountsArgs) Kind() string { return "user.disable_dormant" }

// InsertOpts puts the job on the publish queue, once per interval however
// many processes run.
func (DormantAccountsArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueuePublish, MaxAttempts: 3}
}

type dormantAccountsWorker struct {
	river.WorkerDefaults[DormantAccountsArgs]
	r *Runner
}

// Work disables the dormant accounts (user.Service.DisableDormant, which
// audits each one).
func (w *dormantAccountsWorker) Work(ctx context.Context, _ *river.Job[DormantAccountsArgs]) error {
	n, err := w.r.deps.Accounts.DisableDormant(ctx, time.Now().UTC())
	if n > 0 {
		w.r.log.Info("disabled dormant accounts", "count", n)
	}
	if err != nil {
		return fmt.Errorf("jobs: disable dormant accounts: %w", err)
	}
	return nil
}

// DormantJobID is the id of the periodic dormant-account job.
const DormantJobID = "user.disable_dormant"

// addDormantJob registers the worker and the periodic job that inserts it
// every interval, the first right at start (RunOnStart).
func (r *Runner) addDormantJob(workers *river.Workers, interval time.Duration) []*river.PeriodicJob {
	river.AddWorker(workers, &dormantAccountsWorker{r: r})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return DormantAccountsArgs{}, nil },
		&river.PeriodicJobOpts{ID: DormantJobID, RunOnStart: true})}
}
