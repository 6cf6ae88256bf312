package story

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/textvi"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Content is the editable part of a story; nil fields are left as they are.
type Content struct {
	SectionID *string    `json:"section_id"`
	Headline  *string    `json:"headline"`
	Sapo      *string    `json:"sapo"`
	Body      *string    `json:"body"`
	Byline    *string    `json:"byline"`
	Tags      *[]string  `json:"tags"`
	Channels  *[]Channel `json:"channels"`
	// Assets replaces the story's attached assets (kept by Deps.attachments).
	Assets *[]AssetRef `json:"assets"`
	// Radio and TV replace the channel versions; an empty object removes one
	// (see versions.go). Their computed fields are ignored on input.
	Radio *RadioVersion `json:"radio"`
	TV    *TVVersion    `json:"tv"`
}

// AssetRef is an asset a story uses, in a role (featured, gallery, inline, radio_audio, tv_video).
type AssetRef struct {
	AssetID string `json:"asset_id"`
	Role    string `json:"role"`
}

// Attachments keeps the assets attached to stories; the asset package implements it.
type Attachments interface {
	// ReplaceStoryAssets validates refs and makes them the story's assets.
	ReplaceStoryAssets(ctx context.Context, storyID string, refs []AssetRef) error
	// CheckPublishable refuses a story whose assets are not fit to publish.
	CheckPublishable(ctx context.Context, storyID string) error
	// MediaInfo returns an asset's kind (image, audio, video, document) and
	// its duration in seconds (0 when unknown); NotFound when there is no such asset.
	MediaInfo(ctx context.Context, assetID string) (kind string, seconds float64, err error)
}

// IsEmpty reports whether the content changes nothing.
func (c Content) IsEmpty() bool {
	return c.SectionID == nil && c.Headline == nil && c.Sapo == nil && c.Body == nil && c.Byline == nil && c.Tags == nil && c.Channels == nil && c.Assets == nil &&
		c.Radio == nil && c.TV == nil
}

// apply validates and normalises c onto st. It reports whether the headline changed.
func (s *Service) apply(ctx context.Context, st *Story, c Content) (headlineChanged bool, err error) {
	if c.SectionID != nil {
		if _, err := uuid.Parse(*c.SectionID); err != nil {
			return false, apperr.InvalidField("section_id", "story.section_id_not_valid_uuid")
		}
		if _, err := s.repo.FindSectionByID(ctx, *c.SectionID); err != nil {
			return false, apperr.IfNotFound(err, apperr.InvalidField("section_id", "story.section_does_not_exist", *c.SectionID))
		}
		if st.SectionID != *c.SectionID {
			headlineChanged = true // slug must be unique in the new section
		}
		st.SectionID = *c.SectionID
	}
	if c.Headline != nil {
		h := textvi.Clean(fixLegacy(*c.Headline))
		if h == "" {
			return false, apperr.InvalidField("headline", "story.headline_empty")
		}
		if n := utf8.RuneCountInString(h); n > MaxHeadline {
			return false, apperr.InvalidField("headline", "story.headline_too_long", n, MaxHeadline)
		}
		if h != st.Headline {
			headlineChanged = true
		}
		st.Headline = h
	}
	if c.Sapo != nil {
		v := strings.TrimSpace(textvi.NFC(fixLegacy(*c.Sapo)))
		if n := utf8.RuneCountInString(v); n > MaxSapo {
			return false, apperr.InvalidField("sapo", "story.sapo_too_long", n, MaxSapo)
		}
		st.Sapo = v
	}
	if c.Body != nil {
		if len(*c.Body) > MaxBodyBytes {
			return false, apperr.TooLarge("story.body_too_large", MaxBodyBytes>>20).WithDetails(map[string]any{"field": "body"})
		}
		st.Body = richtext.Sanitize(fixLegacy(*c.Body))
	}
	if c.Byline != nil {
		v := textvi.Clean(*c.Byline)
		if n := utf8.RuneCountInString(v); n > MaxByline {
			return false, apperr.InvalidField("byline", "story.byline_too_long", MaxByline)
		}
		st.Byline = v
	}
	if c.Tags != nil {
		tags := []string{}
		seen := map[string]bool{}
		for _, t := range *c.Tags {
			t = textvi.Clean(t)
			if t == "" {
				continue
			}
			if utf8.RuneCountInString(t) > MaxTag {
				return false, apperr.InvalidField("tags", "story.tag_too_long", t, MaxTag)
			}
			k := strings.ToLower(t)
			if !seen[k] {
				seen[k] = true
				tags = append(tags, t)
			}
		}
		if len(tags) > MaxTags {
			return false, apperr.InvalidField("tags", "story.too_many_tags", MaxTags)
		}
		st.Tags = tags
	}
	if c.Channels != nil {
		chs := []Channel{}
		for _, ch := range *c.Channels {
			if !slices.Contains(Channels, ch) {
				return false, apperr.InvalidField("channels", "story.unknown_channel", ch)
			}
			if !slices.Contains(chs, ch) {
				chs = append(chs, ch)
			}
		}
		if len(chs) == 0 {
			return false, apperr.InvalidField("channels", "story.channel_required")
		}
		st.Channels = chs
	}
	if c.Radio != nil {
		rv, err := s.radioVersion(ctx, *c.Radio)
		if err != nil {
			return false, err
		}
		st.Radio = rv
	}
	if c.TV != nil {
		tv, err := s.tvVersion(ctx, *c.TV)
		if err != nil {
			return false, err
		}
		st.TV = tv
	}
	return headlineChanged, nil
}

// CreateStory starts a draft owned by the actor.
func (s *Service) CreateStory(ctx context.Context, a user.Actor, c Content) (*Story, error) {
	if !CanCreate(a) {
		return nil, apperr.Forbidden("story.write_forbidden", apperr.ByLang(a.Role.Label(), a.Role))
	}
	if c.SectionID == nil || *c.SectionID == "" {
		return nil, apperr.InvalidField("section_id", "story.section_id_required")
	}
	if c.Headline == nil {
		return nil, apperr.InvalidField("headline", "story.headline_required")
	}
	now := s.now()
	st := &Story{ID: uuid.NewString(), State: workflow.Draft, Version: 1, AuthorID: a.UserID,
		Tags: []string{}, Channels: []Channel{ChannelWeb}, CreatedAt: now, UpdatedAt: now}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.apply(ctx, st, c); err != nil {
			return err
		}
		if c.Byline == nil {
			st.Byline = a.Username
		}
		slug, _, err := s.pickSlug(ctx, st)
		if err != nil {
			return err
		}
		st.Slug = slug
		if err := s.repo.CreateStory(ctx, st); err != nil {
			return err
		}
		if err := s.repo.AddSlug(ctx, st.ID, st.SectionID, slug, now); err != nil {
			return err
		}
		if err := s.saveAssets(ctx, st, c); err != nil {
			return err
		}
		if err := s.snapshot(ctx, a, st, "create", ""); err != nil {
			return err
		}
		return s.record(ctx, a, "story.create", "story", st.ID, 0, st.Version, map[string]any{"headline": st.Headline})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// UpdateStory saves an edit if the story is still at ifVersion.
func (s *Service) UpdateStory(ctx context.Context, a user.Actor, id string, c Content, ifVersion int) (*Story, error) {
	var out *Story
	err := s.loadForChange(ctx, a, id, true, func(ctx context.Context, st *Story) error {
		if !CanEdit(a, st) {
			return apperr.Forbidden("story.edit_forbidden_in_state", apperr.ByLang(st.State.Label(), st.State)).
				WithDetails(map[string]any{"state": st.State})
		}
		if st.Version != ifVersion {
			return stale(st)
		}
		if c.IsEmpty() {
			return apperr.Invalid("story.no_field_to_change")
		}
		changed, err := s.apply(ctx, st, c)
		if err != nil {
			return err
		}
		if err := s.retime(ctx, st, c.Radio == nil, c.TV == nil); err != nil {
			return err
		}
		if changed {
			if err := s.assignSlug(ctx, st); err != nil {
				return err
			}
		}
		st.Version = ifVersion + 1
		st.UpdatedAt = s.now()
		if err := s.repo.UpdateStory(ctx, st, ifVersion); err != nil {
			return err
		}
		if err := s.saveAssets(ctx, st, c); err != nil {
			return err
		}
		// A signature covers the version that was signed, every channel
		// version included: an edit between two approval levels voids the
		// signatures already given, so they are given again on what airs.
		details := map[string]any{"fields": audit.ChangedFields(c)}
		apps, err := s.repo.FindApprovals(ctx, st.ID)
		if err != nil {
			return err
		}
		if len(apps) > 0 {
			if err := s.repo.VoidApprovals(ctx, st.ID, st.UpdatedAt); err != nil {
				return err
			}
			details["voided_approvals"] = len(apps)
		}
		if err := s.snapshot(ctx, a, st, "update", ""); err != nil {
			return err
		}
		out = st
		if err := s.record(ctx, a, "story.update", "story", st.ID, ifVersion, st.Version, details); err != nil {
			return err
		}
		return emitChanged(ctx, s.listeners, st)
	})
	return out, err
}

// saveAssets hands Content.Assets to the attachment keeper, in the caller's transaction.
func (s *Service) saveAssets(ctx context.Context, st *Story, c Content) error {
	if c.Assets == nil {
		return nil
	}
	if s.attachments == nil {
		return apperr.InvalidField("assets", "story.server_keeps_no_assets")
	}
	return s.attachments.ReplaceStoryAssets(ctx, st.ID, *c.Assets)
}
