package desk

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

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
	events, cancel := h.hub.Subscribe(id)
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
