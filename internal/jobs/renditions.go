package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/newsroom-vn/newsroom/internal/asset"
)

// QueueRenditions is the queue of asset renditions: its own, so that an
// hours-long video encode never holds up publishing or deliveries. Its
// worker count is storage.rendition_workers (Options.RenditionWorkers).
const QueueRenditions = "renditions"

// renditionMaxAttempts is the attempt budget of a rendition job. A file
// that fails to decode fails the same way every time, so a handful of
// attempts (River's backoff: about 1 s, 16 s, 81 s, 4 min apart) covers a
// storage or database hiccup without retrying a broken file for days.
const renditionMaxAttempts = 5

// Assets is what the rendition workers need of assets (asset.Service).
type Assets interface {
	// MakeRenditions makes and records the renditions of one stored file.
	MakeRenditions(ctx context.Context, j asset.RenditionJob) error
	// RenditionTimeout bounds one attempt (minutes; hours for a video's HLS).
	RenditionTimeout(j asset.RenditionJob) time.Duration
	// RenditionsFailed is told that the last attempt failed.
	RenditionsFailed(ctx context.Context, j asset.RenditionJob, err error)
}

// ImageRenditionArgs makes the resized JPEGs of a stored image.
type ImageRenditionArgs struct{ asset.RenditionJob }

// Kind names the job in River's table.
func (ImageRenditionArgs) Kind() string { return "asset.renditions.image" }

// AudioRenditionArgs probes a stored audio file and makes its podcast MP3.
type AudioRenditionArgs struct{ asset.RenditionJob }

// Kind names the job in River's table.
func (AudioRenditionArgs) Kind() string { return "asset.renditions.audio" }

// VideoRenditionArgs probes a stored video and makes its poster and HLS stream.
type VideoRenditionArgs struct{ asset.RenditionJob }

// Kind names the job in River's table.
func (VideoRenditionArgs) Kind() string { return "asset.renditions.video" }

// InsertOpts puts image jobs on the renditions queue with their attempt budget.
func (ImageRenditionArgs) InsertOpts() river.InsertOpts { return renditionInsertOpts() }

// InsertOpts puts audio jobs on the renditions queue with their attempt budget.
func (AudioRenditionArgs) InsertOpts() river.InsertOpts { return renditionInsertOpts() }

// InsertOpts puts video jobs on the renditions queue with their attempt budget.
func (VideoRenditionArgs) InsertOpts() river.InsertOpts { return renditionInsertOpts() }

func renditionInsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueRenditions, MaxAttempts: renditionMaxAttempts}
}

type renditionArgs interface {
	river.JobArgs
	job() asset.RenditionJob
}

func (a ImageRenditionArgs) job() asset.RenditionJob { return a.RenditionJob }
func (a AudioRenditionArgs) job() asset.RenditionJob { return a.RenditionJob }
func (a VideoRenditionArgs) job() asset.RenditionJob { return a.RenditionJob }

// renditionArgsFor picks the job kind of an asset kind.
func renditionArgsFor(j asset.RenditionJob) (river.JobArgs, error) {
	switch j.Kind {
	case asset.KindImage:
		return ImageRenditionArgs{j}, nil
	case asset.KindAudio:
		return AudioRenditionArgs{j}, nil
	case asset.KindVideo:
		return VideoRenditionArgs{j}, nil
	}
	return nil, fmt.Errorf("jobs: no renditions for %s files (%s)", j.Kind, j.Key)
}

// EnqueueRenditions enqueues the rendition job of a stored file in the
// transaction of ctx, the upload's (it implements asset.RenditionQueue).
func (q *Queue) EnqueueRenditions(ctx context.Context, j asset.RenditionJob) error {
	args, err := renditionArgsFor(j)
	if err != nil {
		return err
	}
	return q.InsertTx(ctx, args, nil)
}

type renditionWorker[T renditionArgs] struct {
	river.WorkerDefaults[T]
	r *Runner
}

// Timeout is the asset service's bound for the job's kind: the rescuer of
// stuck jobs also waits for it, so a long encode is never run twice at once.
func (w *renditionWorker[T]) Timeout(job *river.Job[T]) time.Duration {
	return w.r.deps.Assets.RenditionTimeout(job.Args.job())
}

// Work makes the renditions; a failure is retried with River's backoff, and
// the last one is recorded by the asset service.
func (w *renditionWorker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	j := job.Args.job()
	err := w.r.deps.Assets.MakeRenditions(ctx, j)
	if err == nil {
		return nil
	}
	if job.Attempt >= job.MaxAttempts {
		w.r.deps.Assets.RenditionsFailed(context.WithoutCancel(ctx), j, err)
	} else {
		w.r.log.Warn("asset renditions failed; retrying", "key", j.Key, "attempt", job.Attempt, "of", job.MaxAttempts, "err", err)
	}
	return fmt.Errorf("jobs: renditions of %s: %w", j.Key, err)
}

// addRenditionWorkers registers the rendition workers and their queue.
func (r *Runner) addRenditionWorkers(workers *river.Workers, queues map[string]river.QueueConfig, n int) {
	river.AddWorker(workers, &renditionWorker[ImageRenditionArgs]{r: r})
	river.AddWorker(workers, &renditionWorker[AudioRenditionArgs]{r: r})
	river.AddWorker(workers, &renditionWorker[VideoRenditionArgs]{r: r})
	queues[QueueRenditions] = river.QueueConfig{MaxWorkers: n}
}
