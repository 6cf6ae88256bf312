package store

import (
	"context"
	"fmt"

	"github.com/newsroom-vn/newsroom/internal/story"
)

type revisionRow struct {
	StoryID  string `gorm:"primaryKey"`
	Number   int    `gorm:"primaryKey;autoIncrement:false"`
	At       dbTime
	ActorID  string
	Action   string
	Comment  string
	Snapshot jsonCol[story.Story]
}

func (revisionRow) TableName() string { return "story_revisions" }

// CreateRevision stores a snapshot; a number already used for the story is Conflict.
func (r *storyRepo) CreateRevision(ctx context.Context, rev *story.Revision) error {
	rev.At = norm(rev.At)
	normStory(&rev.Snapshot)
	row := revisionRow{StoryID: rev.StoryID, Number: rev.Number, At: toDB(rev.At), ActorID: rev.ActorID,
		Action: rev.Action, Comment: rev.Comment, Snapshot: jsonCol[story.Story]{V: rev.Snapshot}}
	return wrap(r.db.conn(ctx).Create(&row).Error, fmt.Sprintf("create revision %d of story %s", rev.Number, rev.StoryID))
}

func (r revisionRow) toDomain() story.Revision {
	snap := r.Snapshot.V
	normStory(&snap)
	return story.Revision{StoryID: r.StoryID, Number: r.Number, At: r.At.T, ActorID: r.ActorID,
		Action: r.Action, Comment: r.Comment, Snapshot: snap}
}

// FindRevisions lists the story's revisions with full snapshots, newest first.
func (r *storyRepo) FindRevisions(ctx context.Context, storyID string) ([]story.Revision, error) {
	out, err := findAll[story.Revision, revisionRow](r.db.conn(ctx).Where("story_id = ?", storyID).Order("number DESC"), "find revisions of story "+storyID)
	if err != nil {
		return nil, err
	}
	return out, r.fillActors(ctx, out)
}

// fillActors sets each revision's Actor to its user's username, in one query.
func (r *storyRepo) fillActors(ctx context.Context, revs []story.Revision) error {
	ids := []string{}
	seen := map[string]bool{}
	for _, rev := range revs {
		if rev.ActorID != "" && !seen[rev.ActorID] {
			seen[rev.ActorID] = true
			ids = append(ids, rev.ActorID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var users []userRow
	if err := r.db.conn(ctx).Select("id", "username").Where("id IN ?", ids).Find(&users).Error; err != nil {
		return wrap(err, "find revision authors")
	}
	names := make(map[string]string, len(users))
	for _, u := range users {
		names[u.ID] = u.Username
	}
	for i := range revs {
		revs[i].Actor = names[revs[i].ActorID]
	}
	return nil
}

// FindRevision returns one revision or NotFound.
func (r *storyRepo) FindRevision(ctx context.Context, storyID string, number int) (*story.Revision, error) {
	what := fmt.Sprintf("find revision %d of story %s", number, storyID)
	rev, err := findFirst[story.Revision, revisionRow](r.db.conn(ctx).Where("story_id = ? AND number = ?", storyID, number), what, what)
	if err != nil {
		return nil, err
	}
	revs := []story.Revision{*rev}
	if err := r.fillActors(ctx, revs); err != nil {
		return nil, err
	}
	return &revs[0], nil
}
