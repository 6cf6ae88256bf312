package broadcast

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/keyset"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// The public read side of the radio programmes: podcast feeds and episode
// pages. An episode is one airing (a rundown) of a radio programme that is
// done (aired) and has its recording attached; a rundown still on air is not
// one yet, whatever it holds. Everything here is public: no actor.

// MaxEpisodes is the most episodes a feed or a page lists.
const MaxEpisodes = 50

// Episode is one aired rundown of a radio programme offered as a podcast episode.
type Episode struct {
	RundownID   string
	ProgrammeID string
	OnAirAt     time.Time
	// Seconds is the rundown's planned length (the feed prefers the recording's own duration).
	Seconds   int
	UpdatedAt time.Time
	// Recording is the audio asset, with its /media URLs.
	Recording *asset.Asset
	// Items are the stories aired, in order (killed stories and free items left out).
	Items []EpisodeItem
}

// EpisodeItem is a story of an episode's running order.
type EpisodeItem struct {
	Headline  string
	StoryID   string
	Slug      string
	SectionID string
	// Published is true when the story is on the web (its article can be linked).
	Published bool
}

// Title is the episode's name: the programme and the air date, "Thời sự sáng 26/11/2026".
func (e *Episode) Title(p *Programme) string {
	return p.Name + " " + e.OnAirAt.In(vntime.Location).Format("02/01/2006")
}

// PodcastProgramme finds the radio programme behind a podcast slug;
// an unknown slug or a TV programme is NotFound.
func (s *Service) PodcastProgramme(ctx context.Context, slug string) (*Programme, error) {
	notFound := apperr.NotFound("broadcast.no_radio_programme", slug)
	if slug == "" || len(slug) > 200 {
		return nil, notFound
	}
	p, err := s.repo.FindProgrammeBySlug(ctx, slug)
	if err != nil {
		return nil, apperr.IfNotFound(err, notFound)
	}
	if p.Channel != story.ChannelRadio {
		return nil, notFound
	}
	return p, nil
}

// PodcastImage is the programme's cover art with its /media URLs, or nil.
func (s *Service) PodcastImage(ctx context.Context, p *Programme) (*asset.Asset, error) {
	if p.Podcast.ImageAssetID == "" || s.assets == nil {
		return nil, nil
	}
	a, err := s.assets.FindAssetByID(ctx, p.Podcast.ImageAssetID)
	if apperr.Is(err, apperr.CodeNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("broadcast: podcast image of %s: %w", p.Slug, err)
	}
	return withURLs(a), nil
}

// FindEpisodes lists the programme's episodes, newest first, at most limit
// (1 to MaxEpisodes), after the cursor; it returns the next page's cursor or nil.
func (s *Service) FindEpisodes(ctx context.Context, p *Programme, after *RundownCursor, limit int) ([]Episode, *RundownCursor, error) {
	rs, next, err := keyset.Page(limit, MaxEpisodes, MaxEpisodes, func(limit int) ([]Rundown, error) {
		return s.repo.FindEpisodes(ctx, EpisodeFilter{ProgrammeID: p.ID, After: after, Limit: limit})
	}, rundownCursor)
	if err != nil {
		return nil, nil, err
	}
	eps, err := s.episodes(ctx, rs)
	return eps, next, err
}

// FindEpisode returns one episode of the programme, or NotFound (an unknown
// id, another programme's rundown, one not aired or without a recording).
func (s *Service) FindEpisode(ctx context.Context, p *Programme, rundownID string) (*Episode, error) {
	notFound := apperr.NotFound("broadcast.no_such_episode")
	if _, err := uuid.Parse(rundownID); err != nil {
		return nil, notFound
	}
	r, err := s.repo.FindRundownByID(ctx, rundownID)
	if err != nil {
		return nil, apperr.IfNotFound(err, notFound)
	}
	if r.ProgrammeID != p.ID || r.State != Done || r.RecordingAssetID == "" {
		return nil, notFound
	}
	eps, err := s.episodes(ctx, []Rundown{*r})
	if err != nil {
		return nil, err
	}
	if len(eps) == 0 {
		return nil, notFound
	}
	return &eps[0], nil
}

// episodes adds recordings and the stories aired to rundowns; a rundown
// whose recording cannot be found is left out.
func (s *Service) episodes(ctx context.Context, rs []Rundown) ([]Episode, error) {
	if s.assets == nil || len(rs) == 0 {
		return nil, nil
	}
	var ids []string
	for _, r := range rs {
		for _, it := range r.Items {
			if it.Kind == KindStory && it.StoryID != "" {
				ids = append(ids, it.StoryID)
			}
		}
	}
	stories, err := s.repo.FindPlacedStories(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Episode, 0, len(rs))
	for _, r := range rs {
		rec, err := s.assets.FindAssetByID(ctx, r.RecordingAssetID)
		if apperr.Is(err, apperr.CodeNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("broadcast: recording of rundown %s: %w", r.ID, err)
		}
		e := Episode{RundownID: r.ID, ProgrammeID: r.ProgrammeID, OnAirAt: r.OnAirAt, Seconds: r.PlannedSeconds,
			UpdatedAt: r.UpdatedAt, Recording: withURLs(rec)}
		for _, it := range r.Items {
			st, ok := stories[it.StoryID]
			if it.Kind != KindStory || !ok || st.State == workflow.Killed {
				continue
			}
			e.Items = append(e.Items, EpisodeItem{Headline: st.Headline, StoryID: st.ID, Slug: st.Slug, SectionID: st.SectionID,
				Published: st.State == workflow.Published})
		}
		out = append(out, e)
	}
	return out, nil
}

// withURLs fills the /media addresses of an asset and its renditions.
func withURLs(a *asset.Asset) *asset.Asset {
	a.URL = asset.MediaURL(a.Key)
	for i := range a.Renditions {
		a.Renditions[i].URL = asset.MediaURL(a.Renditions[i].Key)
	}
	return a
}
