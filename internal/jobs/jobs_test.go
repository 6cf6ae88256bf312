package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/app"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/jobs"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

const password = "Mật-khẩu-rất-dài-2026!"

// env is the app on a fresh database with three accounts and a section
// that one editor-in-chief signs.
type env struct {
	t        testing.TB
	app      *testutil.App
	db       *store.DB
	stories  *story.Service
	dist     *distribution.Service
	admin    user.Actor
	reporter user.Actor
	chief    user.Actor
	section  *story.Section
}

// tuned adjusts the distribution service of an env, after newEnv's own settings.
func tuned(f func(*distribution.Config)) testutil.AppOption {
	return testutil.WithAppOptions(func(o *app.Options) {
		prev := o.Distribution
		o.Distribution = func(c *distribution.Config) {
			if prev != nil {
				prev(c)
			}
			f(c)
		}
	})
}

// newEnv builds the app (not started: start starts it once the targets
// exist) with deliveries retried within milliseconds and loopback receivers
// allowed and the site at https://bao.example.vn; opts come after those settings.
func newEnv(t testing.TB, dialect string, opts ...testutil.AppOption) *env {
	t.Helper()
	ctx := context.Background()
	a := testutil.NewApp(t, dialect, append([]testutil.AppOption{
		testutil.WithConfig(func(c *config.Config) {
			c.Distribution.AllowHosts = []string{"127.0.0.1"}
			c.Site.BaseURL = "https://bao.example.vn"
		}),
		tuned(func(c *distribution.Config) { c.RetryBase, c.RetryMax = 20*time.Millisecond, 100*time.Millisecond }),
	}, opts...)...)
	mk := func(name string, role user.Role) user.Actor {
		no := false
		u, _, err := a.Users.CreateUser(ctx, user.System, user.NewUser{Username: name, DisplayName: "Tên " + name, Role: string(role), Password: password, MustChangePassword: &no})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return user.Actor{UserID: u.ID, Username: u.Username, Role: u.Role}
	}
	e := &env{t: t, app: a, db: a.DB, stories: a.Stories, dist: a.Distribution}
	e.admin = mk("quantri", user.RoleAdmin)
	e.reporter = mk("phongvien", user.RoleReporter)
	e.chief = mk("tongbientap", user.RoleEditorInChief)
	name, slug, lv := "Thời sự", "thoi-su", 1
	roles := [][]user.Role{{user.RoleEditorInChief}}
	var err error
	e.section, err = a.Stories.CreateSection(ctx, e.admin, story.SectionInput{Name: &name, Slug: &slug, ApprovalLevels: &lv, LevelRoles: &roles})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// forEachEnv runs fn as a subtest per dialect, each with its own env.
func forEachEnv(t *testing.T, fn func(t *testing.T, e *env), opts ...testutil.AppOption) {
	t.Helper()
	for _, d := range testutil.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, newEnv(t, d, opts...)) })
	}
}

// start starts the app's background work (the job runner) until the test ends.
func (e *env) start() {
	e.t.Helper()
	stop, err := e.app.Start(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		stop(ctx)
	})
}

// approved creates a story (with the assets of refs) and takes it to approved.
func (e *env) approved(headline string, refs ...story.AssetRef) *story.Story {
	e.t.Helper()
	body, chans := "<p>Nội dung bài viết.</p>", []story.Channel{story.ChannelWeb, story.ChannelRadio, story.ChannelTV}
	// Radio and TV need their versions before anyone signs the story.
	radio := &story.RadioVersion{Script: "Kính thưa quý vị, " + headline + "."}
	tv := &story.TVVersion{Segments: []story.TVSegment{{Type: story.SegmentAnchor, Script: "Thưa quý vị, " + headline + "."}}}
	c := story.Content{SectionID: &e.section.ID, Headline: &headline, Body: &body, Channels: &chans, Radio: radio, TV: tv}
	if len(refs) > 0 {
		c.Assets = &refs
	}
	return e.approve(c)
}

// approve creates a story of the reporter with this content and takes it to
// approved: submitted by the reporter, claimed and signed by the chief.
func (e *env) approve(c story.Content) *story.Story {
	e.t.Helper()
	st, err := e.stories.CreateStory(context.Background(), e.reporter, c)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, act := range []string{"submit", "claim", "approve"} {
		who := e.chief
		if act == "submit" {
			who = e.reporter
		}
		st = e.transitionAs(who, st.ID, act, "", nil)
	}
	return st
}

// transition makes the chief take the action on the story.
func (e *env) transition(id, action, comment string, changes *story.Content) *story.Story {
	e.t.Helper()
	return e.transitionAs(e.chief, id, action, comment, changes)
}

// transitionAs makes who take the action on the story; an error ends the test.
func (e *env) transitionAs(who user.Actor, id, action, comment string, changes *story.Content) *story.Story {
	e.t.Helper()
	st, err := e.stories.Transition(context.Background(), who, id, story.TransitionInput{Action: action, Comment: comment, Changes: changes}, nil)
	if err != nil {
		e.t.Fatalf("%s: %v", action, err)
	}
	return st
}

// newTarget registers a distribution target of the kind as admin.
func (e *env) newTarget(kind, name, url, secret string) *distribution.Target {
	e.t.Helper()
	tg, err := e.dist.CreateTarget(context.Background(), e.admin, distribution.TargetInput{Name: &name, Kind: &kind, URL: &url, Secret: &secret})
	if err != nil {
		e.t.Fatal(err)
	}
	return tg
}

func countJobs(t testing.TB, db *store.DB, kind string) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRow("SELECT count(*) FROM river_job WHERE kind = $1", kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRolledBackTransitionLeavesNoJob: the jobs a transition asks for are
// inserted by the jobs listener inside its transaction, so a transaction
// that fails after them (a later listener, the commit) leaves none.
func TestRolledBackTransitionLeavesNoJob(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		st := e.approved("Bài bị hủy giữa chừng")
		l := jobs.NewStoryListener(e.app.Queue, e.dist)
		boom := errors.New("boom")
		at := time.Now().Add(time.Hour)
		for _, tr := range []struct {
			action workflow.Action
			st     *story.Story
		}{{workflow.Publish, st}, {workflow.Schedule, &story.Story{ID: st.ID, Version: st.Version, PublishAt: &at}}} {
			err := e.db.InTx(ctx, func(ctx context.Context) error {
				if err := l.StoryTransitioned(ctx, tr.st, workflow.Transition{Action: tr.action}); err != nil {
					return err
				}
				return boom // fails after the jobs were inserted
			})
			if !errors.Is(err, boom) {
				t.Fatalf("%s: %v, want boom", tr.action, err)
			}
		}
		for _, kind := range []string{jobs.WebArgs{}.Kind(), jobs.TVArgs{}.Kind(), jobs.ScheduledPublishArgs{}.Kind()} {
			if n := countJobs(t, e.db, kind); n != 0 {
				t.Fatalf("%d %s jobs after rolled-back transitions, want 0", n, kind)
			}
		}
		var deliveries int
		if err := e.db.SQL.QueryRow("SELECT count(*) FROM distribution_deliveries").Scan(&deliveries); err != nil || deliveries != 0 {
			t.Fatalf("%d deliveries after a rolled-back publish (%v), want 0", deliveries, err)
		}

		e.transition(st.ID, "publish", "", nil)
		for _, kind := range []string{jobs.WebArgs{}.Kind(), jobs.RadioArgs{}.Kind(), jobs.TVArgs{}.Kind()} {
			if n := countJobs(t, e.db, kind); n != 1 {
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
	forEachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.start()

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
			if err := e.db.SQL.QueryRow("SELECT count(*) FROM river_job WHERE kind = $1 AND state NOT IN ('completed','cancelled','discarded')",
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
