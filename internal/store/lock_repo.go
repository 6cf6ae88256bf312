package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story"
)

type slugRow struct {
	SectionID string
	Slug      string
	StoryID   string
	CreatedAt dbTime `gorm:"autoCreateTime:false"`
}

func (slugRow) TableName() string { return "story_slugs" }

type lockRow struct {
	StoryID    string `gorm:"primaryKey"`
	UserID     string
	Username   string
	AcquiredAt dbTime
	ExpiresAt  dbTime
}

func (lockRow) TableName() string { return "story_locks" }

// FindStoryBySlug resolves a current or old slug within a section.
func (r *storyRepo) FindStoryBySlug(ctx context.Context, sectionID, slug string) (*story.Story, error) {
	what := fmt.Sprintf("find story by slug %s/%s", sectionID, slug)
	q := r.db.conn(ctx).Model(&storyRow{}).Select("stories.*").
		Joins("JOIN story_slugs ON story_slugs.story_id = stories.id").
		Where("story_slugs.section_id = ? AND story_slugs.slug = ?", sectionID, slug)
	return findFirst[story.Story, storyRow](q, what, what)
}

// SlugOwner returns the id of the story that holds (or held) slug in the section, or "".
func (r *storyRepo) SlugOwner(ctx context.Context, sectionID, slug string) (string, error) {
	var rows []slugRow
	if err := r.db.conn(ctx).Where("section_id = ? AND slug = ?", sectionID, slug).Limit(1).Find(&rows).Error; err != nil {
		return "", wrap(err, "find slug owner "+slug)
	}
	if len(rows) == 0 {
		return "", nil
	}
	return rows[0].StoryID, nil
}

// AddSlug records that the story holds slug in the section. Recording a slug
// the story already holds does nothing; one held by another story is
// Conflict. It uses ON CONFLICT DO NOTHING rather than catching the error,
// because a failed statement aborts a PostgreSQL transaction.
func (r *storyRepo) AddSlug(ctx context.Context, storyID, sectionID, slug string, at time.Time) error {
	what := fmt.Sprintf("add slug %s/%s", sectionID, slug)
	row := slugRow{SectionID: sectionID, Slug: slug, StoryID: storyID, CreatedAt: toDB(at)}
	res := r.db.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "section_id"}, {Name: "slug"}},
		DoNothing: true,
	}).Create(&row)
	if res.Error != nil {
		return wrap(res.Error, what)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	owner, err := r.SlugOwner(ctx, sectionID, slug)
	if err != nil {
		return err
	}
	if owner == storyID {
		return nil
	}
	return fmt.Errorf("store: %s: %w", what, apperr.Conflict(
		"store.story_slug_taken", slug).
		WithDetails(map[string]any{"field": "slug", "story_id": owner}))
}

// FindLock returns the story's edit lock, live or expired, or NotFound.
func (r *storyRepo) FindLock(ctx context.Context, storyID string) (*story.Lock, error) {
	l, err := firstRow[lockRow](r.db.conn(ctx).Where("story_id = ?", storyID), "find lock on story "+storyID, "find lock on story "+storyID)
	if err != nil {
		return nil, err
	}
	return &story.Lock{StoryID: l.StoryID, UserID: l.UserID, Username: l.Username,
		AcquiredAt: l.AcquiredAt.T, ExpiresAt: l.ExpiresAt.T}, nil
}

// SaveLock creates or replaces the story's edit lock.
func (r *storyRepo) SaveLock(ctx context.Context, l *story.Lock) error {
	l.AcquiredAt, l.ExpiresAt = norm(l.AcquiredAt), norm(l.ExpiresAt)
	row := lockRow{StoryID: l.StoryID, UserID: l.UserID, Username: l.Username,
		AcquiredAt: toDB(l.AcquiredAt), ExpiresAt: toDB(l.ExpiresAt)}
	err := r.db.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "story_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"user_id", "username", "acquired_at", "expires_at"}),
	}).Create(&row).Error
	return wrap(err, "save lock on story "+l.StoryID)
}

// DeleteLock drops the story's edit lock; dropping none is not an error.
func (r *storyRepo) DeleteLock(ctx context.Context, storyID string) error {
	return wrap(r.db.conn(ctx).Where("story_id = ?", storyID).Delete(&lockRow{}).Error, "delete lock on story "+storyID)
}
