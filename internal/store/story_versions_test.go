package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

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
