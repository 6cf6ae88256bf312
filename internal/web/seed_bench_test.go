package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"net/http"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/textvi"
)

// seedPublished inserts n published stories straight through the store
// repositories, batch stories per transaction: real rows with their slug and
// a "create" and a "publish" revision, as the workflow leaves them, but
// without the per-story round trips of the workflow (about 15 stories/s on
// PostgreSQL here). Only benchmarks use it; tests publish through the workflow.
func seedPublished(tb testing.TB, e *env, n, batch int, body string) {
	tb.Helper()
	ctx := context.Background()
	repo := store.NewStoryRepository(e.DB)
	base := time.Now().UTC().Add(-time.Duration(n) * time.Minute).Truncate(time.Microsecond)
	for done := 0; done < n; {
		k := min(batch, n-done)
		err := e.DB.InTx(ctx, func(ctx context.Context) error {
			for i := done; i < done+k; i++ {
				at := base.Add(time.Duration(i) * time.Minute)
				pub := at.Add(30 * time.Second)
				headline := fmt.Sprintf("Bài thử số %d về kinh tế tỉnh", i)
				st := story.Story{ID: uuid.NewString(), SectionID: e.section.ID, Headline: headline, Sapo: "Sapo của bài thử",
					Body: body, Tags: []string{"Kinh tế"}, Channels: []story.Channel{story.ChannelWeb}, State: workflow.Published,
					Version: 2, Slug: textvi.Slugify(headline), AuthorID: e.reporter.UserID, PublishedAt: &pub, CreatedAt: at, UpdatedAt: pub}
				if err := repo.CreateStory(ctx, &st); err != nil {
					return err
				}
				if err := repo.AddSlug(ctx, st.ID, st.SectionID, st.Slug, at); err != nil {
					return err
				}
				draft := st
				draft.State, draft.Version, draft.PublishedAt, draft.UpdatedAt = workflow.Draft, 1, nil, at
				for _, rev := range []story.Revision{
					{StoryID: st.ID, Number: 1, At: at, ActorID: e.reporter.UserID, Action: "create", Snapshot: draft},
					{StoryID: st.ID, Number: 2, At: pub, ActorID: e.chief.UserID, Action: "publish", Snapshot: st},
				} {
					if err := repo.CreateRevision(ctx, &rev); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatalf("seed stories %d..%d: %v", done, done+k, err)
		}
		done += k
	}
	if err := e.DB.Gorm.WithContext(ctx).Exec("ANALYZE").Error; err != nil {
		tb.Fatal(err)
	}
	e.Site.Invalidate()
}

// TestSeedPublishedRowsAreReal: the bulk seed leaves stories the public side
// lists, pages and resolves by URL, with their revisions, like published ones.
func TestSeedPublishedRowsAreReal(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		seedPublished(t, e, 25, 10, "<p>Nội dung</p>")
		ctx := context.Background()
		items, next, err := e.Site.Latest(ctx, site.Query{Limit: 20})
		if err != nil || len(items) != 20 || next == nil {
			t.Fatalf("latest: %d items, next %v, %v", len(items), next, err)
		}
		if items[0].Headline != "Bài thử số 24 về kinh tế tỉnh" {
			t.Errorf("newest = %q", items[0].Headline)
		}
		rest, next, err := e.Site.Latest(ctx, site.Query{Limit: 20, After: next})
		if err != nil || len(rest) != 5 || next != nil {
			t.Fatalf("second page: %d items, next %v, %v", len(rest), next, err)
		}
		e.must(items[3].Path, http.StatusOK)
		revs, err := store.NewStoryRepository(e.DB).FindRevisions(ctx, items[3].ID)
		if err != nil || len(revs) != 2 || revs[0].Action != "publish" || revs[1].Action != "create" {
			t.Errorf("revisions %+v %v", revs, err)
		}
	})
}
