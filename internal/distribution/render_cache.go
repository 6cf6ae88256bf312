package distribution

import (
	"context"
	"sync"
	"time"
)

// renderTTL bounds how long a shared rendering is reused. A rendering is
// keyed on the story's version, so an edit, correction or kill (each bumps
// the version) is never hidden by it; what does not bump the version (a
// photo's caption, a section's name) shows in deliveries at most this late.
const renderTTL = 10 * time.Second

// renderCacheMax bounds the number of renderings kept.
const renderCacheMax = 256

type renderKey struct {
	storyID string
	version int
	format  Format
}

// renderCall is one rendering, shared by every delivery that asks for the
// same key while it runs or within renderTTL after.
type renderCall struct {
	done chan struct{}
	body []byte
	err  error
	at   time.Time
}

// renderCache renders a story once per (story, version, format) for all
// the targets of a fan-out: a publication to five webhook targets in ninjs
// renders once instead of five times (four queries each).
type renderCache struct {
	mu    sync.Mutex
	calls map[renderKey]*renderCall
}

// renderShared returns the body of d's story in format f: the shared
// rendering when one of the story's current version is fresh, else a new
// one. The version is the story's as read with the delivery, so the body
// is of that version or newer, as a rendering made now would be.
func (s *Service) renderShared(ctx context.Context, d *Delivery, f Format) ([]byte, error) {
	if d.CurrentStoryVersion <= 0 {
		return s.render.Render(ctx, d.StoryID, f)
	}
	key := renderKey{storyID: d.StoryID, version: d.CurrentStoryVersion, format: f}
	c := &s.renders
	c.mu.Lock()
	if c.calls == nil {
		c.calls = map[renderKey]*renderCall{}
	}
	if call, ok := c.calls[key]; ok {
		select {
		case <-call.done:
			if call.err == nil && time.Since(call.at) < renderTTL {
				c.mu.Unlock()
				return call.body, nil
			}
		default:
			c.mu.Unlock()
			select {
			case <-call.done:
				if call.err != nil {
					// The first caller's failure (its context, a database
					// error) is not this delivery's: render on our own.
					return s.render.Render(ctx, d.StoryID, f)
				}
				return call.body, nil
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	call := &renderCall{done: make(chan struct{})}
	if len(c.calls) >= renderCacheMax {
		for k, old := range c.calls {
			select {
			case <-old.done:
				if old.err != nil || time.Since(old.at) >= renderTTL {
					delete(c.calls, k)
				}
			default:
			}
		}
		if len(c.calls) >= renderCacheMax {
			clear(c.calls)
		}
	}
	c.calls[key] = call
	c.mu.Unlock()

	call.body, call.err = s.render.Render(ctx, d.StoryID, f)
	call.at = time.Now()
	close(call.done)
	if call.err != nil {
		c.mu.Lock()
		if c.calls[key] == call {
			delete(c.calls, key)
		}
		c.mu.Unlock()
	}
	return call.body, call.err
}
