package story

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// FindStoryByID returns a story the actor may read; others are NotFound.
func (s *Service) FindStoryByID(ctx context.Context, a user.Actor, id string) (*Story, error) {
	if err := checkStoryID(id); err != nil {
		return nil, err
	}
	st, err := s.repo.FindStoryByID(ctx, id, false)
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
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	f.Visibility = VisibilityFor(a)
	want := f.Limit
	f.Limit = want + 1
	items, err := s.repo.FindStories(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	if len(items) <= want {
		return items, nil, nil
	}
	items = items[:want]
	last := items[want-1]
	return items, &Cursor{UpdatedAt: last.UpdatedAt, ID: last.ID}, nil
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
		return nil, apperr.InvalidField("n", "Số phiên bản phải là số nguyên dương (revision number must be a positive integer)")
	}
	return s.repo.FindRevision(ctx, id, n)
}
