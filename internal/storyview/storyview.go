// Package storyview is the one read model of a story as the staff faces
// show it (the JSON API's story answer and the desk's editor): the story,
// what the reader may do with it now, who holds its edit lock, its attached
// media and, once published, its public address. Both faces call
// FindStoryView (or ViewOf after a change), so the composition and its
// permission checks live in one place.
package storyview

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// View is a story as one person sees it.
type View struct {
	*story.Story
	// AllowedActions are the workflow actions the reader may take now.
	AllowedActions []workflow.Action `json:"allowed_actions"`
	// Lock is the edit lock, nil when nobody holds it.
	Lock *story.Lock `json:"lock"`
	// URL is the public page's path, for published stories.
	URL string `json:"url,omitempty"`
	// Assets are the attached photos, audio and video with their role.
	Assets []asset.Attachment `json:"assets"`
	// SectionSlug is the slug of the story's section.
	SectionSlug string `json:"-"`
}

// Assets finds a story's attachments (asset.Service).
type Assets interface {
	FindStoryAssets(ctx context.Context, storyID string) ([]asset.Attachment, error)
}

// Service builds views.
type Service struct {
	stories *story.Service
	assets  Assets
}

// New builds the service; assets may be nil (no media: Assets is empty).
func New(stories *story.Service, assets Assets) *Service {
	return &Service{stories: stories, assets: assets}
}

// FindStoryView returns the view of a story the actor may read (NotFound otherwise).
func (s *Service) FindStoryView(ctx context.Context, a user.Actor, id string) (*View, error) {
	st, err := s.stories.FindStoryByID(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return s.ViewOf(ctx, a, st)
}

// ViewOf builds the view of a story the caller already holds (the answer
// to an edit or a transition, which returns the story it changed).
func (s *Service) ViewOf(ctx context.Context, a user.Actor, st *story.Story) (*View, error) {
	allowed, err := s.stories.AllowedActions(ctx, a, st)
	if err != nil {
		return nil, err
	}
	lock, err := s.stories.LockOf(ctx, st)
	if err != nil && !apperr.Is(err, apperr.CodeNotFound) {
		return nil, err
	}
	v := &View{Story: st, AllowedActions: allowed, Lock: lock, Assets: []asset.Attachment{}}
	if s.assets != nil {
		if v.Assets, err = s.assets.FindStoryAssets(ctx, st.ID); err != nil {
			return nil, err
		}
	}
	sec, err := s.stories.FindSectionByID(ctx, st.SectionID)
	if err != nil {
		return nil, err
	}
	v.SectionSlug = sec.Slug
	if st.State == workflow.Published {
		v.URL = story.PublicPath(sec.Slug, st.Slug, st.ID)
	}
	return v, nil
}
