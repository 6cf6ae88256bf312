package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/feed"
	"github.com/newsroom-vn/newsroom/internal/jobs"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/txn"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/web"
)

const password = "Mật-khẩu-rất-dài-2026!"

type env struct {
	t        testing.TB
	db       *store.DB
	stories  *story.Service
	jobs     *jobs.Client
	dist     *distribution.Service
	admin    user.Actor
	reporter user.Actor
	chief    user.Actor
	section  *story.Section
	// web is the public site (its pull feeds are wired to dist).
	web *web.Handler
}

// testKey is a distribution.secret_key for tests (32 bytes, hex).
const testKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

func newEnv(t testing.TB, db *store.DB, opts ...func(*distribution.Config)) *env {
	t.Helper()
	ctx := context.Background()
	auditRepo := store.NewAuditRepository(db)
	users := user.NewService(store.NewUserRepository(db), db, audit.UserFunc(auditRepo),
		user.Config{Argon2: user.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}})
	stories := story.NewService(store.NewStoryRepository(db), auditRepo, txn.WithAfterCommit(db), story.Config{})
	siteSvc := site.NewService(store.NewSiteRepository(db), store.NewStoryRepository(db))
	stories.OnTransition = siteSvc.TransitionHook(stories.OnTransition)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	partners := partner.NewService(store.NewPartnerRepository(db), auditRepo, db, partner.Config{DefaultRateLimit: 1000})
	h, err := web.New(web.Deps{Site: siteSvc, Partners: partners, Logger: quiet, Options: web.Options{
		Site: web.SiteInfo{Name: "Báo Thử", BaseURL: "https://bao.example.vn"}, CacheMaxAge: time.Second, CacheEntries: 10}})
	if err != nil {
		t.Fatal(err)
	}
	key, _ := distribution.ParseKey(testKey)
	cfg := distribution.Config{SecretKey: key, RetryBase: 20 * time.Millisecond, RetryMax: 100 * time.Millisecond,
		AllowHosts: []string{"127.0.0.1"}, OnWeb: siteSvc.Invalidate, Logger: quiet}
	for _, f := range opts {
		f(&cfg)
	}
	dist := distribution.NewService(store.NewDistributionRepository(db), stories, auditRepo, txn.WithAfterCommit(db), feed.NewRenderer(siteSvc, feed.Site{Name: "Báo Thử", BaseURL: "https://bao.example.vn"}), cfg)
	jc, err := jobs.New(jobs.Deps{DB: db, Stories: stories, Fanout: dist}, jobs.Options{PollInterval: 50 * time.Millisecond, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	dist.SetEnqueuer(jc)
	h.SetPullFeeds(dist)
	stories.OnTransition = jc.TransitionHook(stories.OnTransition)
	mk := func(name string, role user.Role) user.Actor {
		no := false
		u, _, err := users.CreateUser(ctx, user.System, user.NewUser{Username: name, DisplayName: "Tên " + name, Role: string(role), Password: password, MustChangePassword: &no})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return user.Actor{UserID: u.ID, Username: u.Username, Role: u.Role}
	}
	e := &env{t: t, db: db, stories: stories, jobs: jc, dist: dist, web: h}
	admin := mk("quantri", user.RoleAdmin)
	e.admin = admin
	e.reporter = mk("phongvien", user.RoleReporter)
	e.chief = mk("tongbientap", user.RoleEditorInChief)
	name, slug, lv := "Thời sự", "thoi-su", 1
	roles := [][]user.Role{{user.RoleEditorInChief}}
	e.section, err = stories.CreateSection(ctx, admin, story.SectionInput{Name: &name, Slug: &slug, ApprovalLevels: &lv, LevelRoles: &roles})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// approved creates a story and takes it to approved.
func (e *env) approved(headline string) *story.Story {
	e.t.Helper()
	ctx := context.Background()
	body, chans := "<p>Nội dung bài viết.</p>", []story.Channel{story.ChannelWeb, story.ChannelRadio, story.ChannelTV}
	// Radio and TV need their versions before anyone signs the story.
	radio := &story.RadioVersion{Script: "Kính thưa quý vị, " + headline + "."}
	tv := &story.TVVersion{Segments: []story.TVSegment{{Type: story.SegmentAnchor, Script: "Thưa quý vị, " + headline + "."}}}
	st, err := e.stories.CreateStory(ctx, e.reporter, story.Content{SectionID: &e.section.ID, Headline: &headline, Body: &body, Channels: &chans,
		Radio: radio, TV: tv})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, step := range []struct {
		a   user.Actor
		act string
	}{{e.reporter, "submit"}, {e.chief, "claim"}, {e.chief, "approve"}} {
		if st, err = e.stories.Transition(ctx, step.a, st.ID, story.TransitionInput{Action: step.act}, nil); err != nil {
			e.t.Fatalf("%s: %v", step.act, err)
		}
	}
	return st
}

func countJobs(t testing.TB, db *store.DB, kind string) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRow("SELECT count(*) FROM river_job WHERE kind = $1", kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRolledBackTransitionLeavesNoJob(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		st := e.approved("Bài bị hủy giữa chừng")
		boom := errors.New("boom")
		ok := e.stories.OnTransition
		e.stories.OnTransition = func(ctx context.Context, s *story.Story, tr workflow.Transition) error {
			if err := ok(ctx, s, tr); err != nil {
				return err
			}
			return boom // fails after the jobs were inserted
		}
		if _, err := e.stories.Transition(context.Background(), e.chief, st.ID, story.TransitionInput{Action: "publish"}, nil); !errors.Is(err, boom) {
			t.Fatalf("publish: %v, want boom", err)
		}
		if n := countJobs(t, db, jobs.WebArgs{}.Kind()) + countJobs(t, db, jobs.TVArgs{}.Kind()); n != 0 {
			t.Fatalf("%d channel jobs after a rolled-back publish, want 0", n)
		}
		var deliveries int
		if err := db.SQL.QueryRow("SELECT count(*) FROM distribution_deliveries").Scan(&deliveries); err != nil || deliveries != 0 {
			t.Fatalf("%d deliveries after a rolled-back publish (%v), want 0", deliveries, err)
		}
		at := time.Now().Add(time.Hour)
		if _, err := e.stories.Transition(context.Background(), e.chief, st.ID, story.TransitionInput{Action: "schedule", PublishAt: &at}, nil); !errors.Is(err, boom) {
			t.Fatalf("schedule: %v, want boom", err)
		}
		if n := countJobs(t, db, jobs.ScheduledPublishArgs{}.Kind()); n != 0 {
			t.Fatalf("%d scheduled jobs after a rolled-back schedule, want 0", n)
		}
		got, err := e.stories.FindStoryByID(context.Background(), e.chief, st.ID)
		if err != nil || got.State != workflow.Approved {
			t.Fatalf("story %v, %v; want approved", got.State, err)
		}

		e.stories.OnTransition = ok
		if _, err := e.stories.Transition(context.Background(), e.chief, st.ID, story.TransitionInput{Action: "publish"}, nil); err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{jobs.WebArgs{}.Kind(), jobs.RadioArgs{}.Kind(), jobs.TVArgs{}.Kind()} {
			if n := countJobs(t, db, kind); n != 1 {
				t.Fatalf("%d %s jobs after publish, want 1", n, kind)
			}
		}
	})
}

// waitState polls the story until it reaches state or the test's bound ends.
func waitState(t testing.TB, e *env, id string, want workflow.State, bound time.Duration) *story.Story {
	t.Helper()
	deadline := time.Now().Add(bound)
	for {
		st, err := e.stories.FindStoryByID(context.Background(), e.chief, id)
		if err != nil {
			t.Fatal(err)
		}
		if st.State == want {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("story %s is %s after %s, want %s", id, st.State, bound, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestScheduledPublishing(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := e.jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = e.jobs.Stop(context.Background()) }()

		due := e.approved("Bài hẹn giờ")
		moved := e.approved("Bài dời giờ")
		dropped := e.approved("Bài bỏ hẹn giờ")
		soon := time.Now().Add(2 * time.Second)
		later := time.Now().Add(time.Hour)
		for _, id := range []string{due.ID, moved.ID, dropped.ID} {
			if _, err := e.stories.Transition(ctx, e.chief, id, story.TransitionInput{Action: "schedule", PublishAt: &soon}, nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.stories.Transition(ctx, e.chief, moved.ID, story.TransitionInput{Action: "schedule", PublishAt: &later}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := e.stories.Transition(ctx, e.chief, dropped.ID, story.TransitionInput{Action: "unschedule"}, nil); err != nil {
			t.Fatal(err)
		}
		waitState(t, e, due.ID, workflow.Published, time.Minute)
		// The superseded jobs (same time as due's) have run once due is published
		// and its fan-out enqueued; wait for every job of that time to finish.
		deadline := time.Now().Add(time.Minute)
		for {
			var n int
			if err := db.SQL.QueryRow("SELECT count(*) FROM river_job WHERE kind = $1 AND state NOT IN ('completed','cancelled','discarded')",
				jobs.ScheduledPublishArgs{}.Kind()).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 1 { // only moved's job for later remains
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d scheduled jobs still pending, want 1", n)
			}
			time.Sleep(50 * time.Millisecond)
		}
		for id, want := range map[string]workflow.State{moved.ID: workflow.Scheduled, dropped.ID: workflow.Approved} {
			st, err := e.stories.FindStoryByID(ctx, e.chief, id)
			if err != nil || st.State != want {
				t.Errorf("story %s: %v, %v; want %s", id, st.State, err, want)
			}
		}
	})
}
