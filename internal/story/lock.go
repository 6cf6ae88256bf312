package story

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// FindLock returns the live edit lock on a story the actor may read, or NotFound.
func (s *Service) FindLock(ctx context.Context, a user.Actor, id string) (*Lock, error) {
	st, err := s.FindStoryByID(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return s.LockOf(ctx, st)
}

// LockOf returns the live edit lock of a story the caller has already read
// (and so may read), without reading the story again; NotFound when nobody
// holds one.
func (s *Service) LockOf(ctx context.Context, st *Story) (*Lock, error) {
	l, err := s.repo.FindLock(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	if !l.ExpiresAt.After(s.now()) {
		return nil, apperr.NotFound("story.story_not_locked")
	}
	return l, nil
}

// AcquireLock takes or renews (heartbeat) the advisory edit lock. Taking over
// someone else's live lock needs takeover=true and an editor of the section; it is audited.
func (s *Service) AcquireLock(ctx context.Context, a user.Actor, id string, takeover bool) (*Lock, error) {
	var out *Lock
	err := s.loadForChange(ctx, a, id, true, func(ctx context.Context, st *Story) error {
		if !CanEdit(a, st) {
			return apperr.Forbidden("story.lock_forbidden")
		}
		now := s.now()
		cur, err := s.repo.FindLock(ctx, id)
		if err != nil && !apperr.Is(err, apperr.CodeNotFound) {
			return err
		}
		live := cur != nil && cur.ExpiresAt.After(now)
		l := &Lock{StoryID: id, UserID: a.UserID, Username: a.Username, AcquiredAt: now, ExpiresAt: now.Add(s.cfg.LockTTL)}
		if live && cur.UserID == a.UserID {
			l.AcquiredAt = cur.AcquiredAt
		} else if live {
			if !takeover {
				return apperr.Conflict("story.being_edited", cur.Username).
					WithDetails(map[string]any{"lock": cur}).WithReason("locked_by_other")
			}
			if !CanTakeOverLock(a, st) {
				return apperr.Forbidden("story.takeover_forbidden")
			}
			if err := s.record(ctx, a, "story.lock_takeover", "story", id, st.Version, st.Version,
				map[string]any{"from_user_id": cur.UserID, "from_username": cur.Username}); err != nil {
				return err
			}
		}
		if err := s.repo.SaveLock(ctx, l); err != nil {
			return err
		}
		out = l
		return nil
	})
	return out, err
}

// ReleaseLock drops the actor's own edit lock (an editor may drop anyone's).
func (s *Service) ReleaseLock(ctx context.Context, a user.Actor, id string) error {
	// Dropping a lock changes no story field, so the story row is only read,
	// not held: a release does not wait for an edit in progress.
	return s.loadForChange(ctx, a, id, false, func(ctx context.Context, st *Story) error {
		cur, err := s.repo.FindLock(ctx, id)
		if err != nil {
			return err
		}
		// An expired lock belongs to nobody: anyone who may edit can clear it.
		if cur.UserID != a.UserID && cur.ExpiresAt.After(s.now()) {
			if !CanTakeOverLock(a, st) {
				return apperr.Forbidden("story.lock_belongs_to_other", cur.Username)
			}
			if err := s.record(ctx, a, "story.lock_break", "story", id, st.Version, st.Version,
				map[string]any{"from_user_id": cur.UserID}); err != nil {
				return err
			}
		}
		return s.repo.DeleteLock(ctx, id)
	})
}
