package store

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

type commentRow struct {
	ID             string `gorm:"primaryKey"`
	StoryID        string
	AuthorID       string
	AuthorUsername string
	Action         string
	Body           string
	CreatedAt      dbTime `gorm:"autoCreateTime:false"`
}

func (commentRow) TableName() string { return "comments" }

type approvalRow struct {
	ID       string `gorm:"primaryKey"`
	StoryID  string
	Level    int
	UserID   string
	Username string
	Role     string
	Version  int
	At       dbTime
	VoidedAt nullTime
}

func (approvalRow) TableName() string { return "approvals" }

// CreateComment stores an editorial note.
func (r *storyRepo) CreateComment(ctx context.Context, c *story.Comment) error {
	c.CreatedAt = norm(c.CreatedAt)
	row := commentRow{ID: c.ID, StoryID: c.StoryID, AuthorID: c.AuthorID, AuthorUsername: c.Author,
		Action: c.Action, Body: c.Body, CreatedAt: toDB(c.CreatedAt)}
	return wrap(r.db.conn(ctx).Create(&row).Error, "create comment on story "+c.StoryID)
}

// FindComments lists the story's comments, oldest first.
func (r *storyRepo) FindComments(ctx context.Context, storyID string) ([]story.Comment, error) {
	return findAll[story.Comment, commentRow](r.db.conn(ctx).Where("story_id = ?", storyID).Order("created_at, id"), "find comments of story "+storyID)
}

func (row commentRow) toDomain() story.Comment {
	return story.Comment{ID: row.ID, StoryID: row.StoryID, AuthorID: row.AuthorID, Author: row.AuthorUsername,
		Action: row.Action, Body: row.Body, CreatedAt: row.CreatedAt.T}
}

// CreateApproval stores one signature.
func (r *storyRepo) CreateApproval(ctx context.Context, a *story.Approval) error {
	a.At, a.VoidedAt = norm(a.At), normPtr(a.VoidedAt)
	row := approvalRow{ID: a.ID, StoryID: a.StoryID, Level: a.Level, UserID: a.UserID, Username: a.Username,
		Role: string(a.Role), Version: a.Version, At: toDB(a.At), VoidedAt: toNull(a.VoidedAt)}
	return wrap(r.db.conn(ctx).Create(&row).Error, "create approval on story "+a.StoryID)
}

// FindApprovals lists the live (not voided) signatures, by level then time.
func (r *storyRepo) FindApprovals(ctx context.Context, storyID string) ([]story.Approval, error) {
	return findAll[story.Approval, approvalRow](r.db.conn(ctx).Where("story_id = ? AND voided_at IS NULL", storyID).
		Order("level, at, id"), "find approvals of story "+storyID)
}

func (row approvalRow) toDomain() story.Approval {
	return story.Approval{ID: row.ID, StoryID: row.StoryID, Level: row.Level, UserID: row.UserID,
		Username: row.Username, Role: user.Role(row.Role), Version: row.Version, At: row.At.T,
		VoidedAt: row.VoidedAt.Ptr()}
}

// VoidApprovals voids every live signature on the story.
func (r *storyRepo) VoidApprovals(ctx context.Context, storyID string, at time.Time) error {
	err := r.db.conn(ctx).Model(&approvalRow{}).Where("story_id = ? AND voided_at IS NULL", storyID).
		Update("voided_at", toDB(at)).Error
	return wrap(err, "void approvals of story "+storyID)
}
