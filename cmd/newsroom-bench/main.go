// Command newsroom-bench generates benchmark data and measures the newsroom.
//
//	newsroom-bench gen    --database URL --n 20000    create N realistic Vietnamese stories
//	newsroom-bench search --database URL --runs 200   p50/p95 latency per search query kind
//
// The database is migrated first. gen reports indexing throughput (stories
// per second, each insert maintaining the full-text index in its transaction).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/search/searchgen"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	dbURL := fs.String("database", "./data/bench.db", "database URL (SQLite path or postgres://…)")
	n := fs.Int("n", 20000, "gen: number of stories")
	batch := fs.Int("batch", 500, "gen: stories per transaction")
	seed := fs.Int64("seed", 1, "gen: random seed")
	runs := fs.Int("runs", 200, "search: queries per kind")
	_ = fs.Parse(os.Args[2:])
	ctx := context.Background()
	// Slow-query warnings would drown the figures.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	db, err := store.Open(ctx, *dbURL)
	if err != nil {
		fail(err)
	}
	defer db.Close()
	if err := db.MigrateUp(ctx); err != nil {
		fail(err)
	}
	switch os.Args[1] {
	case "gen":
		err = gen(ctx, db, *n, *batch, *seed)
	case "search":
		err = bench(ctx, db, *runs)
	default:
		usage()
	}
	if err != nil {
		fail(err)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: newsroom-bench gen|search [--database URL] [--n N] [--runs R]")
	os.Exit(2)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "newsroom-bench:", err)
	os.Exit(1)
}

var sectionNames = []string{"Thời sự", "Kinh tế", "Xã hội", "Văn hóa", "Thể thao", "Pháp luật"}

// setup returns the bench sections and author, creating them on first use.
func setup(ctx context.Context, db *store.DB) ([]string, string, error) {
	repo := store.NewStoryRepository(db)
	users := store.NewUserRepository(db)
	secs, err := repo.FindSections(ctx)
	if err != nil {
		return nil, "", err
	}
	now := time.Now().UTC()
	var ids []string
	for _, s := range secs {
		ids = append(ids, s.ID)
	}
	if len(ids) == 0 {
		for i, name := range sectionNames {
			s := &story.Section{ID: uuid.NewString(), Name: name, Slug: fmt.Sprintf("muc-%d", i), ApprovalLevels: 1,
				LevelRoles: story.DefaultLevelRoles[:1], CreatedAt: now, UpdatedAt: now}
			if err := repo.CreateSection(ctx, s); err != nil {
				return nil, "", err
			}
			ids = append(ids, s.ID)
		}
	}
	u, err := users.FindUserByUsername(ctx, "bench")
	if err == nil {
		return ids, u.ID, nil
	}
	nu := &user.User{ID: uuid.NewString(), Username: "bench", DisplayName: "Bench", Email: "bench@example.invalid",
		Role: user.RoleReporter, Active: true, PasswordHash: "-", CreatedAt: now, UpdatedAt: now}
	if err := users.CreateUser(ctx, nu); err != nil {
		return nil, "", err
	}
	return ids, nu.ID, nil
}

func gen(ctx context.Context, db *store.DB, n, batch int, seed int64) error {
	secs, author, err := setup(ctx, db)
	if err != nil {
		return err
	}
	repo := store.NewStoryRepository(db)
	g := searchgen.New(seed, secs, author, time.Now().UTC())
	start := time.Now()
	for done := 0; done < n; {
		k := min(batch, n-done)
		err := db.InTx(ctx, func(ctx context.Context) error {
			for i := 0; i < k; i++ {
				st := g.Story()
				if err := repo.CreateStory(ctx, &st); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		done += k
		if done%(batch*20) == 0 || done == n {
			el := time.Since(start)
			fmt.Printf("%d stories in %s (%.0f stories/s)\n", done, el.Round(time.Millisecond), float64(done)/el.Seconds())
		}
	}
	// Fresh planner statistics and (PostgreSQL) a vacuumed table, as
	// autovacuum or a maintenance run (SQLite) would give a production archive.
	maint := "ANALYZE"
	if db.Dialect == store.DialectPostgres {
		maint = "VACUUM ANALYZE"
	}
	return db.Gorm.WithContext(ctx).Exec(maint).Error
}

func bench(ctx context.Context, db *store.DB, runs int) error {
	secs, _, err := setup(ctx, db)
	if err != nil {
		return err
	}
	svc := search.NewService(store.NewSearcher(db), store.NewStoryRepository(db), search.Config{})
	chief := user.Actor{UserID: uuid.NewString(), Role: user.RoleEditorInChief}
	var total int64
	_ = db.Gorm.Raw("SELECT count(*) FROM stories").Scan(&total).Error
	fmt.Printf("%s, %d stories, %d CPUs, %s\n", db.Dialect, total, runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"))
	kinds := make([]string, 0, len(searchgen.Queries))
	for k := range searchgen.Queries {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, kind := range kinds {
		qs := searchgen.Queries[kind]
		var lat []time.Duration
		hits := 0
		for i := 0; i < runs+len(qs); i++ {
			f := search.Filter{Limit: 20}
			if kind == "filtered" {
				f.SectionID = secs[i%len(secs)]
				f.From = time.Now().UTC().AddDate(-2, 0, 0)
			}
			t0 := time.Now()
			hs, _, err := svc.Search(ctx, chief, qs[i%len(qs)], f)
			d := time.Since(t0)
			if err != nil {
				return fmt.Errorf("%s %q: %w", kind, qs[i%len(qs)], err)
			}
			if i >= len(qs) { // the first round warms caches
				lat = append(lat, d)
				hits += len(hs)
			}
		}
		slices.Sort(lat)
		fmt.Printf("%-9s p50 %7.2f ms  p95 %7.2f ms  (%d queries, %.1f hits each)\n", kind,
			ms(searchgen.Percentile(lat, 50)), ms(searchgen.Percentile(lat, 95)), len(lat), float64(hits)/float64(len(lat)))
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
