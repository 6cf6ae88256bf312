package desk

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// rundownHub is the in-process publish/subscribe of rundown changes: the
// broadcast service's OnRundownChange calls NotifyRundownChange after each
// commit, and every open event stream of that rundown (prompters, producers'
// pages) hears it. It only sees this process's changes: with several serve
// processes the pages also poll, slowly, so nobody misses another's change.
type rundownHub struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{}
}

func newRundownHub() *rundownHub { return &rundownHub{subs: map[string]map[chan struct{}]struct{}{}} }

// subscribe returns a channel that receives (coalesced) change signals of the rundown, and its cancel.
func (hb *rundownHub) subscribe(id string) (<-chan struct{}, func()) {
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

// notify signals every subscriber of the rundown without ever blocking.
func (hb *rundownHub) notify(id string) {
	hb.mu.Lock()
	defer hb.mu.Unlock()
	for ch := range hb.subs[id] {
		select {
		case ch <- struct{}{}:
		default: // a signal is already pending: the reader will reload once
		}
	}
}

// NotifyRundownChange tells the rundown's open pages (prompter, rundown
// editor) that it changed. Chain it onto broadcast.Service.OnRundownChange;
// it never blocks.
func (h *Handler) NotifyRundownChange(_ context.Context, rundownID string) {
	h.hub.notify(rundownID)
}

// sseHeartbeat keeps idle event streams open through proxies.
var sseHeartbeat = 20 * time.Second

// rundownEvents is GET /desk/rundowns/{id}/events, a server-sent event
// stream: "change" after every change of the rundown made through this
// process. Pages reload what they show on it.
func (h *Handler) rundownEvents(c *gin.Context) error {
	id := c.Param("id")
	if _, err := h.bcast.FindRundownView(c.Request.Context(), actor(c), id); err != nil {
		return err
	}
	events, cancel := h.hub.subscribe(id)
	defer cancel()
	// The server's write timeout would cut the stream: this answer has none.
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetWriteDeadline(time.Time{})
	w := c.Writer
	hd := w.Header()
	hd.Set("Content-Type", "text/event-stream; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(s string) bool {
		if _, err := fmt.Fprint(w, s); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !send("retry: 3000\nevent: ready\ndata: {\"id\":\"" + id + "\"}\n\n") {
		return nil
	}
	tick := time.NewTicker(sseHeartbeat)
	defer tick.Stop()
	ctx := c.Request.Context()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-events:
			if !send("event: change\ndata: {\"id\":\"" + id + "\"}\n\n") {
				return nil
			}
		case <-tick.C:
			if !send(": ping\n\n") {
				return nil
			}
		}
	}
}
