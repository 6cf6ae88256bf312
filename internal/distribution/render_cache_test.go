package distribution

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// countingRenderer renders "story@n" where n counts the renderings, and
// blocks each rendering until release is closed.
type countingRenderer struct {
	n       atomic.Int32
	release chan struct{}
	fail    atomic.Bool
}

func (r *countingRenderer) Render(_ context.Context, storyID string, f Format) ([]byte, error) {
	n := r.n.Add(1)
	<-r.release
	if r.fail.Load() {
		return nil, errors.New("database gone")
	}
	return fmt.Appendf(nil, "%s/%s@%d", storyID, f, n), nil
}

// The deliveries of one fan-out share one rendering per (story version,
// format); a new version, another format or a failure renders again.
func TestRenderSharedPerVersionAndFormat(t *testing.T) {
	r := &countingRenderer{release: make(chan struct{})}
	s := &Service{render: r}
	ctx := context.Background()
	d := &Delivery{StoryID: "s1", CurrentStoryVersion: 5}
	var wg sync.WaitGroup
	bodies := make([]string, 5)
	for i := range bodies {
		wg.Go(func() {
			b, err := s.renderShared(ctx, d, FormatNinjs)
			if err != nil {
				t.Error(err)
			}
			bodies[i] = string(b)
		})
	}
	for r.n.Load() == 0 {
		// wait for the first rendering to start
	}
	close(r.release)
	wg.Wait()
	for _, b := range bodies {
		if b != "s1/ninjs@1" {
			t.Fatalf("bodies %q: want all from the one rendering s1/ninjs@1", bodies)
		}
	}
	if b, _ := s.renderShared(ctx, d, FormatNinjs); string(b) != "s1/ninjs@1" || r.n.Load() != 1 {
		t.Fatalf("second ask within the TTL: %q after %d renderings, want the shared one", b, r.n.Load())
	}
	if b, _ := s.renderShared(ctx, d, FormatCompact); string(b) != "s1/compact@2" {
		t.Fatalf("other format: %q, want a new rendering", b)
	}
	if b, _ := s.renderShared(ctx, &Delivery{StoryID: "s1", CurrentStoryVersion: 6}, FormatNinjs); string(b) != "s1/ninjs@3" {
		t.Fatalf("new story version: %q, want a new rendering", b)
	}
	if b, _ := s.renderShared(ctx, &Delivery{StoryID: "s1"}, FormatNinjs); string(b) != "s1/ninjs@4" {
		t.Fatalf("unknown version: %q, want a rendering of its own", b)
	}
	r.fail.Store(true)
	if _, err := s.renderShared(ctx, &Delivery{StoryID: "s2", CurrentStoryVersion: 1}, FormatNinjs); err == nil {
		t.Fatal("failed rendering: no error")
	}
	r.fail.Store(false)
	if b, err := s.renderShared(ctx, &Delivery{StoryID: "s2", CurrentStoryVersion: 1}, FormatNinjs); err != nil || string(b) != "s2/ninjs@6" {
		t.Fatalf("after a failure: %q, %v; want a new rendering (failures are not kept)", b, err)
	}
}
