package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

func TestAuditRepository(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		repo := store.NewAuditRepository(db)
		actions := []string{"story.create", "story.transition.approve", "user.create", "auth.login_failed", "story.update", "storyx.odd"}
		var recorded []audit.Event
		for i := 0; i < 30; i++ {
			e := &audit.Event{At: base.Add(time.Duration(i) * time.Minute), ActorID: []string{"u1", "u2", ""}[i%3],
				ActorName: "tên", IP: "10.0.0.1", Action: actions[i%len(actions)], TargetType: []string{"story", "user"}[i%2],
				TargetID: []string{"t1", "t2", "t3"}[i%3], BeforeVersion: i, AfterVersion: i + 1}
			if i%2 == 0 {
				e.Details = map[string]any{"headline": "Bão", "n": float64(i), "list": []any{"a"}}
			}
			must(t, repo.RecordEvent(ctx, e))
			if e.ID == 0 || (len(recorded) > 0 && e.ID <= recorded[len(recorded)-1].ID) {
				t.Fatalf("event id %d not increasing", e.ID)
			}
			recorded = append(recorded, *e)
		}
		all, err := repo.FindEvents(ctx, audit.Filter{})
		must(t, err)
		if len(all) != 30 {
			t.Fatalf("FindEvents: %d", len(all))
		}
		for i, e := range all {
			if want := recorded[len(recorded)-1-i]; !reflect.DeepEqual(e, want) {
				t.Fatalf("event %d round trip:\n got %+v\nwant %+v", i, e, want)
			}
		}

		check := func(name string, f audit.Filter, keep func(e audit.Event) bool) {
			t.Helper()
			got, err := repo.FindEvents(ctx, f)
			must(t, err)
			var want []int64
			for i := len(recorded) - 1; i >= 0; i-- {
				if keep(recorded[i]) {
					want = append(want, recorded[i].ID)
				}
			}
			if f.Limit > 0 && len(want) > f.Limit {
				want = want[:f.Limit]
			}
			var gotIDs []int64
			for _, e := range got {
				gotIDs = append(gotIDs, e.ID)
			}
			if len(want) == 0 {
				t.Fatalf("%s: test data selects nothing", name)
			}
			if !reflect.DeepEqual(gotIDs, want) {
				t.Fatalf("%s: got %v want %v", name, gotIDs, want)
			}
		}
		check("actor", audit.Filter{ActorID: "u2"}, func(e audit.Event) bool { return e.ActorID == "u2" })
		check("action exact", audit.Filter{Action: "story.update"}, func(e audit.Event) bool { return e.Action == "story.update" })
		check("action prefix", audit.Filter{Action: "story."}, func(e audit.Event) bool {
			return len(e.Action) >= 6 && e.Action[:6] == "story."
		})
		check("target", audit.Filter{TargetType: "story", TargetID: "t1"}, func(e audit.Event) bool {
			return e.TargetType == "story" && e.TargetID == "t1"
		})
		from, to := base.Add(5*time.Minute), base.Add(12*time.Minute)
		check("time range", audit.Filter{From: from, To: to}, func(e audit.Event) bool {
			return !e.At.Before(us(from)) && e.At.Before(us(to))
		})
		check("limit", audit.Filter{Limit: 4}, func(audit.Event) bool { return true })

		// Keyset pages by id.
		var seen []int64
		var before int64
		for {
			page, err := repo.FindEvents(ctx, audit.Filter{Action: "story.", BeforeID: before, Limit: 3})
			must(t, err)
			for _, e := range page {
				seen = append(seen, e.ID)
			}
			if len(page) < 3 {
				break
			}
			before = page[len(page)-1].ID
		}
		var want []int64
		for i := len(recorded) - 1; i >= 0; i-- {
			if a := recorded[i].Action; len(a) >= 6 && a[:6] == "story." {
				want = append(want, recorded[i].ID)
			}
		}
		if !reflect.DeepEqual(seen, want) {
			t.Fatalf("keyset: got %v want %v", seen, want)
		}
	})
}
