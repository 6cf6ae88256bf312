package store

import (
	"context"
	"fmt"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// broadcastRepo is the broadcast.Repository on a DB.
type broadcastRepo struct{ db *DB }

// NewBroadcastRepository returns the programmes and rundowns repository backed by db.
func NewBroadcastRepository(db *DB) broadcast.Repository { return &broadcastRepo{db: db} }

type programmeRow struct {
	ID                  string `gorm:"primaryKey"`
	Name                string
	Slug                string
	Channel             string
	ScheduleDays        jsonCol[[]broadcast.Weekday]
	ScheduleStart       string
	PlannedSeconds      int
	Description         string
	PodcastAuthor       string
	PodcastOwnerEmail   string
	PodcastCategory     string
	PodcastImageAssetID *string
	PodcastExplicit     bool
	Version             int
	CreatedAt           dbTime `gorm:"autoCreateTime:false"`
	UpdatedAt           dbTime `gorm:"autoUpdateTime:false"`
}

func (programmeRow) TableName() string { return "programmes" }

func programmeToRow(p *broadcast.Programme) programmeRow {
	var img *string
	if p.Podcast.ImageAssetID != "" {
		v := p.Podcast.ImageAssetID
		img = &v
	}
	return programmeRow{ID: p.ID, Name: p.Name, Slug: p.Slug, Channel: string(p.Channel),
		ScheduleDays: jsonCol[[]broadcast.Weekday]{V: list(p.Schedule.Days)}, ScheduleStart: p.Schedule.Start,
		PlannedSeconds: p.PlannedSeconds, Description: p.Description, PodcastAuthor: p.Podcast.Author,
		PodcastOwnerEmail: p.Podcast.OwnerEmail, PodcastCategory: p.Podcast.Category, PodcastImageAssetID: img,
		PodcastExplicit: p.Podcast.Explicit, Version: p.Version, CreatedAt: toDB(p.CreatedAt), UpdatedAt: toDB(p.UpdatedAt)}
}

func (r programmeRow) toDomain() broadcast.Programme {
	img := ""
	if r.PodcastImageAssetID != nil {
		img = *r.PodcastImageAssetID
	}
	return broadcast.Programme{ID: r.ID, Name: r.Name, Slug: r.Slug, Channel: story.Channel(r.Channel),
		Schedule:       broadcast.Schedule{Days: list(r.ScheduleDays.V), Start: r.ScheduleStart},
		PlannedSeconds: r.PlannedSeconds, Description: r.Description,
		Podcast: broadcast.Podcast{Author: r.PodcastAuthor, OwnerEmail: r.PodcastOwnerEmail, Category: r.PodcastCategory,
			ImageAssetID: img, Explicit: r.PodcastExplicit},
		Version: r.Version, CreatedAt: r.CreatedAt.T, UpdatedAt: r.UpdatedAt.T}
}

type rundownRow struct {
	ID             string `gorm:"primaryKey"`
	ProgrammeID    string
	OnAirAt        dbTime
	PlannedSeconds int
	State          string
	Version        int
	CreatedBy      string
	CreatedAt      dbTime `gorm:"autoCreateTime:false"`
	UpdatedAt      dbTime `gorm:"autoUpdateTime:false"`
	// RecordingAssetID: migration 00012.
	RecordingAssetID *string
}

func (rundownRow) TableName() string { return "rundowns" }

type rundownItemRow struct {
	ID               string `gorm:"primaryKey"`
	RundownID        string
	Position         int
	Kind             string
	StoryID          *string
	StoryVersion     int
	StoryFingerprint string
	Title            string
	PlannedSeconds   int
	Notes            string
	Script           string
}

func (rundownItemRow) TableName() string { return "rundown_items" }

func rundownToRow(r *broadcast.Rundown) rundownRow {
	var rec *string
	if r.RecordingAssetID != "" {
		v := r.RecordingAssetID
		rec = &v
	}
	return rundownRow{ID: r.ID, ProgrammeID: r.ProgrammeID, OnAirAt: toDB(r.OnAirAt), PlannedSeconds: r.PlannedSeconds,
		State: string(r.State), Version: r.Version, CreatedBy: r.CreatedBy, CreatedAt: toDB(r.CreatedAt), UpdatedAt: toDB(r.UpdatedAt),
		RecordingAssetID: rec}
}

func (r rundownRow) toDomain(items []broadcast.Item) broadcast.Rundown {
	rec := ""
	if r.RecordingAssetID != nil {
		rec = *r.RecordingAssetID
	}
	return broadcast.Rundown{ID: r.ID, ProgrammeID: r.ProgrammeID, OnAirAt: r.OnAirAt.T, PlannedSeconds: r.PlannedSeconds,
		State: broadcast.State(r.State), RecordingAssetID: rec, Version: r.Version, CreatedBy: r.CreatedBy, Items: list(items),
		CreatedAt: r.CreatedAt.T, UpdatedAt: r.UpdatedAt.T}
}

func itemToRow(rundownID string, it broadcast.Item) rundownItemRow {
	var sid *string
	if it.StoryID != "" {
		v := it.StoryID
		sid = &v
	}
	return rundownItemRow{ID: it.ID, RundownID: rundownID, Position: it.Position, Kind: string(it.Kind), StoryID: sid,
		StoryVersion: it.StoryVersion, StoryFingerprint: it.StoryFingerprint, Title: it.Title, PlannedSeconds: it.PlannedSeconds,
		Notes: it.Notes, Script: it.Script}
}

func (r rundownItemRow) toDomain() broadcast.Item {
	sid := ""
	if r.StoryID != nil {
		sid = *r.StoryID
	}
	return broadcast.Item{ID: r.ID, Position: r.Position, Kind: broadcast.ItemKind(r.Kind), StoryID: sid, StoryVersion: r.StoryVersion,
		StoryFingerprint: r.StoryFingerprint, Title: r.Title, PlannedSeconds: r.PlannedSeconds, Notes: r.Notes, Script: r.Script}
}

// programmeError names the field behind a constraint the database refused.
func programmeError(err error, p *broadcast.Programme, what string) error {
	switch {
	case err == nil:
		return nil
	case isUniqueViolation(err):
		return fmt.Errorf("store: %s: %w", what, apperr.Conflict("store.programme_slug_taken", p.Slug).
			WithDetails(map[string]any{"field": "slug"}))
	case isForeignKeyViolation(err):
		return fmt.Errorf("store: %s: %w", what, apperr.InvalidField("podcast.image_asset_id",
			"store.podcast_image_not_found", p.Podcast.ImageAssetID))
	}
	return wrap(err, what)
}

// CreateProgramme inserts a programme; a slug already taken is Conflict.
func (r *broadcastRepo) CreateProgramme(ctx context.Context, p *broadcast.Programme) error {
	p.CreatedAt, p.UpdatedAt = norm(p.CreatedAt), norm(p.UpdatedAt)
	p.Schedule.Days = list(p.Schedule.Days)
	row := programmeToRow(p)
	return programmeError(r.db.conn(ctx).Create(&row).Error, p, "create programme "+p.ID)
}

// UpdateProgramme writes every field but id and created_at, guarded by the version.
func (r *broadcastRepo) UpdateProgramme(ctx context.Context, p *broadcast.Programme, ifVersion int) error {
	p.UpdatedAt = norm(p.UpdatedAt)
	p.Schedule.Days = list(p.Schedule.Days)
	row := programmeToRow(p)
	res := r.db.conn(ctx).Model(&programmeRow{}).Where("id = ? AND version = ?", p.ID, ifVersion).
		Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return programmeError(res.Error, p, "update programme "+p.ID)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	cur, err := r.FindProgrammeByID(ctx, p.ID)
	if err != nil {
		return err
	}
	return fmt.Errorf("store: update programme %s: %w", p.ID, apperr.PreconditionFailed(
		"store.programme_changed", cur.Version).WithDetails(map[string]any{"current_version": cur.Version}))
}

// DeleteProgramme removes a programme (refused by the database while rundowns refer to it).
func (r *broadcastRepo) DeleteProgramme(ctx context.Context, id string) error {
	res := r.db.conn(ctx).Where("id = ?", id).Delete(&programmeRow{})
	return touchedOne(res, "delete programme "+id, "programme "+id)
}

func (r *broadcastRepo) findProgramme(ctx context.Context, col, v string) (*broadcast.Programme, error) {
	return findFirst[broadcast.Programme, programmeRow](r.db.conn(ctx).Where(col+" = ?", v), "find programme "+v, "programme "+v)
}

// FindProgrammeByID returns a programme or NotFound.
func (r *broadcastRepo) FindProgrammeByID(ctx context.Context, id string) (*broadcast.Programme, error) {
	return r.findProgramme(ctx, "id", id)
}

// FindProgrammeBySlug returns the programme holding slug or NotFound.
func (r *broadcastRepo) FindProgrammeBySlug(ctx context.Context, slug string) (*broadcast.Programme, error) {
	return r.findProgramme(ctx, "slug", slug)
}

// FindProgrammes lists programmes by name; channel "" lists all.
func (r *broadcastRepo) FindProgrammes(ctx context.Context, channel story.Channel) ([]broadcast.Programme, error) {
	q := r.db.conn(ctx)
	if channel != "" {
		q = q.Where("channel = ?", string(channel))
	}
	return findAll[broadcast.Programme, programmeRow](q.Order("name, id"), "find programmes")
}

// CountRundowns counts a programme's rundowns.
func (r *broadcastRepo) CountRundowns(ctx context.Context, programmeID string) (int, error) {
	var n int64
	if err := r.db.conn(ctx).Model(&rundownRow{}).Where("programme_id = ?", programmeID).Count(&n).Error; err != nil {
		return 0, wrap(err, "count rundowns of programme "+programmeID)
	}
	return int(n), nil
}

func normRundown(rd *broadcast.Rundown) {
	rd.OnAirAt, rd.CreatedAt, rd.UpdatedAt = norm(rd.OnAirAt), norm(rd.CreatedAt), norm(rd.UpdatedAt)
	rd.Items = list(rd.Items)
}

func (r *broadcastRepo) insertItems(ctx context.Context, rd *broadcast.Rundown) error {
	if len(rd.Items) == 0 {
		return nil
	}
	rows := make([]rundownItemRow, len(rd.Items))
	for i, it := range rd.Items {
		rows[i] = itemToRow(rd.ID, it)
	}
	return wrap(r.db.conn(ctx).Create(&rows).Error, "insert items of rundown "+rd.ID)
}

// CreateRundown inserts the rundown and its items; a second rundown of the
// programme at the same on-air time is Conflict.
func (r *broadcastRepo) CreateRundown(ctx context.Context, rd *broadcast.Rundown) error {
	normRundown(rd)
	row := rundownToRow(rd)
	if err := r.db.conn(ctx).Create(&row).Error; err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: create rundown %s: %w", rd.ID, apperr.Conflict(
				"store.rundown_time_taken", apperr.ByLang(vntime.Format(rd.OnAirAt), rd.OnAirAt.Format("2006-01-02T15:04:05Z07:00"))).WithDetails(map[string]any{"field": "on_air_at"}))
		}
		return wrap(err, "create rundown "+rd.ID)
	}
	return r.insertItems(ctx, rd)
}

// UpdateRundown writes the rundown guarded by "version = ifVersion" and, when
// it won, replaces its items: concurrent writers cannot both win, and the
// loser changes nothing. Call it inside a transaction.
func (r *broadcastRepo) UpdateRundown(ctx context.Context, rd *broadcast.Rundown, ifVersion int) error {
	normRundown(rd)
	row := rundownToRow(rd)
	res := r.db.conn(ctx).Model(&rundownRow{}).Where("id = ? AND version = ?", rd.ID, ifVersion).
		Select("*").Omit("id", "created_at", "created_by").Updates(&row)
	if res.Error != nil {
		if isUniqueViolation(res.Error) {
			return fmt.Errorf("store: update rundown %s: %w", rd.ID, apperr.Conflict(
				"store.rundown_time_taken", apperr.ByLang(vntime.Format(rd.OnAirAt), rd.OnAirAt.Format("2006-01-02T15:04:05Z07:00"))).
				WithDetails(map[string]any{"field": "on_air_at"}))
		}
		return wrap(res.Error, "update rundown "+rd.ID)
	}
	if res.RowsAffected == 0 {
		return r.staleRundown(ctx, rd.ID)
	}
	if err := r.db.conn(ctx).Where("rundown_id = ?", rd.ID).Delete(&rundownItemRow{}).Error; err != nil {
		return wrap(err, "replace items of rundown "+rd.ID)
	}
	return r.insertItems(ctx, rd)
}

func (r *broadcastRepo) staleRundown(ctx context.Context, id string) error {
	cur, err := r.FindRundownByID(ctx, id)
	if err != nil {
		return err
	}
	return fmt.Errorf("store: update rundown %s: %w", id, apperr.PreconditionFailed(
		"store.rundown_changed", cur.Version).WithDetails(map[string]any{"current_version": cur.Version}))
}

// DeleteRundown removes the rundown (its items go with it) if still at ifVersion.
func (r *broadcastRepo) DeleteRundown(ctx context.Context, id string, ifVersion int) error {
	res := r.db.conn(ctx).Where("id = ? AND version = ?", id, ifVersion).Delete(&rundownRow{})
	if res.Error != nil {
		return wrap(res.Error, "delete rundown "+id)
	}
	if res.RowsAffected == 0 {
		return r.staleRundown(ctx, id)
	}
	return nil
}

// itemsOf loads the items of the rundowns, in position order.
func (r *broadcastRepo) itemsOf(ctx context.Context, ids []string) (map[string][]broadcast.Item, error) {
	out := map[string][]broadcast.Item{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []rundownItemRow
	if err := r.db.conn(ctx).Where("rundown_id IN ?", ids).Order("rundown_id, position").Find(&rows).Error; err != nil {
		return nil, wrap(err, "find rundown items")
	}
	for _, row := range rows {
		out[row.RundownID] = append(out[row.RundownID], row.toDomain())
	}
	return out, nil
}

// FindRundownByID returns the rundown with its items, or NotFound.
func (r *broadcastRepo) FindRundownByID(ctx context.Context, id string) (*broadcast.Rundown, error) {
	row, err := firstRow[rundownRow](r.db.conn(ctx).Where("id = ?", id), "find rundown "+id, "rundown "+id)
	if err != nil {
		return nil, err
	}
	items, err := r.itemsOf(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	rd := row.toDomain(items[id])
	return &rd, nil
}

// FindRundowns lists rundowns with their items in (on_air_at, id) order,
// strictly after f.After; From is inclusive, To exclusive; Limit 0 means no limit.
func (r *broadcastRepo) FindRundowns(ctx context.Context, f broadcast.RundownFilter) ([]broadcast.Rundown, error) {
	q := r.db.conn(ctx).Model(&rundownRow{})
	if f.ProgrammeID != "" {
		q = q.Where("programme_id = ?", f.ProgrammeID)
	}
	if !f.From.IsZero() {
		q = q.Where("on_air_at >= ?", toDB(f.From))
	}
	if !f.To.IsZero() {
		q = q.Where("on_air_at < ?", toDB(f.To))
	}
	q = q.Scopes(keysetScope("on_air_at", oldestFirst, f.After, rundownKey, f.Limit))
	var rows []rundownRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, wrap(err, "find rundowns")
	}
	return r.rundownsWithItems(ctx, rows)
}

// rundownsWithItems loads the items of rows and returns the rundowns in the rows' order.
func (r *broadcastRepo) rundownsWithItems(ctx context.Context, rows []rundownRow) ([]broadcast.Rundown, error) {
	items, err := r.itemsOf(ctx, keysOf(rows, func(row rundownRow) string { return row.ID }))
	if err != nil {
		return nil, err
	}
	out := make([]broadcast.Rundown, len(rows))
	for i, row := range rows {
		out[i] = row.toDomain(items[row.ID])
	}
	return out, nil
}

// FindEpisodes lists a programme's done rundowns that have a recording, newest
// first (index rundowns_episodes_idx), strictly after f.After.
func (r *broadcastRepo) FindEpisodes(ctx context.Context, f broadcast.EpisodeFilter) ([]broadcast.Rundown, error) {
	q := r.db.conn(ctx).Model(&rundownRow{}).
		Where("programme_id = ? AND state = ? AND recording_asset_id IS NOT NULL", f.ProgrammeID, string(broadcast.Done))
	q = q.Scopes(keysetScope("on_air_at", newestFirst, f.After, rundownKey, f.Limit))
	var rows []rundownRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, wrap(err, "find episodes of programme "+f.ProgrammeID)
	}
	return r.rundownsWithItems(ctx, rows)
}

// FindRundownIDsPlacing lists the rundowns in one of states whose items place
// the story (index rundown_items_story_idx).
func (r *broadcastRepo) FindRundownIDsPlacing(ctx context.Context, storyID string, states []broadcast.State) ([]string, error) {
	st := make([]string, len(states))
	for i, s := range states {
		st[i] = string(s)
	}
	var ids []string
	err := r.db.conn(ctx).Table("rundown_items").Distinct("rundown_items.rundown_id").
		Joins("JOIN rundowns ON rundowns.id = rundown_items.rundown_id").
		Where("rundown_items.story_id = ? AND rundowns.state IN ?", storyID, st).
		Order("rundown_items.rundown_id").Pluck("rundown_items.rundown_id", &ids).Error
	if err != nil {
		return nil, wrap(err, "find rundowns placing story "+storyID)
	}
	return ids, nil
}

// FindPlacedStories reads the headline, slug, section and state of stories in one query.
func (r *broadcastRepo) FindPlacedStories(ctx context.Context, ids []string) (map[string]broadcast.PlacedStory, error) {
	out := map[string]broadcast.PlacedStory{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID, Headline, Slug, SectionID, State string
	}
	err := r.db.conn(ctx).Table("stories").Select("id, headline, slug, section_id, state").Where("id IN ?", ids).Scan(&rows).Error
	if err != nil {
		return nil, wrap(err, "find placed stories")
	}
	for _, row := range rows {
		out[row.ID] = broadcast.PlacedStory{ID: row.ID, Headline: row.Headline, Slug: row.Slug, SectionID: row.SectionID,
			State: workflow.State(row.State)}
	}
	return out, nil
}

// rundownKey is the position of a rundown cursor in (on_air_at, id) order.
func rundownKey(c broadcast.RundownCursor) (time.Time, string) { return c.OnAirAt, c.ID }
