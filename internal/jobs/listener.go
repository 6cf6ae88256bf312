package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// Planner is what the fan-out needs of distribution (distribution.Service):
// the deliveries a transition asks for, recorded inside its transaction.
type Planner interface {
	PlanDeliveries(ctx context.Context, st *story.Story, action workflow.Action) ([]distribution.Planned, error)
}

// StoryListener enqueues, in the transition's transaction, the jobs a
// transition asks for: a scheduled publication for schedule; one job per
// channel of the story and one per planned delivery for publish, correct and
// kill. A rollback of the transition leaves no job; a commit always has
// them. It is an in-transaction story listener.
type StoryListener struct {
	story.NopListener
	q       *Queue
	planner Planner
}

// NewStoryListener builds the listener; planner may be nil (no fan-out).
func NewStoryListener(q *Queue, planner Planner) *StoryListener {
	return &StoryListener{q: q, planner: planner}
}

// StoryTransitioned enqueues the transition's jobs.
func (l *StoryListener) StoryTransitioned(ctx context.Context, st *story.Story, t workflow.Transition) error {
	switch t.Action {
	case workflow.Schedule:
		if st.PublishAt == nil {
			return nil
		}
		return l.q.InsertTx(ctx, ScheduledPublishArgs{StoryID: st.ID, Version: st.Version, PublishAt: *st.PublishAt},
			&river.InsertOpts{ScheduledAt: *st.PublishAt, Queue: QueuePublish, UniqueOpts: river.UniqueOpts{ByArgs: true}})
	case workflow.Publish, workflow.Correct, workflow.Kill:
		return l.enqueueFanout(ctx, st, t.Action)
	}
	// Unschedule needs no job: the scheduled job finds the story no
	// longer scheduled for its time and does nothing.
	return nil
}

func (l *StoryListener) enqueueFanout(ctx context.Context, st *story.Story, action workflow.Action) error {
	if l.planner == nil {
		return nil
	}
	planned, err := l.planner.PlanDeliveries(ctx, st, action)
	if err != nil || len(planned) == 0 {
		return err
	}
	tx := store.SQLTx(ctx)
	if tx == nil {
		return fmt.Errorf("jobs: enqueue deliveries: no transaction in context (jobs are enqueued with the change that asks for them)")
	}
	// One statement for every job of the fan-out (River's InsertManyTx),
	// in the transition's transaction like the deliveries themselves.
	params := make([]river.InsertManyParams, len(planned))
	for i, p := range planned {
		params[i] = river.InsertManyParams{Args: argsFor(p.ID, p.Channel), InsertOpts: &river.InsertOpts{Queue: QueueDistribute}}
	}
	if _, err := l.q.river.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("jobs: enqueue %d deliveries of story %s: %w", len(params), st.ID, err)
	}
	return nil
}
