package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// storyRepo is the story.Repository on a DB.
type storyRepo struct{ db *DB }

// NewStoryRepository returns the story.Repository (stories, slugs,
// revisions, comments, approvals, sections, edit locks) backed by db. Calls
// made with a context from db.InTx join that transaction.
func NewStoryRepository(db *DB) story.Repository { return &storyRepo{db: db} }

type storyRow struct {
	ID          string `gorm:"primaryKey"`
	SectionID   string
	Headline    string
	Sapo        string
	Body        string
	Byline      string
	Tags        jsonCol[[]string]
	Channels    jsonCol[[]story.Channel]
	State       string
	Version     int
	Slug        string
	AuthorID    string
	AssigneeID  *string
	PublishAt   nullTime
	PublishedAt nullTime
	CorrectedAt nullTime
	KilledAt    nullTime
	Correction  string
	KillReason  string
	CreatedAt   dbTime `gorm:"autoCreateTime:false"`
	UpdatedAt   dbTime `gorm:"autoUpdateTime:false"`
	// RadioVersion and TVVersion are the channel versions (migration 00009), NULL when absent.
	RadioVersion nullJSON[story.RadioVersion]
	TVVersion    nullJSON[story.TVVersion] `gorm:"column:tv_version"`
	// BodyText is the body as plain text, written for the search index (migration 00002).
	BodyText string `gorm:"->:false;<-"`
}

func (storyRow) TableName() string { return "stories" }

// nullJSON is a nullable JSON column (jsonb or TEXT): a nil V is SQL NULL.
type nullJSON[T any] struct{ V *T }

// Value writes the JSON text, or NULL.
func (j nullJSON[T]) Value() (driver.Value, error) {
	if j.V == nil {
		return nil, nil
	}
	return jsonCol[*T]{V: j.V}.Value()
}

// Scan decodes JSON text; NULL (or JSON null) gives nil.
func (j *nullJSON[T]) Scan(src any) error {
	var c jsonCol[*T]
	if err := c.Scan(src); err != nil {
		return err
	}
	j.V = c.V
	return nil
}

// GormDataType names the column type, so GORM never probes the struct's fields.
func (nullJSON[T]) GormDataType() string { return "json" }

// normStory puts s's times and lists in the stored form, so the caller's
// value equals what a later read returns.
func normStory(s *story.Story) {
	s.CreatedAt, s.UpdatedAt = norm(s.CreatedAt), norm(s.UpdatedAt)
	s.PublishAt, s.PublishedAt = normPtr(s.PublishAt), normPtr(s.PublishedAt)
	s.CorrectedAt, s.KilledAt = normPtr(s.CorrectedAt), normPtr(s.KilledAt)
	s.Tags, s.Channels = list(s.Tags), list(s.Channels)
}

func storyToRow(s *story.Story) storyRow {
	return storyRow{ID: s.ID, SectionID: s.SectionID, Headline: s.Headline, Sapo: s.Sapo, Body: s.Body,
		Byline: s.Byline, Tags: jsonCol[[]string]{V: list(s.Tags)}, Channels: jsonCol[[]story.Channel]{V: list(s.Channels)},
		State: string(s.State), Version: s.Version, Slug: s.Slug, AuthorID: s.AuthorID, AssigneeID: s.AssigneeID,
		PublishAt: toNull(s.PublishAt), PublishedAt: toNull(s.PublishedAt), CorrectedAt: toNull(s.CorrectedAt),
		KilledAt: toNull(s.KilledAt), Correction: s.Correction, KillReason: s.KillReason,
		CreatedAt: toDB(s.CreatedAt), UpdatedAt: toDB(s.UpdatedAt), BodyText: richtext.PlainText(s.Body),
		RadioVersion: nullJSON[story.RadioVersion]{V: s.Radio}, TVVersion: nullJSON[story.TVVersion]{V: s.TV}}
}

func (r storyRow) toDomain() story.Story {
	return story.Story{ID: r.ID, SectionID: r.SectionID, Headline: r.Headline, Sapo: r.Sapo, Body: r.Body,
		Byline: r.Byline, Tags: list(r.Tags.V), Channels: list(r.Channels.V), State: workflow.State(r.State),
		Version: r.Version, Slug: r.Slug, AuthorID: r.AuthorID, AssigneeID: r.AssigneeID,
		PublishAt: r.PublishAt.Ptr(), PublishedAt: r.PublishedAt.Ptr(), CorrectedAt: r.CorrectedAt.Ptr(),
		KilledAt: r.KilledAt.Ptr(), Correction: r.Correction, KillReason: r.KillReason,
		Radio: r.RadioVersion.V, TV: r.TVVersion.V,
		CreatedAt: r.CreatedAt.T, UpdatedAt: r.UpdatedAt.T}
}

// CreateStory inserts the story; an id already used is Conflict.
func (r *storyRepo) CreateStory(ctx context.Context, s *story.Story) error {
	normStory(s)
	row := storyToRow(s)
	return wrap(r.db.conn(ctx).Create(&row).Error, "create story "+s.ID)
}

// UpdateStory writes every field but id and created_at in one statement
// guarded by "version = ifVersion", so concurrent writers cannot both win.
// When no row matches it re-reads: NotFound if the story is gone, else
// PreconditionFailed carrying the current version and story.
func (r *storyRepo) UpdateStory(ctx context.Context, s *story.Story, ifVersion int) error {
	normStory(s)
	row := storyToRow(s)
	res := r.db.conn(ctx).Model(&storyRow{}).Where("id = ? AND version = ?", s.ID, ifVersion).
		Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return wrap(res.Error, "update story "+s.ID)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	cur, err := r.FindStoryByID(ctx, s.ID, false)
	if err != nil {
		return err
	}
	return fmt.Errorf("store: update story %s: %w", s.ID, apperr.PreconditionFailed(
		"store.story_changed", cur.Version).WithDetails(map[string]any{"current_version": cur.Version, "story": cur}))
}

// FindStoryByID returns the story or NotFound; forUpdate adds FOR UPDATE on
// PostgreSQL (inside a transaction it holds the row until commit).
func (r *storyRepo) FindStoryByID(ctx context.Context, id string, forUpdate bool) (*story.Story, error) {
	q := r.db.conn(ctx).Where("id = ?", id).Limit(1)
	if forUpdate {
		q = r.db.forUpdate(q)
	}
	return findFirst[story.Story, storyRow](q, "find story "+id, "find story "+id)
}

// visibilitySQL is story.Visibility.Allows as a WHERE condition: the
// reader's own stories, or every published story when PublishedEverywhere,
// or a story in States within SectionIDs (nil: all sections). An empty States
// list, or an empty non-nil SectionIDs, matches nothing in that branch; a
// zero Visibility matches nothing at all.
func visibilitySQL(v story.Visibility) (string, []any) {
	var ors []string
	var args []any
	if v.UserID != "" {
		ors = append(ors, "author_id = ?")
		args = append(args, v.UserID)
	}
	if v.PublishedEverywhere {
		ors = append(ors, "state = ?")
		args = append(args, string(workflow.Published))
	}
	if len(v.States) > 0 {
		states := stateStrings(v.States)
		switch {
		case v.SectionIDs == nil:
			ors = append(ors, "state IN ?")
			args = append(args, states)
		case len(v.SectionIDs) > 0:
			ors = append(ors, "(state IN ? AND section_id IN ?)")
			args = append(args, states, v.SectionIDs)
		}
	}
	if len(ors) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

func stateStrings(states []workflow.State) []string {
	out := make([]string, len(states))
	for i, s := range states {
		out[i] = string(s)
	}
	return out
}

// FindStories lists stories in (updated_at desc, id desc) order, strictly
// after f.After, filtered by f and always by f.Visibility. UpdatedFrom is
// inclusive, UpdatedTo exclusive; Limit 0 means no limit.
func (r *storyRepo) FindStories(ctx context.Context, f story.Filter) ([]story.Story, error) {
	vis, vargs := visibilitySQL(f.Visibility)
	q := r.db.conn(ctx).Model(&storyRow{}).Where(vis, vargs...)
	if len(f.States) > 0 {
		q = q.Where("state IN ?", stateStrings(f.States))
	}
	if f.SectionID != "" {
		q = q.Where("section_id = ?", f.SectionID)
	}
	if f.AuthorID != "" {
		q = q.Where("author_id = ?", f.AuthorID)
	}
	if f.AssigneeID != "" {
		q = q.Where("assignee_id = ?", f.AssigneeID)
	}
	if !f.UpdatedFrom.IsZero() {
		q = q.Where("updated_at >= ?", toDB(f.UpdatedFrom))
	}
	if !f.UpdatedTo.IsZero() {
		q = q.Where("updated_at < ?", toDB(f.UpdatedTo))
	}
	q = q.Scopes(keysetScope("updated_at", newestFirst, f.After, func(c story.Cursor) (time.Time, string) { return c.UpdatedAt, c.ID }, f.Limit))
	return findAll[story.Story, storyRow](q, "find stories")
}

// FindDueStories returns scheduled stories whose publish_at is at or before
// t, earliest first; limit 0 means no limit.
func (r *storyRepo) FindDueStories(ctx context.Context, t time.Time, limit int) ([]story.Story, error) {
	q := r.db.conn(ctx).Where("state = ? AND publish_at <= ?", string(workflow.Scheduled), toDB(t)).
		Order("publish_at, id")
	if limit > 0 {
		q = q.Limit(limit)
	}
	return findAll[story.Story, storyRow](q, "find due stories")
}
