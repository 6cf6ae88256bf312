package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// TestSearchWalkBackInTime checks the two-phase ranking (matches scored
// window by window, newest first): the walk must not stop before an older
// story that outranks what it found, a story whose date moved (published
// today after years as a draft) is found in today's window, and keyset pages
// cross the windows without losing or repeating a hit.
func TestSearchWalkBackInTime(t *testing.T) {
	forEachSearchPlan(t, func(t *testing.T, db *store.DB, plan string) {
		f := newSearchFixture(t, db, plan)
		ctx := context.Background()
		day := 24 * time.Hour
		// Weak recent matches (the word only in the body), then a strong one
		// (headline and sapo) 35 days back, beyond the first two windows, that
		// still outranks them; stories without the word give it a weight.
		for i := 0; i < 60; i++ {
			f.add(t, doc{headline: fmt.Sprintf("Tin khác %d", i), body: "<p>Chuyện thường ngày.</p>", age: time.Duration(i+1) * time.Hour})
		}
		var weak []string
		for i := 0; i < 25; i++ {
			weak = append(weak, f.add(t, doc{headline: fmt.Sprintf("Tin ngắn %d", i), body: "<p>Bài dài về chuyện làng quê, mùa màng, chợ phiên, đường sá, trường học, trạm y tế và có nhắc tới phù sa một lần.</p>",
				age: time.Duration(i+1) * time.Hour}).ID)
		}
		strong := f.add(t, doc{headline: "Phù sa bồi đắp đồng bằng", sapo: "Phù sa sông Hồng", age: 35 * day})
		got := f.staff(t, "phù sa", search.Filter{Limit: 5})
		if len(got) != 5 || got[0] != strong.ID {
			t.Fatalf("phù sa: %v, want %s first", got, strong.ID)
		}
		// Every hit, page by page across the windows, once and in order.
		var paged []string
		var cur *search.Cursor
		for i := 0; i < 20; i++ {
			hs, next, err := f.svc.Search(ctx, f.chief, "phù sa", search.Filter{Limit: 4, After: cur})
			must(t, err)
			paged = append(paged, hitIDs(hs)...)
			if next == nil {
				break
			}
			cur = next
		}
		if len(paged) != 26 || paged[0] != strong.ID || !slices.Equal(sorted(paged[1:]), sorted(weak)) {
			t.Fatalf("pages gave %d hits %v", len(paged), paged)
		}
		// A draft written three years ago, published today: its date is today,
		// so it must beat the weak (older) matches although it was written long ago.
		old := f.add(t, doc{headline: "Ghi chép", body: "<p>Mùa phù sa năm ấy.</p>", state: workflow.Draft, age: 3 * 365 * day})
		pub := *old
		at := searchNow.Add(-time.Minute)
		pub.State, pub.Version, pub.PublishedAt, pub.UpdatedAt = workflow.Published, 2, &at, at
		must(t, f.stories.UpdateStory(ctx, &pub, 1))
		got = f.staff(t, "phù sa", search.Filter{Limit: 3})
		if len(got) != 3 || !slices.Contains(got[:2], old.ID) || !slices.Contains(got[:2], strong.ID) {
			t.Fatalf("after publishing the old draft: %v, want %s and %s first", got, strong.ID, old.ID)
		}
		// A date range older than every window still finds its stories.
		got = f.staff(t, "phu sa", search.Filter{From: searchNow.Add(-200 * day), To: searchNow.Add(-20 * day)})
		if !slices.Equal(got, []string{strong.ID}) {
			t.Fatalf("date range: %v", got)
		}
	})
}
