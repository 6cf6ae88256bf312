package story

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/keyset"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Reader is the reads of stories and sections with their permission rules,
// and nothing that changes them. The Service embeds one; distribution takes
// one of its own, because the story service's listeners need distribution
// (its delivery planner) before the story service exists.
type Reader struct{ repo Repository }

// NewReader builds a reader on the repository.
func NewReader(repo Repository) *Reader { return &Reader{repo: repo} }

// FindStoryByID returns a story the actor may read; others are NotFound.
func (r *Reader) FindStoryByID(ctx context.Context, a user.Actor, id string) (*Story, error) {
	if err := checkStoryID(id); err != nil {
		return nil, err
	}
	st, err := r.repo.FindStoryByID(ctx, id, false)
	if err != nil {
		return nil, err
	}
	if !CanRead(a, st) {
		return nil, notFound(id)
	}
	return st, nil
}

// FindStories lists the stories the actor may read, newest change first.
// It returns the cursor of the next page, or nil on the last.
func (s *Service) FindStories(ctx context.Context, a user.Actor, f Filter) ([]Story, *Cursor, error) {
	f.Visibility = VisibilityFor(a)
	return keyset.Page(f.Limit, 50, 200, func(limit int) ([]Story, error) {
		f.Limit = limit
		return s.repo.FindStories(ctx, f)
	}, func(last Story) Cursor { return Cursor{UpdatedAt: last.UpdatedAt, ID: last.ID} })
}

// FindRevisions lists a story's revisions, newest first.
func (s *Service) FindRevisions(ctx context.Context, a user.Actor, id string) ([]Revision, error) {
	if _, err := s.FindStoryByID(ctx, a, id); err != nil {
		return nil, err
	}
	return s.repo.FindRevisions(ctx, id)
}

// FindRevision returns one revision's snapshot.
func (s *Service) FindRevision(ctx context.Context, a user.Actor, id string, n int) (*Revision, error) {
	if _, err := s.FindStoryByID(ctx, a, id); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, apperr.InvalidField("n", "story.revision_number_invalid")
	}
	return s.repo.FindRevision(ctx, id, n)
}
