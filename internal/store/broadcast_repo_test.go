package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

func TestBroadcastRepository(t *testing.T) {
	forEachFixture(t, func(t *testing.T, ctx context.Context, f *fixture) {
		db := f.db
		repo := store.NewBroadcastRepository(db)
		author := f.user(t, "phongvien", user.RoleReporter)
		sec := f.section(t, "thoi-su")
		st := f.story(t, sec.ID, author.ID, workflow.Approved, base)

		// Programmes: round trip, unique slug, compare-and-set update.
		p := &broadcast.Programme{ID: uuid.NewString(), Name: "Thời sự sáng", Slug: "thoi-su-sang", Channel: story.ChannelRadio,
			Schedule: broadcast.Schedule{Days: []broadcast.Weekday{"mon", "tue"}, Start: "06:00"}, PlannedSeconds: 900,
			Description: "Bản tin", Podcast: broadcast.Podcast{Author: "Đài", OwnerEmail: "a@b.vn", Category: "News", Explicit: true},
			Version: 1, CreatedAt: base, UpdatedAt: base}
		must(t, repo.CreateProgramme(ctx, p))
		got, err := repo.FindProgrammeByID(ctx, p.ID)
		mustRead(t, "programme read back", got, err, p)
		if bySlug, err := repo.FindProgrammeBySlug(ctx, "thoi-su-sang"); err != nil || bySlug.ID != p.ID {
			t.Fatalf("by slug: %v %v", bySlug, err)
		}
		dup := *p
		dup.ID = uuid.NewString()
		mustCode(t, repo.CreateProgramme(ctx, &dup), apperr.CodeConflict)
		noImage := *p
		noImage.ID, noImage.Slug, noImage.Podcast.ImageAssetID = uuid.NewString(), "khac", uuid.NewString()
		err = repo.CreateProgramme(ctx, &noImage)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeInvalid || e.Details["field"] != "podcast.image_asset_id" {
			t.Fatalf("missing image asset: %v", err)
		}
		p.Name, p.Version, p.UpdatedAt = "Thời sự 6 giờ", 2, base.Add(time.Minute)
		must(t, repo.UpdateProgramme(ctx, p, 1))
		stale := *p
		stale.Name, stale.Version = "Lỗi thời", 2
		mustCode(t, repo.UpdateProgramme(ctx, &stale, 1), apperr.CodePreconditionFailed)
		if got, _ := repo.FindProgrammeByID(ctx, p.ID); got.Name != "Thời sự 6 giờ" || got.Version != 2 {
			t.Fatalf("after stale update: %+v", got)
		}
		tv := &broadcast.Programme{ID: uuid.NewString(), Name: "An ninh", Slug: "an-ninh", Channel: story.ChannelTV, PlannedSeconds: 60,
			Version: 1, CreatedAt: base, UpdatedAt: base}
		must(t, repo.CreateProgramme(ctx, tv))
		if list, err := repo.FindProgrammes(ctx, ""); err != nil || len(list) != 2 || list[0].ID != tv.ID {
			t.Fatalf("programmes by name: %v %v", list, err)
		}
		if list, err := repo.FindProgrammes(ctx, story.ChannelRadio); err != nil || len(list) != 1 || list[0].ID != p.ID {
			t.Fatalf("radio programmes: %v %v", list, err)
		}

		// Rundowns: items in order, compare-and-set, one airing per time, keyset list.
		at := time.Date(2026, 11, 26, 23, 0, 0, 0, time.UTC)
		rd := &broadcast.Rundown{ID: uuid.NewString(), ProgrammeID: p.ID, OnAirAt: at, PlannedSeconds: 900, State: broadcast.Planned,
			Version: 1, CreatedBy: author.ID, CreatedAt: base, UpdatedAt: base, Items: []broadcast.Item{
				{ID: uuid.NewString(), Position: 1, Kind: broadcast.KindJingle, Title: "Nhạc hiệu", PlannedSeconds: 10},
				{ID: uuid.NewString(), Position: 2, Kind: broadcast.KindStory, StoryID: st.ID, StoryVersion: 1, StoryFingerprint: "abc",
					Title: "Tít bài", PlannedSeconds: 90, Notes: "Đọc chậm"},
			}}
		must(t, repo.CreateRundown(ctx, rd))
		again := *rd
		again.ID, again.Items = uuid.NewString(), nil
		mustCode(t, repo.CreateRundown(ctx, &again), apperr.CodeConflict)
		gotR, err := repo.FindRundownByID(ctx, rd.ID)
		mustRead(t, "rundown read back", gotR, err, rd)
		moved := *gotR
		moved.Items = []broadcast.Item{gotR.Items[1], gotR.Items[0]}
		moved.Items[0].Position, moved.Items[1].Position = 1, 2
		moved.Version, moved.UpdatedAt = 2, base.Add(time.Hour)
		must(t, db.InTx(ctx, func(ctx context.Context) error { return repo.UpdateRundown(ctx, &moved, 1) }))
		loser := *gotR
		loser.Items = gotR.Items[:1]
		loser.Version = 2
		err = db.InTx(ctx, func(ctx context.Context) error { return repo.UpdateRundown(ctx, &loser, 1) })
		if e, ok := apperr.As(err); !ok || e.Code != apperr.CodePreconditionFailed || e.Details["current_version"] != 2 {
			t.Fatalf("stale rundown update: %v", err)
		}
		gotR, err = repo.FindRundownByID(ctx, rd.ID)
		must(t, err)
		if len(gotR.Items) != 2 || gotR.Items[0].Kind != broadcast.KindStory || gotR.Items[0].StoryFingerprint != "abc" || gotR.Version != 2 {
			t.Fatalf("after move: %+v", gotR)
		}
		for i := 1; i <= 3; i++ {
			r := &broadcast.Rundown{ID: uuid.NewString(), ProgrammeID: tv.ID, OnAirAt: at.Add(time.Duration(i) * 24 * time.Hour), PlannedSeconds: 60,
				State: broadcast.Planned, Version: 1, CreatedAt: base, UpdatedAt: base}
			must(t, repo.CreateRundown(ctx, r))
		}
		page, err := repo.FindRundowns(ctx, broadcast.RundownFilter{Limit: 2})
		must(t, err)
		if len(page) != 2 || page[0].ID != rd.ID || len(page[0].Items) != 2 || len(page[1].Items) != 0 {
			t.Fatalf("first page: %+v", page)
		}
		rest, err := repo.FindRundowns(ctx, broadcast.RundownFilter{After: &broadcast.RundownCursor{OnAirAt: page[1].OnAirAt, ID: page[1].ID}})
		must(t, err)
		if len(rest) != 2 || !rest[0].OnAirAt.After(page[1].OnAirAt) {
			t.Fatalf("rest: %+v", rest)
		}
		window, err := repo.FindRundowns(ctx, broadcast.RundownFilter{ProgrammeID: tv.ID, From: at.Add(24 * time.Hour), To: at.Add(72 * time.Hour)})
		must(t, err)
		if len(window) != 2 {
			t.Fatalf("tv rundowns in the window: %d", len(window))
		}
		if n, err := repo.CountRundowns(ctx, tv.ID); err != nil || n != 3 {
			t.Fatalf("count %d %v", n, err)
		}
		mustCode(t, repo.DeleteRundown(ctx, rd.ID, 1), apperr.CodePreconditionFailed)
		must(t, repo.DeleteRundown(ctx, rd.ID, 2))
		mustCode(t, func() error { _, err := repo.FindRundownByID(ctx, rd.ID); return err }(), apperr.CodeNotFound)
		must(t, repo.DeleteProgramme(ctx, p.ID))
		mustCode(t, repo.DeleteProgramme(ctx, p.ID), apperr.CodeNotFound)
	})
}
