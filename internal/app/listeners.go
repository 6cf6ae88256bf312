package app

import (
	"log/slog"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/event"
	"github.com/newsroom-vn/newsroom/internal/jobs"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// This file is the one place that says who hears what, and in what order.
// A new module that reacts to stories, assets or rundowns adds its
// listener to the list here (docs/architecture.md).
//
// In-transaction listeners run first, in the order given, inside the
// change's transaction: an error aborts the change. After-commit listeners
// run once it has committed; their failures are logged and counted
// (newsroom_listener_failures_total) and never undo the change.

// reactors are the listeners, built before the services that emit to them.
type reactors struct {
	site      *site.Service
	storyJobs *jobs.StoryListener
	mos       *broadcast.MOSSync // nil unless mos.enabled
	hub       *broadcast.RundownHub
}

// storyListeners hear every story edit and transition.
func storyListeners(log *slog.Logger, r reactors) story.Listeners {
	entries := []event.Entry[story.Listener]{
		// The public site's cache generation moves in the transaction, so no
		// request can cache what was true before a publish, correction or kill.
		event.In[story.Listener]("site-cache", r.site),
		// Scheduled publications and the fan-out of deliveries are River
		// jobs inserted with the transition: they exist if and only if it committed.
		event.In[story.Listener]("jobs", r.storyJobs),
	}
	if r.mos != nil {
		// The MOS device gets the story's new text once it is visible.
		entries = append(entries, event.After[story.Listener]("mos", r.mos))
	}
	return event.NewList(log, entries...)
}

// assetListeners hear edited descriptions and renditions of public files.
func assetListeners(log *slog.Logger, r reactors) asset.Listeners {
	return event.NewList(log,
		// A published story's new caption or poster shows on the next request.
		event.In[asset.Listener]("site-cache", r.site),
	)
}

// rundownListeners hear every committed rundown change.
func rundownListeners(log *slog.Logger, r reactors) broadcast.RundownListeners {
	entries := []event.Entry[broadcast.RundownListener]{
		// Open prompters and rundown pages reload.
		event.After[broadcast.RundownListener]("desk-live", r.hub),
	}
	if r.mos != nil {
		entries = append(entries, event.After[broadcast.RundownListener]("mos", r.mos))
	}
	return event.NewList(log, entries...)
}
