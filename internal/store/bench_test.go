package store_test

// Benchmarks of the editorial hot path on the real databases, run with
//   CGO_ENABLED=0 go test -run '^$' -bench EditorialMix -benchtime 3000x ./internal/store/
// They compare, in one run, SQLite with one pooled connection (what River's
// docs suggest for SQLite) against the pool size the store uses, and
// PostgreSQL. The figures are recorded in docs/benchmarks.md.

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// BenchmarkEditorialMix runs a desk-like mix from parallel goroutines:
// 8 of 10 operations read a story, 1 lists the latest page, 1 saves an edit
// (a transaction with the version check, a revision and an audit event).
func BenchmarkEditorialMix(b *testing.B) {
	cases := []struct {
		name    string
		dialect string
		pool    int
	}{
		{"sqlite-pool1", store.DialectSQLite, 1},
		{fmt.Sprintf("sqlite-pool%d", store.SQLiteMaxOpenConns), store.DialectSQLite, store.SQLiteMaxOpenConns},
		{"postgres", store.DialectPostgres, 0},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			a := testutil.NewApp(b, c.dialect)
			if c.pool > 0 {
				a.DB.SQL.SetMaxOpenConns(c.pool)
			}
			ctx := context.Background()
			svc := a.Stories
			admin := user.System
			name, levels := "Thời sự", 1
			sec, err := svc.CreateSection(ctx, admin, story.SectionInput{Name: &name, ApprovalLevels: &levels})
			if err != nil {
				b.Fatal(err)
			}
			u, _, err := a.Users.CreateUser(ctx, admin, user.NewUser{Username: "bench", Role: string(user.RoleEditorInChief)})
			if err != nil {
				b.Fatal(err)
			}
			writer := u.Actor("127.0.0.1")
			const n = 200
			ids := make([]string, n)
			for i := range ids {
				h := fmt.Sprintf("Bài thử nghiệm số %d về giao thông Hưng Yên", i)
				body := "<p>Nội dung bài viết dài vừa phải để đo tốc độ lưu và đọc.</p>"
				st, err := svc.CreateStory(ctx, writer, story.Content{SectionID: &sec.ID, Headline: &h, Body: &body})
				if err != nil {
					b.Fatal(err)
				}
				ids[i] = st.ID
			}
			var op atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := op.Add(1)
					id := ids[i%n]
					switch i % 10 {
					case 0:
						if _, _, err := svc.FindStories(ctx, writer, story.Filter{Limit: 20}); err != nil {
							b.Error(err)
							return
						}
					case 1:
						for {
							st, err := svc.FindStoryByID(ctx, writer, id)
							if err != nil {
								b.Error(err)
								return
							}
							sapo := fmt.Sprintf("Sapo sửa lần %d", i)
							_, err = svc.UpdateStory(ctx, writer, id, story.Content{Sapo: &sapo}, st.Version)
							if err == nil {
								break
							}
							if !apperr.Is(err, apperr.CodePreconditionFailed) {
								b.Error(err)
								return
							}
						}
					default:
						if _, err := svc.FindStoryByID(ctx, writer, id); err != nil {
							b.Error(err)
							return
						}
					}
				}
			})
		})
	}
}
