package main

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// TestScheduledPublishingExactlyOnceAcrossProcesses runs two `newsroom serve`
// processes on one PostgreSQL database, schedules stories for the same second
// from a third process, and checks that each is published exactly once.
func TestScheduledPublishingExactlyOnceAcrossProcesses(t *testing.T) {
	if !slices.Contains(testutil.Dialects(), store.DialectPostgres) {
		t.Skip("PostgreSQL is not among NEWSROOM_TEST_DB")
	}
	t.Parallel()
	dbURL := testutil.EmptyDatabaseURL(t, store.DialectPostgres)
	env := fastEnv(dbURL)
	if out, err := run(t, env, "", "migrate", "up"); err != nil {
		t.Fatalf("migrate up: %v\n%s", err, out)
	}
	servers := []*server{startServer(t, env), startServer(t, env)}

	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The app as production builds it, never started: this process only
	// schedules (its job queue inserts; the two servers run the jobs).
	a := testutil.NewAppOn(t, db)
	users, stories := a.Users, a.Stories
	mk := func(name string, role user.Role) user.Actor {
		no := false
		u, _, err := users.CreateUser(ctx, user.System, user.NewUser{Username: name, DisplayName: name, Role: string(role),
			Password: "Mật-khẩu-rất-dài-2026!", MustChangePassword: &no})
		if err != nil {
			t.Fatal(err)
		}
		return user.Actor{UserID: u.ID, Username: u.Username, Role: u.Role}
	}
	admin, rep, eic := mk("quantri2", user.RoleAdmin), mk("phongvien", user.RoleReporter), mk("tongbientap", user.RoleEditorInChief)
	name, slug, lv := "Thời sự", "thoi-su", 1
	roles := [][]user.Role{{user.RoleEditorInChief}}
	sec, err := stories.CreateSection(ctx, admin, story.SectionInput{Name: &name, Slug: &slug, ApprovalLevels: &lv, LevelRoles: &roles})
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	ids := make([]string, 0, n)
	for i := range n {
		h, body := fmt.Sprintf("Bài hẹn giờ số %d", i), "<p>Nội dung.</p>"
		st, err := stories.CreateStory(ctx, rep, story.Content{SectionID: &sec.ID, Headline: &h, Body: &body})
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			a   user.Actor
			act string
		}{{rep, "submit"}, {eic, "claim"}, {eic, "approve"}} {
			if _, err := stories.Transition(ctx, step.a, st.ID, story.TransitionInput{Action: step.act}, nil); err != nil {
				t.Fatalf("%s: %v", step.act, err)
			}
		}
		ids = append(ids, st.ID)
	}
	at := time.Now().Add(3 * time.Second)
	for _, id := range ids {
		if _, err := stories.Transition(ctx, eic, id, story.TransitionInput{Action: "schedule", PublishAt: &at}, nil); err != nil {
			t.Fatal(err)
		}
	}
	var left int
	defer func() {
		if t.Failed() {
			t.Logf("%d stories not published; server logs:\n%s\n%s", left, servers[0].stderr.String(), servers[1].stderr.String())
		}
	}()
	testutil.Eventually(t, 90*time.Second, "every scheduled story published", func() bool {
		if err := db.SQL.QueryRow("SELECT count(*) FROM stories WHERE state <> 'published'").Scan(&left); err != nil {
			t.Fatal(err)
		}
		return left == 0
	})
	rows, err := db.SQL.Query(`SELECT target_id, count(*) FROM audit_events WHERE action = 'story.transition.publish' GROUP BY target_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var id string
		var c int
		if err := rows.Scan(&id, &c); err != nil {
			t.Fatal(err)
		}
		if c != 1 {
			t.Errorf("story %s published %d times, want 1", id, c)
		}
		seen++
	}
	if seen != n {
		t.Fatalf("%d stories have a publish event, want %d", seen, n)
	}
	for _, s := range servers {
		s.stop(t)
	}
}
