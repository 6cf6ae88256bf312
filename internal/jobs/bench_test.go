package jobs_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// BenchmarkPublishToDelivered publishes b.N approved stories at a steady 20
// per second, each to the web, radio and TV channels and 5 webhook targets
// on loopback, and reports the publish-to-delivered latency over all
// deliveries (p50_ms, p99_ms; from the deliveries' transition_at and
// delivered_at). Run on PostgreSQL, as the issue asks:
//
//	NEWSROOM_TEST_DB=postgres go test -run '^$' -bench PublishToDelivered -benchtime 1000x ./internal/jobs/
func BenchmarkPublishToDelivered(b *testing.B) {
	for _, dialect := range testutil.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			e := newEnv(b, dialect)
			db := e.db
			for i := range 5 {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }))
				b.Cleanup(srv.Close)
				e.target(fmt.Sprintf("Đích %d", i), srv.URL, "bí-mật")
			}
			ids := make([]string, b.N)
			for i := range b.N {
				ids[i] = e.approved(fmt.Sprintf("Bài thử tải %d", i)).ID
			}
			ctx := context.Background()
			e.start()
			b.ResetTimer()
			tick := time.NewTicker(time.Second / 20)
			for _, id := range ids {
				<-tick.C
				if _, err := e.stories.Transition(ctx, e.chief, id, story.TransitionInput{Action: "publish"}, nil); err != nil {
					b.Fatal(err)
				}
			}
			tick.Stop()
			want := b.N * 8
			for {
				var n int
				if err := db.SQL.QueryRow("SELECT count(*) FROM distribution_deliveries WHERE state = 'delivered'").Scan(&n); err != nil {
					b.Fatal(err)
				}
				if n == want {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			b.StopTimer()
			lat := latencies(b, db)
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50_ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Milliseconds()), "p99_ms")
		})
	}
}

func latencies(b *testing.B, db *store.DB) []time.Duration {
	repo := store.NewDistributionRepository(db)
	rows, err := db.SQL.Query("SELECT DISTINCT story_id FROM distribution_deliveries")
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		_ = rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	var out []time.Duration
	for _, id := range ids {
		ds, err := repo.FindDeliveriesByStory(context.Background(), id)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range ds {
			if d.State == distribution.StateDelivered && d.DeliveredAt != nil {
				out = append(out, d.DeliveredAt.Sub(d.TransitionAt))
			}
		}
	}
	return out
}
