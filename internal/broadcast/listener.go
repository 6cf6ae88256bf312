package broadcast

import (
	"context"
	"sync"

	"github.com/newsroom-vn/newsroom/internal/event"
)

// RundownListener hears that a rundown changed (items, timing, state,
// deletion). The service emits after the change committed; a deleted
// rundown is no longer found. It must not block.
type RundownListener interface {
	RundownChanged(ctx context.Context, rundownID string) error
}

// RundownListeners is the ordered list the service emits to.
type RundownListeners = event.List[RundownListener]

// RundownHub is the in-process publish/subscribe of rundown changes: a
// rundown listener whose subscribers (the desk's prompters and producers'
// pages) hear every change made through this process. With several serve
// processes the pages also poll, slowly, so nobody misses another's change.
type RundownHub struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

// NewRundownHub builds an empty hub.
func NewRundownHub() *RundownHub { return &RundownHub{subs: map[string]map[chan struct{}]struct{}{}} }

// Subscribe returns a channel that receives (coalesced) change signals of
// the rundown, and the function that ends the subscription.
func (hb *RundownHub) Subscribe(id string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	hb.mu.Lock()
	if hb.subs[id] == nil {
		hb.subs[id] = map[chan struct{}]struct{}{}
	}
	hb.subs[id][ch] = struct{}{}
	hb.mu.Unlock()
	return ch, func() {
		hb.mu.Lock()
		delete(hb.subs[id], ch)
		if len(hb.subs[id]) == 0 {
			delete(hb.subs, id)
		}
		hb.mu.Unlock()
	}
}

// RundownChanged signals every subscriber of the rundown without ever blocking.
func (hb *RundownHub) RundownChanged(_ context.Context, id string) error {
	hb.mu.Lock()
	defer hb.mu.Unlock()
	for ch := range hb.subs[id] {
		select {
		case ch <- struct{}{}:
		default: // a signal is already pending: the reader will reload once
		}
	}
	return nil
}
