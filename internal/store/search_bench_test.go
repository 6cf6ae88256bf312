package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/search/searchgen"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// BenchmarkSearch measures each query kind on both backends over a fresh
// database of NEWSROOM_BENCH_STORIES generated stories (default 2000; the
// figures in docs/benchmarks.md come from cmd/newsroom-bench, which reports p50/p95
// on larger archives). Run: go test -run XXX -bench Search ./internal/store/
func BenchmarkSearch(b *testing.B) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("NEWSROOM_BENCH_STORIES")); err == nil && v > 0 {
		n = v
	}
	for _, d := range testutil.Dialects() {
		b.Run(d, func(b *testing.B) {
			a := testutil.NewApp(b, d)
			db := a.DB
			ctx := context.Background()
			f := newFixture(db)
			t := &testing.T{}
			var secs []string
			for i := 0; i < 4; i++ {
				secs = append(secs, f.section(t, "muc-"+strconv.Itoa(i)).ID)
			}
			author := f.user(t, "bench", user.RoleReporter)
			g := searchgen.New(1, secs, author.ID, time.Now().UTC())
			start := time.Now()
			for done := 0; done < n; done += 500 {
				err := db.InTx(ctx, func(ctx context.Context) error {
					for i := done; i < min(done+500, n); i++ {
						st := g.Story()
						if err := f.stories.CreateStory(ctx, &st); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "stories/s-indexed")
			svc := a.Search
			chief := user.Actor{UserID: uuid.NewString(), Role: user.RoleEditorInChief}
			for _, kind := range []string{"one-word", "two-word", "phrase", "folded", "filtered", "prefix"} {
				qs := searchgen.Queries[kind]
				b.Run(kind, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						flt := search.Filter{Limit: 20}
						if kind == "filtered" {
							flt.SectionID = secs[i%len(secs)]
							flt.From = time.Now().UTC().AddDate(-2, 0, 0)
						}
						if _, _, err := svc.Search(ctx, chief, qs[i%len(qs)], flt); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			_ = story.ChannelWeb
		})
	}
}
