package story

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/event"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// Listener hears what happens to stories. The service takes an ordered
// list of them at construction (internal/app states it); an in-transaction
// listener's error aborts the change, an after-commit listener's error is
// logged and counted (package event).
type Listener interface {
	// StoryChanged follows an edit of the story's content (UpdateStory).
	StoryChanged(ctx context.Context, st *Story) error
	// StoryTransitioned follows a workflow transition (publish, kill, ...).
	StoryTransitioned(ctx context.Context, st *Story, t workflow.Transition) error
}

// Listeners is the ordered list a Service emits to.
type Listeners = event.List[Listener]

// NopListener hears nothing; embed it to implement only the events a
// listener cares about.
type NopListener struct{}

// StoryChanged does nothing.
func (NopListener) StoryChanged(context.Context, *Story) error { return nil }

// StoryTransitioned does nothing.
func (NopListener) StoryTransitioned(context.Context, *Story, workflow.Transition) error {
	return nil
}

func emitChanged(ctx context.Context, ls Listeners, st *Story) error {
	return ls.Emit(ctx, "story.changed", func(ctx context.Context, l Listener) error { return l.StoryChanged(ctx, st) })
}

func emitTransitioned(ctx context.Context, ls Listeners, st *Story, t workflow.Transition) error {
	return ls.Emit(ctx, "story.transitioned", func(ctx context.Context, l Listener) error { return l.StoryTransitioned(ctx, st, t) })
}
