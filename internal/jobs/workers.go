package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// ScheduledPublishArgs publishes a scheduled story at PublishAt. Unique by
// its arguments: scheduling the same story for the same time twice inserts
// one job.
type ScheduledPublishArgs struct {
	StoryID   string    `json:"story_id"`
	Version   int       `json:"version"`
	PublishAt time.Time `json:"publish_at"`
}

// Kind names the job in River's table.
func (ScheduledPublishArgs) Kind() string { return "story.scheduled_publish" }

type scheduledPublishWorker struct {
	river.WorkerDefaults[ScheduledPublishArgs]
	r *Runner
}

// Work publishes the story if it is still scheduled for this job's time. A
// story unscheduled, rescheduled or published by hand in the meantime is
// left alone (the job for its new time does the work). Two processes cannot
// both publish: River hands the job to one of them, and the version check of
// Transition refuses a second publication in any case.
func (w *scheduledPublishWorker) Work(ctx context.Context, job *river.Job[ScheduledPublishArgs]) error {
	a := job.Args
	st, err := w.r.deps.Stories.FindStoryByID(ctx, user.System, a.StoryID)
	if apperr.Is(err, apperr.CodeNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.State != workflow.Scheduled || st.PublishAt == nil || !st.PublishAt.Equal(a.PublishAt) {
		w.r.log.Info("scheduled publish superseded", "story", a.StoryID, "state", st.State, "job_publish_at", a.PublishAt)
		return nil
	}
	if wait := time.Until(*st.PublishAt); wait > 0 {
		return river.JobSnooze(wait)
	}
	// Edits made while scheduled bump the version without changing the
	// time; publish the current version, guarded against a concurrent change.
	v := st.Version
	_, err = w.r.deps.Stories.Transition(ctx, user.System, a.StoryID, story.TransitionInput{Action: string(workflow.Publish)}, &v)
	switch {
	case err == nil:
		w.r.log.Info("published scheduled story", "story", a.StoryID, "version", v+1)
		return nil
	case apperr.Is(err, apperr.CodePreconditionFailed):
		// Changed under us: look again with the new state.
		return river.JobSnooze(0)
	case apperr.Is(err, apperr.CodeConflict), apperr.Is(err, apperr.CodeForbidden):
		// Not publishable (e.g. missing approvals): publishing by hand is
		// the way out; retrying would not change the answer.
		w.r.log.Warn("scheduled story cannot be published", "story", a.StoryID, "err", err)
		return river.JobCancel(err)
	default:
		return fmt.Errorf("jobs: scheduled publish %s: %w", a.StoryID, err)
	}
}

// DeliveryArgs makes one attempt at a delivery to an external target.
type DeliveryArgs struct {
	DeliveryID string `json:"delivery_id"`
}

// Kind names the job in River's table.
func (DeliveryArgs) Kind() string { return "distribution.target" }

// WebArgs delivers a transition to the web channel (the public site's caches).
type WebArgs struct {
	DeliveryID string `json:"delivery_id"`
}

// Kind names the job in River's table.
func (WebArgs) Kind() string { return "distribution.web" }

// RadioArgs delivers a transition to the radio channel.
type RadioArgs struct {
	DeliveryID string `json:"delivery_id"`
}

// Kind names the job in River's table.
func (RadioArgs) Kind() string { return "distribution.radio" }

// TVArgs delivers a transition to the TV channel.
type TVArgs struct {
	DeliveryID string `json:"delivery_id"`
}

// Kind names the job in River's table.
func (TVArgs) Kind() string { return "distribution.tv" }

type deliveryArgs interface {
	river.JobArgs
	deliveryID() string
}

func (a DeliveryArgs) deliveryID() string { return a.DeliveryID }
func (a WebArgs) deliveryID() string      { return a.DeliveryID }
func (a RadioArgs) deliveryID() string    { return a.DeliveryID }
func (a TVArgs) deliveryID() string       { return a.DeliveryID }

type deliveryWorker[T deliveryArgs] struct {
	river.WorkerDefaults[T]
	r *Runner
}

// Work makes one attempt; the delivery keeps its own backoff and horizon
// (then dead), which become a River snooze, so River's attempt budget is
// spent only on unexpected failures of the worker itself.
func (w *deliveryWorker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	if w.r.deps.Deliverer == nil {
		return nil
	}
	wait, err := w.r.deps.Deliverer.Deliver(ctx, job.Args.deliveryID())
	if errors.Is(err, distribution.ErrRetryLater) {
		return river.JobSnooze(wait)
	}
	return err
}
