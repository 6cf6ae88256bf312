package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

func TestStoryRoundTrip(t *testing.T) {
	forEachFixture(t, func(t *testing.T, ctx context.Context, f *fixture) {
		db := f.db
		repo := f.stories
		sec := f.section(t, "thoi-su")
		author := f.user(t, "pv", user.RoleReporter)
		editor := f.user(t, "btv", user.RoleEditor, sec.ID)

		s := &story.Story{ID: uuid.NewString(), SectionID: sec.ID, Headline: "Bão số 5 đổ bộ", Sapo: "Sáng nay…",
			Body: "<p>Đà Nẵng</p>", Byline: "Trần Hùng", Tags: []string{"bão", "miền Trung"},
			Channels: []story.Channel{story.ChannelWeb, story.ChannelRadio}, State: workflow.Scheduled, Version: 3,
			Slug: "bao-so-5-do-bo", AuthorID: author.ID, AssigneeID: &editor.ID, PublishAt: tp(base.Add(time.Hour)),
			PublishedAt: tp(base.Add(-time.Hour)), CorrectedAt: tp(base.Add(-time.Minute)), KilledAt: tp(base.Add(-2 * time.Hour)),
			Correction: "Sửa tên", KillReason: "Sai", CreatedAt: base, UpdatedAt: base.Add(time.Second)}
		must(t, repo.CreateStory(ctx, s))
		got, err := repo.FindStoryByID(ctx, s.ID, false)
		mustRead(t, "round trip", got, err, s)
		mustCode(t, repo.CreateStory(ctx, s), apperr.CodeConflict)
		_, err = repo.FindStoryByID(ctx, uuid.NewString(), false)
		mustCode(t, err, apperr.CodeNotFound)

		// Update with the right version, then with a stale one.
		s.Headline, s.Version, s.AssigneeID, s.PublishAt, s.UpdatedAt = "Bão số 5 suy yếu", 4, nil, nil, base.Add(time.Minute)
		must(t, repo.UpdateStory(ctx, s, 3))
		got, _ = repo.FindStoryByID(ctx, s.ID, false)
		if !reflect.DeepEqual(got, s) {
			t.Fatalf("after update:\n got %+v\nwant %+v", got, s)
		}
		stale := *s
		stale.Version = 4
		err = repo.UpdateStory(ctx, &stale, 3)
		mustCode(t, err, apperr.CodePreconditionFailed)
		if e, _ := apperr.As(err); e.Details["current_version"] != 4 {
			t.Fatalf("stale details: %+v", e.Details)
		}
		ghost := *s
		ghost.ID = uuid.NewString()
		mustCode(t, repo.UpdateStory(ctx, &ghost, 1), apperr.CodeNotFound)

		// FOR UPDATE inside a transaction.
		must(t, db.InTx(ctx, func(ctx context.Context) error {
			_, err := repo.FindStoryByID(ctx, s.ID, true)
			return err
		}))

		// Slugs.
		owner, err := repo.SlugOwner(ctx, sec.ID, "bao-so-5-do-bo")
		must(t, err)
		if owner != "" {
			t.Fatalf("slug owner before AddSlug: %q", owner)
		}
		must(t, repo.AddSlug(ctx, s.ID, sec.ID, "bao-so-5-do-bo", base))
		must(t, repo.AddSlug(ctx, s.ID, sec.ID, "bao-so-5-suy-yeu", base.Add(time.Minute)))
		must(t, repo.AddSlug(ctx, s.ID, sec.ID, "bao-so-5-suy-yeu", base.Add(time.Minute))) // again: no-op
		for _, sl := range []string{"bao-so-5-do-bo", "bao-so-5-suy-yeu"} {
			got, err := repo.FindStoryBySlug(ctx, sec.ID, sl)
			must(t, err)
			if got.ID != s.ID {
				t.Fatalf("FindStoryBySlug(%s) = %s", sl, got.ID)
			}
		}
		_, err = repo.FindStoryBySlug(ctx, sec.ID, "khong-co")
		mustCode(t, err, apperr.CodeNotFound)
		other := f.story(t, sec.ID, author.ID, workflow.Draft, base)
		// The conflict must not poison the surrounding PostgreSQL transaction.
		must(t, db.InTx(ctx, func(ctx context.Context) error {
			mustCode(t, repo.AddSlug(ctx, other.ID, sec.ID, "bao-so-5-do-bo", base), apperr.CodeConflict)
			o, err := repo.SlugOwner(ctx, sec.ID, "bao-so-5-do-bo")
			if o != s.ID {
				t.Errorf("owner after conflict: %q", o)
			}
			return err
		}))
		mustCode(t, repo.AddSlug(ctx, s.ID, uuid.NewString(), "x", base), apperr.CodeInvalid) // missing section

		// Due stories.
		due := f.story(t, sec.ID, author.ID, workflow.Scheduled, base)
		due.PublishAt, due.Version = tp(base.Add(10*time.Minute)), 2
		must(t, repo.UpdateStory(ctx, due, 1))
		for _, c := range []struct {
			at   time.Time
			want int
		}{{base.Add(9 * time.Minute), 0}, {base.Add(10 * time.Minute), 1}, {base.Add(time.Hour), 1}} {
			got, err := repo.FindDueStories(ctx, c.at, 10)
			must(t, err)
			if len(got) != c.want {
				t.Fatalf("FindDueStories(%v) = %d stories, want %d", c.at, len(got), c.want)
			}
		}

		// Revisions.
		for n := 1; n <= 3; n++ {
			snap := *s
			snap.Version = n
			r := &story.Revision{StoryID: s.ID, Number: n, At: base.Add(time.Duration(n) * time.Second), ActorID: author.ID,
				Action: "update", Comment: "lần " + string(rune('0'+n)), Snapshot: snap}
			must(t, repo.CreateRevision(ctx, r))
		}
		sys := &story.Revision{StoryID: s.ID, Number: 4, At: base, ActorID: "", Action: "publish", Snapshot: *s}
		must(t, repo.CreateRevision(ctx, sys)) // the system actor has an empty id
		mustCode(t, repo.CreateRevision(ctx, sys), apperr.CodeConflict)
		revs, err := repo.FindRevisions(ctx, s.ID)
		must(t, err)
		if len(revs) != 4 || revs[0].Number != 4 || revs[3].Number != 1 {
			t.Fatalf("FindRevisions newest first: %d revisions, first %d", len(revs), revs[0].Number)
		}
		rev, err := repo.FindRevision(ctx, s.ID, 4)
		mustRead(t, "revision round trip", rev, err, sys)
		_, err = repo.FindRevision(ctx, s.ID, 99)
		mustCode(t, err, apperr.CodeNotFound)

		// Comments.
		c1 := &story.Comment{ID: uuid.NewString(), StoryID: s.ID, AuthorID: editor.ID, Author: "btv", Action: "reject",
			Body: "Cần thêm nguồn", CreatedAt: base.Add(2 * time.Second)}
		c2 := &story.Comment{ID: uuid.NewString(), StoryID: s.ID, AuthorID: author.ID, Author: "pv", Body: "Đã sửa",
			CreatedAt: base.Add(3 * time.Second)}
		must(t, repo.CreateComment(ctx, c2))
		must(t, repo.CreateComment(ctx, c1))
		cs, err := repo.FindComments(ctx, s.ID)
		mustRead(t, "comments", cs, err, []story.Comment{*c1, *c2})

		// Approvals.
		a2 := &story.Approval{ID: uuid.NewString(), StoryID: s.ID, Level: 2, UserID: editor.ID, Username: "btv",
			Role: user.RoleManagingEditor, Version: 4, At: base.Add(5 * time.Second)}
		a1 := &story.Approval{ID: uuid.NewString(), StoryID: s.ID, Level: 1, UserID: editor.ID, Username: "btv",
			Role: user.RoleEditor, Version: 4, At: base.Add(4 * time.Second)}
		must(t, repo.CreateApproval(ctx, a2))
		must(t, repo.CreateApproval(ctx, a1))
		as, err := repo.FindApprovals(ctx, s.ID)
		mustRead(t, "approvals", as, err, []story.Approval{*a1, *a2})
		must(t, repo.VoidApprovals(ctx, s.ID, base.Add(time.Hour)))
		as, err = repo.FindApprovals(ctx, s.ID)
		must(t, err)
		if len(as) != 0 {
			t.Fatalf("approvals after void: %+v", as)
		}
		a3 := &story.Approval{ID: uuid.NewString(), StoryID: s.ID, Level: 1, UserID: editor.ID, Role: user.RoleEditor, Version: 5, At: base}
		must(t, repo.CreateApproval(ctx, a3))
		as, _ = repo.FindApprovals(ctx, s.ID)
		if len(as) != 1 || as[0].ID != a3.ID {
			t.Fatalf("approvals after re-sign: %+v", as)
		}

		// Sections.
		sec.Name, sec.ApprovalLevels, sec.LevelRoles, sec.UpdatedAt = "Thời sự", 3, story.DefaultLevelRoles, base.Add(time.Hour)
		must(t, repo.UpdateSection(ctx, sec))
		gsec, err := repo.FindSectionByID(ctx, sec.ID)
		mustRead(t, "section round trip", gsec, err, sec)
		_, err = repo.FindSectionByID(ctx, uuid.NewString())
		mustCode(t, err, apperr.CodeNotFound)
		ghostSec := *sec
		ghostSec.ID = uuid.NewString()
		mustCode(t, repo.UpdateSection(ctx, &ghostSec), apperr.CodeNotFound)
		dupSec := *sec
		dupSec.ID = uuid.NewString()
		mustCode(t, repo.CreateSection(ctx, &dupSec), apperr.CodeConflict)
		f.section(t, "am-nhac")
		secs, err := repo.FindSections(ctx)
		must(t, err)
		if len(secs) != 2 || secs[0].Slug != "am-nhac" {
			t.Fatalf("FindSections: %+v", secs)
		}

		// Locks.
		_, err = repo.FindLock(ctx, s.ID)
		mustCode(t, err, apperr.CodeNotFound)
		l := &story.Lock{StoryID: s.ID, UserID: author.ID, Username: "pv", AcquiredAt: base, ExpiresAt: base.Add(5 * time.Minute)}
		must(t, repo.SaveLock(ctx, l))
		l2 := &story.Lock{StoryID: s.ID, UserID: editor.ID, Username: "btv", AcquiredAt: base.Add(time.Minute), ExpiresAt: base.Add(6 * time.Minute)}
		must(t, repo.SaveLock(ctx, l2))
		gl, err := repo.FindLock(ctx, s.ID)
		mustRead(t, "lock round trip", gl, err, l2)
		must(t, repo.DeleteLock(ctx, s.ID))
		must(t, repo.DeleteLock(ctx, s.ID))
		_, err = repo.FindLock(ctx, s.ID)
		mustCode(t, err, apperr.CodeNotFound)
	})
}

func TestInTxRollsBackAndJoins(t *testing.T) {
	forEachFixture(t, func(t *testing.T, ctx context.Context, f *fixture) {
		db := f.db
		sec := f.section(t, "xa-hoi")
		boom := apperr.Conflict("boom")
		var inner *story.Section
		err := db.InTx(ctx, func(ctx context.Context) error {
			if !store.InTransaction(ctx) || store.SQLTx(ctx) == nil {
				t.Error("no transaction in context")
			}
			inner = &story.Section{ID: uuid.NewString(), Name: "n", Slug: "n", ApprovalLevels: 1, CreatedAt: base, UpdatedAt: base}
			return db.InTx(ctx, func(ctx context.Context) error { // nested: joins
				if err := f.stories.CreateSection(ctx, inner); err != nil {
					return err
				}
				// Visible inside the transaction.
				if _, err := f.stories.FindSectionByID(ctx, inner.ID); err != nil {
					return err
				}
				return boom
			})
		})
		if err != boom {
			t.Fatalf("InTx returned %v, want fn's error untouched", err)
		}
		_, err = f.stories.FindSectionByID(ctx, inner.ID)
		mustCode(t, err, apperr.CodeNotFound)
		_, err = f.stories.FindSectionByID(ctx, sec.ID)
		must(t, err)
	})
}

// TestStoryChannelVersions: the radio and TV versions round-trip through the
// stories table and revision snapshots, removing one stores NULL, and a
// snapshot written before the versions existed still decodes.
func TestStoryChannelVersions(t *testing.T) {
	forEachFixture(t, func(t *testing.T, ctx context.Context, f *fixture) {
		db := f.db
		repo := f.stories
		sec := f.section(t, "thoi-su")
		author := f.user(t, "pv", user.RoleReporter)
		s := f.story(t, sec.ID, author.ID, workflow.Draft, base)
		if s.Radio != nil || s.TV != nil {
			t.Fatalf("a new story has versions: %+v %+v", s.Radio, s.TV)
		}
		clip := uuid.NewString()
		s.Radio = &story.RadioVersion{Script: "Kính chào quý vị.\n\nSáng nay, tỉnh Hưng Yên khởi công cầu.", Presenter: "Thu Hà",
			AudioAssetID: uuid.NewString(), AudioSeconds: 42, ReadSeconds: 5, TotalSeconds: 47}
		s.TV = &story.TVVersion{Segments: []story.TVSegment{
			{Type: story.SegmentAnchor, Script: "Thưa quý vị, sáng nay…", DurationSeconds: 4},
			{Type: story.SegmentSOT, Script: "Ông Bình: …", VideoAssetID: clip, InSeconds: 1.5, OutSeconds: 20, DurationSeconds: 19},
			{Type: story.SegmentGraphic, DurationSeconds: 6},
		}, TotalSeconds: 29}
		s.Version, s.UpdatedAt = 2, base.Add(time.Minute)
		must(t, repo.UpdateStory(ctx, s, 1))
		got, err := repo.FindStoryByID(ctx, s.ID, false)
		must(t, err)
		if !reflect.DeepEqual(got.Radio, s.Radio) || !reflect.DeepEqual(got.TV, s.TV) {
			t.Fatalf("round trip:\n got %+v %+v\nwant %+v %+v", got.Radio, got.TV, s.Radio, s.TV)
		}
		list, err := repo.FindStories(ctx, story.Filter{Visibility: story.Visibility{UserID: author.ID}, Limit: 10})
		must(t, err)
		if len(list) != 1 || !reflect.DeepEqual(list[0].TV, s.TV) {
			t.Fatalf("list lost the TV version: %+v", list)
		}

		// Assets named only inside the versions count as used (DELETE of an
		// asset a published story's radio or TV version needs is refused).
		assets := store.NewAssetRepository(db)
		for _, id := range []string{s.Radio.AudioAssetID, clip} {
			refs, err := assets.StoriesUsing(ctx, id)
			must(t, err)
			if len(refs) != 1 || refs[0].ID != s.ID || refs[0].Headline != s.Headline {
				t.Fatalf("StoriesUsing(%s) = %+v, want the story", id, refs)
			}
		}
		if refs, err := assets.StoriesUsing(ctx, uuid.NewString()); err != nil || len(refs) != 0 {
			t.Fatalf("StoriesUsing(unused) = %+v, %v", refs, err)
		}

		must(t, repo.CreateRevision(ctx, &story.Revision{StoryID: s.ID, Number: 2, At: s.UpdatedAt, ActorID: author.ID, Action: "update", Snapshot: *got}))
		rev, err := repo.FindRevision(ctx, s.ID, 2)
		must(t, err)
		if !reflect.DeepEqual(rev.Snapshot.Radio, s.Radio) || !reflect.DeepEqual(rev.Snapshot.TV, s.TV) {
			t.Fatalf("snapshot: %+v %+v", rev.Snapshot.Radio, rev.Snapshot.TV)
		}

		// Removing the radio version stores NULL, not a JSON null or {}.
		s.Radio, s.Version, s.UpdatedAt = nil, 3, base.Add(2*time.Minute)
		must(t, repo.UpdateStory(ctx, s, 2))
		var nulls int
		must(t, db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM stories WHERE id = $1 AND radio_version IS NULL AND tv_version IS NOT NULL", s.ID).Scan(&nulls))
		if nulls != 1 {
			t.Fatal("radio_version is not NULL after removing the version")
		}
		got, err = repo.FindStoryByID(ctx, s.ID, false)
		must(t, err)
		if got.Radio != nil || got.TV == nil {
			t.Fatalf("after removing radio: %+v %+v", got.Radio, got.TV)
		}

		// A snapshot from before migration 00009 has no "radio" or "tv".
		old := `{"id":"` + s.ID + `","section_id":"` + sec.ID + `","headline":"Cũ","tags":[],"channels":["web","radio"],"state":"draft","version":1}`
		if _, err := db.SQL.ExecContext(ctx, "UPDATE story_revisions SET snapshot = $1 WHERE story_id = $2 AND number = 2", old, s.ID); err != nil {
			t.Fatal(err)
		}
		rev, err = repo.FindRevision(ctx, s.ID, 2)
		must(t, err)
		if rev.Snapshot.Headline != "Cũ" || rev.Snapshot.Radio != nil || rev.Snapshot.TV != nil {
			t.Fatalf("old snapshot: %+v", rev.Snapshot)
		}
	})
}
