package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// TestConcurrentUpdatesLoseNothing runs 20 writers doing read-modify-write
// with the version check and retry; every write must survive.
func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, db *store.DB) {
		f := newFixture(db)
		sec := f.section(t, "kinh-te")
		author := f.user(t, "pv", user.RoleReporter)
		for _, mode := range []string{"tx-for-update", "optimistic"} {
			t.Run(mode, func(t *testing.T) {
				s := f.story(t, sec.ID, author.ID, workflow.Draft, base)
				const writers = 20
				var wg sync.WaitGroup
				var mu sync.Mutex
				retries := 0
				errs := make(chan error, writers)
				for w := range writers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						ctx := context.Background()
						for attempt := 0; attempt < 200; attempt++ {
							write := func(ctx context.Context) error {
								cur, err := f.stories.FindStoryByID(ctx, s.ID, true)
								if err != nil {
									return err
								}
								old := cur.Version
								if mode == "optimistic" {
									time.Sleep(time.Millisecond) // let other writers interleave
								}
								cur.Body += fmt.Sprintf("[w%d]", w)
								cur.Version = old + 1
								cur.UpdatedAt = base.Add(time.Duration(cur.Version) * time.Millisecond)
								return f.stories.UpdateStory(ctx, cur, old)
							}
							var err error
							if mode == "tx-for-update" {
								err = db.InTx(ctx, write)
							} else {
								err = write(ctx)
							}
							if apperr.Is(err, apperr.CodePreconditionFailed) {
								mu.Lock()
								retries++
								mu.Unlock()
								continue
							}
							errs <- err
							return
						}
						errs <- fmt.Errorf("writer %d: gave up", w)
					}()
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					must(t, err)
				}
				got, err := f.stories.FindStoryByID(context.Background(), s.ID, false)
				must(t, err)
				if got.Version != 1+writers {
					t.Fatalf("version %d, want %d", got.Version, 1+writers)
				}
				for w := range writers {
					if !strings.Contains(got.Body, fmt.Sprintf("[w%d]", w)) {
						t.Fatalf("write of writer %d lost: %q", w, got.Body)
					}
				}
				t.Logf("%s: %d stale retries", mode, retries)
				if mode == "optimistic" && retries == 0 {
					t.Fatal("no writer ever saw a stale version: the test did not exercise the version check")
				}
			})
		}
	})
}

func TestFindStoriesKeyset(t *testing.T) {
	forEachFixture(t, func(t *testing.T, ctx context.Context, f *fixture) {
		secA, secB := f.section(t, "a"), f.section(t, "b")
		a1 := f.user(t, "a1", user.RoleReporter)
		a2 := f.user(t, "a2", user.RoleEditor)
		var all []story.Story
		for i := 0; i < 40; i++ {
			sec, au := secA, a1
			if i%3 == 0 {
				sec = secB
			}
			if i%4 == 0 {
				au = a2
			}
			// 5 distinct times (lots of ties), with sub-microsecond noise that must be truncated away,
			// and times whose fraction has trailing zeros (fixed-width text must still order right).
			upd := base.Add(time.Duration(i%5)*100*time.Millisecond + time.Duration(i%2)*300)
			st := f.story(t, sec.ID, au.ID, workflow.States[i%len(workflow.States)], upd)
			if i%5 == 0 {
				st.AssigneeID, st.Version = &a2.ID, 2
				must(t, f.stories.UpdateStory(ctx, st, 1))
			}
			all = append(all, *st)
		}
		want := slices.Clone(all)
		slices.SortFunc(want, func(x, y story.Story) int {
			if c := y.UpdatedAt.Compare(x.UpdatedAt); c != 0 {
				return c
			}
			return strings.Compare(y.ID, x.ID)
		})
		everyone := story.Visibility{States: workflow.States}

		for _, limit := range []int{1, 7, 40, 100} {
			var got []story.Story
			var after *story.Cursor
			for page := 0; page < 100; page++ {
				items, err := f.stories.FindStories(ctx, story.Filter{Visibility: everyone, After: after, Limit: limit})
				must(t, err)
				got = append(got, items...)
				if len(items) < limit {
					break
				}
				last := items[len(items)-1]
				after = &story.Cursor{UpdatedAt: last.UpdatedAt, ID: last.ID}
			}
			if !slices.Equal(ids(got), ids(want)) {
				t.Fatalf("limit %d: pages gave\n%v\nwant\n%v", limit, ids(got), ids(want))
			}
		}

		filterCases := []struct {
			name string
			f    story.Filter
			keep func(s story.Story) bool
		}{
			{"states", story.Filter{States: []workflow.State{workflow.Draft, workflow.Published}},
				func(s story.Story) bool { return s.State == workflow.Draft || s.State == workflow.Published }},
			{"section", story.Filter{SectionID: secB.ID}, func(s story.Story) bool { return s.SectionID == secB.ID }},
			{"author", story.Filter{AuthorID: a2.ID}, func(s story.Story) bool { return s.AuthorID == a2.ID }},
			{"assignee", story.Filter{AssigneeID: a2.ID}, func(s story.Story) bool { return s.AssigneeID != nil && *s.AssigneeID == a2.ID }},
			{"updated range", story.Filter{UpdatedFrom: us(base.Add(100 * time.Millisecond)), UpdatedTo: us(base.Add(300 * time.Millisecond))},
				func(s story.Story) bool {
					return !s.UpdatedAt.Before(us(base.Add(100*time.Millisecond))) && s.UpdatedAt.Before(us(base.Add(300*time.Millisecond)))
				}},
			{"combined", story.Filter{SectionID: secA.ID, AuthorID: a1.ID, States: []workflow.State{workflow.Submitted, workflow.InEdit, workflow.Approved}},
				func(s story.Story) bool {
					return s.SectionID == secA.ID && s.AuthorID == a1.ID && slices.Contains([]workflow.State{workflow.Submitted, workflow.InEdit, workflow.Approved}, s.State)
				}},
		}
		for _, c := range filterCases {
			c.f.Visibility = everyone
			got, err := f.stories.FindStories(ctx, c.f)
			must(t, err)
			var exp []story.Story
			for _, s := range want {
				if c.keep(s) {
					exp = append(exp, s)
				}
			}
			if len(exp) == 0 {
				t.Fatalf("%s: test data selects nothing", c.name)
			}
			if !slices.Equal(ids(got), ids(exp)) {
				t.Fatalf("%s: got %v\nwant %v", c.name, ids(got), ids(exp))
			}
		}
	})
}

// TestVisibilitySQLMatchesAllows checks the WHERE clause FindStories builds
// against story.Visibility.Allows, the Go rule, over every story × visibility.
func TestVisibilitySQLMatchesAllows(t *testing.T) {
	forEachFixture(t, func(t *testing.T, ctx context.Context, f *fixture) {
		secs := []*story.Section{f.section(t, "s1"), f.section(t, "s2"), f.section(t, "s3")}
		authors := []*user.User{f.user(t, "u1", user.RoleReporter), f.user(t, "u2", user.RoleEditor)}
		var all []story.Story
		i := 0
		for _, sec := range secs {
			for _, au := range authors {
				for _, st := range workflow.States {
					s := f.story(t, sec.ID, au.ID, st, base.Add(time.Duration(i)*time.Second))
					all = append(all, *s)
					i++
				}
			}
		}
		userIDs := []string{"", authors[0].ID, authors[1].ID, "nobody"}
		stateSets := [][]workflow.State{nil, {}, {workflow.Submitted}, {workflow.Approved, workflow.Scheduled, workflow.Published},
			{workflow.Draft, workflow.Killed, workflow.InEdit}, workflow.States}
		sectionSets := [][]string{nil, {}, {secs[0].ID}, {secs[1].ID, secs[2].ID}, {"missing"}}
		var vis []story.Visibility
		for _, uid := range userIDs {
			for _, pe := range []bool{false, true} {
				for _, ss := range stateSets {
					for _, sids := range sectionSets {
						vis = append(vis, story.Visibility{UserID: uid, PublishedEverywhere: pe, States: ss, SectionIDs: sids})
					}
				}
			}
		}
		// And what the service really uses, per role.
		for _, r := range user.Roles {
			for _, sids := range [][]string{nil, {secs[1].ID}} {
				vis = append(vis, story.VisibilityFor(user.Actor{UserID: authors[0].ID, Role: r, SectionIDs: sids}))
			}
		}
		for _, v := range vis {
			got, err := f.stories.FindStories(ctx, story.Filter{Visibility: v})
			must(t, err)
			var want []string
			for _, s := range all {
				if v.Allows(&s) {
					want = append(want, s.ID)
				}
			}
			if !slices.Equal(sorted(ids(got)), sorted(want)) {
				t.Fatalf("visibility %+v: SQL selects %d stories, Allows %d", v, len(got), len(want))
			}
		}
		t.Logf("%d visibilities × %d stories agree", len(vis), len(all))
	})
}
