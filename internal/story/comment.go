package story

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/textvi"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// AddComment adds an editorial note.
func (s *Service) AddComment(ctx context.Context, a user.Actor, id, body string) (*Comment, error) {
	st, err := s.FindStoryByID(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !CanComment(a, st) {
		return nil, apperr.Forbidden("story.comment_forbidden")
	}
	body = strings.TrimSpace(textvi.NFC(body))
	if body == "" {
		return nil, apperr.InvalidField("body", "story.comment_empty")
	}
	if utf8.RuneCountInString(body) > MaxComment {
		return nil, apperr.InvalidField("body", "story.comment_too_long", MaxComment)
	}
	c := &Comment{ID: uuid.NewString(), StoryID: id, AuthorID: a.UserID, Author: a.Username, Body: body, CreatedAt: s.now()}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.CreateComment(ctx, c); err != nil {
			return err
		}
		return s.record(ctx, a, "story.comment", "story", id, st.Version, st.Version, map[string]any{"comment_id": c.ID})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// FindComments lists a story's comments, oldest first.
func (s *Service) FindComments(ctx context.Context, a user.Actor, id string) ([]Comment, error) {
	if _, err := s.FindStoryByID(ctx, a, id); err != nil {
		return nil, err
	}
	return s.repo.FindComments(ctx, id)
}
