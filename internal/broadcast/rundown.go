package broadcast

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// checkPlaceable refuses a story that cannot air on the channel now.
func checkPlaceable(st *story.Story, ch story.Channel) (seconds int, fingerprint string, err error) {
	details := map[string]any{"story_id": st.ID, "headline": st.Headline, "state": st.State}
	if !slices.Contains(placeableStates, st.State) {
		return 0, "", apperr.Conflict("broadcast.story_not_approved_for_air", st.Headline, apperr.ByLang(st.State.Label(), st.State)).WithDetails(details)
	}
	if !slices.Contains(st.Channels, ch) {
		return 0, "", apperr.Conflict("broadcast.story_does_not_target_channel", st.Headline, ch).WithDetails(details)
	}
	seconds, fingerprint, ok := channelVersion(st, ch)
	if !ok {
		return 0, "", apperr.Conflict("broadcast.story_has_no_channel_version", st.Headline, apperr.ByLang(channelLabel(ch), ch)).WithDetails(details)
	}
	return seconds, fingerprint, nil
}

// RundownInput creates a rundown.
type RundownInput struct {
	ProgrammeID string `json:"programme_id"`
	// OnAirAt defaults to the programme's next scheduled airing.
	OnAirAt *time.Time `json:"on_air_at"`
	// PlannedSeconds defaults to the programme's.
	PlannedSeconds *int `json:"planned_seconds"`
}

// RundownChange changes a rundown's time or length, or attaches its
// recording; nil fields stay.
type RundownChange struct {
	OnAirAt        *time.Time `json:"on_air_at"`
	PlannedSeconds *int       `json:"planned_seconds"`
	// RecordingAssetID attaches the recording of the airing (an audio asset);
	// "" removes it. Allowed in every state: a recording comes after air.
	RecordingAssetID *string `json:"recording_asset_id"`
}

// ItemInput is a new rundown item.
type ItemInput struct {
	// Position is where it goes (1 = first); nil appends.
	Position *int   `json:"position"`
	Kind     string `json:"kind"`
	StoryID  string `json:"story_id"`
	// Title defaults to the story's headline or the kind's name.
	Title *string `json:"title"`
	// PlannedSeconds defaults to the story version's length (0 for free items).
	PlannedSeconds *int    `json:"planned_seconds"`
	Notes          *string `json:"notes"`
	Script         *string `json:"script"`
}

// ItemChange moves or edits an item; nil fields stay.
type ItemChange struct {
	Position       *int    `json:"position"`
	Title          *string `json:"title"`
	PlannedSeconds *int    `json:"planned_seconds"`
	Notes          *string `json:"notes"`
	Script         *string `json:"script"`
}

func (c ItemChange) isEmpty() bool {
	return c.Position == nil && c.Title == nil && c.PlannedSeconds == nil && c.Notes == nil && c.Script == nil
}

func staleRundown(r *Rundown) error {
	return apperr.PreconditionFailed("broadcast.rundown_changed", r.Version).
		WithDetails(map[string]any{"current_version": r.Version})
}

func lockedRundown(r *Rundown) error {
	return apperr.Conflict("broadcast.rundown_locked", apperr.ByLang(r.State.Label(), r.State)).
		WithDetails(map[string]any{"state": r.State})
}

func checkOnAir(t time.Time) (time.Time, error) {
	if t.IsZero() || t.Year() < 2000 || t.Year() > 2200 {
		return t, apperr.InvalidField("on_air_at", "broadcast.on_air_at_invalid")
	}
	return t.UTC().Truncate(time.Second), nil
}

// CreateRundown starts an empty rundown for one airing of a programme.
func (s *Service) CreateRundown(ctx context.Context, a user.Actor, in RundownInput) (*RundownView, error) {
	if err := requireRundowns(a); err != nil {
		return nil, err
	}
	if in.ProgrammeID == "" {
		return nil, apperr.InvalidField("programme_id", "broadcast.programme_id_required")
	}
	if err := checkID("programme_id", in.ProgrammeID, apperr.T("broadcast.noun_programme")); err != nil {
		return nil, err
	}
	var out *RundownView
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		p, err := s.repo.FindProgrammeByID(ctx, in.ProgrammeID)
		if apperr.Is(err, apperr.CodeNotFound) {
			return apperr.InvalidField("programme_id", "broadcast.programme_does_not_exist", in.ProgrammeID)
		}
		if err != nil {
			return err
		}
		now := s.now()
		r := &Rundown{ID: uuid.NewString(), ProgrammeID: p.ID, PlannedSeconds: p.PlannedSeconds, State: Planned, Version: 1,
			CreatedBy: a.UserID, Items: []Item{}, CreatedAt: now, UpdatedAt: now}
		if in.OnAirAt != nil {
			if r.OnAirAt, err = checkOnAir(*in.OnAirAt); err != nil {
				return err
			}
		} else if next, ok := p.NextAiring(now); ok {
			r.OnAirAt = next
		} else {
			return apperr.InvalidField("on_air_at", "broadcast.on_air_at_required")
		}
		if in.PlannedSeconds != nil {
			if err := checkSeconds("planned_seconds", *in.PlannedSeconds, 1); err != nil {
				return err
			}
			r.PlannedSeconds = *in.PlannedSeconds
		}
		if err := s.repo.CreateRundown(ctx, r); err != nil {
			return err
		}
		out, err = s.committed(ctx, a, "create", r, p, 0, map[string]any{"programme_id": p.ID, "on_air_at": r.OnAirAt})
		return err
	})
	return out, err
}

// committed ends a change of r written to the store: it is audited as
// rundown.<action> (from version before), the rundown listeners are told, and
// the view of the rundown as it now is returned.
func (s *Service) committed(ctx context.Context, a user.Actor, action string, r *Rundown, p *Programme, before int, details map[string]any) (*RundownView, error) {
	if err := s.record(ctx, a, "rundown."+action, "rundown", r.ID, before, r.Version, details); err != nil {
		return nil, err
	}
	if err := s.changed(ctx, r.ID); err != nil {
		return nil, err
	}
	return s.view(ctx, r, p)
}

func (s *Service) findRundown(ctx context.Context, id string) (*Rundown, error) {
	r, err := s.repo.FindRundownByID(ctx, id)
	if apperr.Is(err, apperr.CodeNotFound) {
		return nil, fmt.Errorf("broadcast: %w", apperr.NotFound("broadcast.rundown_not_found", id))
	}
	return r, err
}

// change runs one edit of a rundown still at ifVersion in a transaction:
// fn changes r (content edits are refused once the rundown is locked), then
// positions are renumbered, the version moves on, the store writes it only if
// nobody wrote in between, the change is audited and the rundown listeners told.
func (s *Service) change(ctx context.Context, a user.Actor, id string, ifVersion int, content bool, action string,
	fn func(ctx context.Context, r *Rundown, p *Programme) (map[string]any, error)) (*RundownView, error) {
	if err := requireRundowns(a); err != nil {
		return nil, err
	}
	if err := checkID("id", id, apperr.T("broadcast.noun_rundown")); err != nil {
		return nil, err
	}
	var out *RundownView
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		r, err := s.findRundown(ctx, id)
		if err != nil {
			return err
		}
		if content && r.State.Locked() {
			return lockedRundown(r)
		}
		if r.Version != ifVersion {
			return staleRundown(r)
		}
		p, err := s.repo.FindProgrammeByID(ctx, r.ProgrammeID)
		if err != nil {
			return err
		}
		details, err := fn(ctx, r, p)
		if err != nil {
			return err
		}
		for i := range r.Items {
			r.Items[i].Position = i + 1
		}
		r.Version = ifVersion + 1
		r.UpdatedAt = s.now()
		if err := s.repo.UpdateRundown(ctx, r, ifVersion); err != nil {
			return err
		}
		out, err = s.committed(ctx, a, action, r, p, ifVersion, details)
		return err
	})
	return out, err
}

// UpdateRundown changes the on-air time or the planned length (refused once
// the rundown is locked) or attaches the recording of the airing (any state).
func (s *Service) UpdateRundown(ctx context.Context, a user.Actor, id string, c RundownChange, ifVersion int) (*RundownView, error) {
	content := c.OnAirAt != nil || c.PlannedSeconds != nil
	if !content && c.RecordingAssetID == nil {
		return nil, apperr.Invalid("broadcast.no_rundown_field_to_change")
	}
	return s.change(ctx, a, id, ifVersion, content, "update", func(ctx context.Context, r *Rundown, p *Programme) (map[string]any, error) {
		d := map[string]any{}
		if c.OnAirAt != nil {
			t, err := checkOnAir(*c.OnAirAt)
			if err != nil {
				return nil, err
			}
			d["on_air_at"] = map[string]any{"from": r.OnAirAt, "to": t}
			r.OnAirAt = t
		}
		if c.PlannedSeconds != nil {
			if err := checkSeconds("planned_seconds", *c.PlannedSeconds, 1); err != nil {
				return nil, err
			}
			d["planned_seconds"] = map[string]any{"from": r.PlannedSeconds, "to": *c.PlannedSeconds}
			r.PlannedSeconds = *c.PlannedSeconds
		}
		if c.RecordingAssetID != nil {
			rec := strings.TrimSpace(*c.RecordingAssetID)
			if rec != "" {
				if err := s.checkRecording(ctx, rec); err != nil {
					return nil, err
				}
			}
			d["recording_asset_id"] = map[string]any{"from": r.RecordingAssetID, "to": rec}
			r.RecordingAssetID = rec
		}
		return d, nil
	})
}

// checkRecording accepts an existing audio asset as a rundown's recording.
func (s *Service) checkRecording(ctx context.Context, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return apperr.InvalidField("recording_asset_id", "broadcast.recording_id_not_uuid", id)
	}
	if s.assets == nil {
		return apperr.InvalidField("recording_asset_id", "broadcast.no_asset_store")
	}
	as, err := s.assets.FindAssetByID(ctx, id)
	if apperr.Is(err, apperr.CodeNotFound) {
		return apperr.InvalidField("recording_asset_id", "broadcast.recording_not_found", id)
	}
	if err != nil {
		return err
	}
	if as.Kind != asset.KindAudio {
		return apperr.InvalidField("recording_asset_id", "broadcast.recording_not_audio", id, as.Kind).
			WithDetails(map[string]any{"field": "recording_asset_id", "kind": as.Kind})
	}
	return nil
}

// DeleteRundown removes a rundown that has not gone on air.
func (s *Service) DeleteRundown(ctx context.Context, a user.Actor, id string, ifVersion int) error {
	if err := requireRundowns(a); err != nil {
		return err
	}
	if err := checkID("id", id, apperr.T("broadcast.noun_rundown")); err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		r, err := s.findRundown(ctx, id)
		if err != nil {
			return err
		}
		if r.State != Planned && r.State != Ready {
			return apperr.Conflict("broadcast.rundown_not_deletable", apperr.ByLang(r.State.Label(), r.State)).
				WithDetails(map[string]any{"state": r.State})
		}
		if r.Version != ifVersion {
			return staleRundown(r)
		}
		if err := s.repo.DeleteRundown(ctx, id, ifVersion); err != nil {
			return err
		}
		if err := s.record(ctx, a, "rundown.delete", "rundown", id, r.Version, 0,
			map[string]any{"programme_id": r.ProgrammeID, "on_air_at": r.OnAirAt}); err != nil {
			return err
		}
		return s.changed(ctx, id)
	})
}

func checkPosition(pos, max int) error {
	if pos < 1 || pos > max {
		return apperr.InvalidField("position", "broadcast.position_out_of_range", pos, max)
	}
	return nil
}

func findItem(r *Rundown, itemID string) (int, error) {
	for i, it := range r.Items {
		if it.ID == itemID {
			return i, nil
		}
	}
	return 0, apperr.NotFound("broadcast.rundown_has_no_item", itemID)
}

// applyItemText validates the editable texts of an item.
func applyItemText(it *Item, title, notes, script *string, planned *int) error {
	var err error
	if title != nil {
		if it.Title, err = checkLine("title", *title, MaxTitle); err != nil {
			return err
		}
		if it.Title == "" {
			return apperr.InvalidField("title", "broadcast.title_empty")
		}
	}
	if notes != nil {
		if it.Notes, err = checkText("notes", *notes, MaxNotes); err != nil {
			return err
		}
	}
	if script != nil {
		if it.Kind == KindStory && strings.TrimSpace(*script) != "" {
			return apperr.InvalidField("script", "broadcast.script_on_story_item")
		}
		if it.Script, err = checkText("script", *script, MaxScript); err != nil {
			return err
		}
	}
	if planned != nil {
		if err := checkSeconds("planned_seconds", *planned, 0); err != nil {
			return err
		}
		it.PlannedSeconds = *planned
	}
	return nil
}

// InsertItem places a story's channel version or a free item in the rundown.
func (s *Service) InsertItem(ctx context.Context, a user.Actor, id string, in ItemInput, ifVersion int) (*RundownView, error) {
	kind := ItemKind(in.Kind)
	if !slices.Contains(ItemKinds, kind) {
		return nil, apperr.InvalidField("kind", "broadcast.unknown_item_kind", in.Kind)
	}
	if kind == KindStory {
		if in.StoryID == "" {
			return nil, apperr.InvalidField("story_id", "broadcast.story_item_needs_story_id")
		}
		if err := checkID("story_id", in.StoryID, apperr.T("broadcast.noun_story")); err != nil {
			return nil, err
		}
	} else if in.StoryID != "" {
		return nil, apperr.InvalidField("story_id", "broadcast.story_id_on_free_item")
	}
	return s.change(ctx, a, id, ifVersion, true, "item.insert", func(ctx context.Context, r *Rundown, p *Programme) (map[string]any, error) {
		if len(r.Items) >= MaxItems {
			return nil, apperr.Conflict("broadcast.rundown_full", MaxItems)
		}
		pos := len(r.Items) + 1
		if in.Position != nil {
			if err := checkPosition(*in.Position, len(r.Items)+1); err != nil {
				return nil, err
			}
			pos = *in.Position
		}
		it := Item{ID: uuid.NewString(), Kind: kind, Title: kind.Label()}
		if kind == KindStory {
			st, err := s.stories.FindStoryByID(ctx, in.StoryID, false)
			if apperr.Is(err, apperr.CodeNotFound) {
				return nil, apperr.InvalidField("story_id", "broadcast.story_does_not_exist", in.StoryID)
			}
			if err != nil {
				return nil, err
			}
			secs, fp, err := checkPlaceable(st, p.Channel)
			if err != nil {
				return nil, err
			}
			it.StoryID, it.StoryVersion, it.StoryFingerprint = st.ID, st.Version, fp
			it.Title, it.PlannedSeconds = st.Headline, secs
		}
		if err := applyItemText(&it, in.Title, in.Notes, in.Script, in.PlannedSeconds); err != nil {
			return nil, err
		}
		r.Items = slices.Insert(r.Items, pos-1, it)
		return map[string]any{"item_id": it.ID, "kind": it.Kind, "story_id": it.StoryID, "position": pos, "title": it.Title}, nil
	})
}

// UpdateItem moves an item to another position or edits its duration, title, notes or script.
func (s *Service) UpdateItem(ctx context.Context, a user.Actor, id, itemID string, c ItemChange, ifVersion int) (*RundownView, error) {
	if err := checkID("item_id", itemID, apperr.T("broadcast.noun_item")); err != nil {
		return nil, err
	}
	if c.isEmpty() {
		return nil, apperr.Invalid("broadcast.no_item_field_to_change")
	}
	return s.change(ctx, a, id, ifVersion, true, "item.update", func(ctx context.Context, r *Rundown, p *Programme) (map[string]any, error) {
		i, err := findItem(r, itemID)
		if err != nil {
			return nil, err
		}
		it := r.Items[i]
		d := map[string]any{"item_id": itemID, "title": it.Title}
		if err := applyItemText(&it, c.Title, c.Notes, c.Script, c.PlannedSeconds); err != nil {
			return nil, err
		}
		r.Items[i] = it
		if c.Position != nil {
			if err := checkPosition(*c.Position, len(r.Items)); err != nil {
				return nil, err
			}
			d["position"] = map[string]any{"from": i + 1, "to": *c.Position}
			r.Items = slices.Insert(slices.Delete(r.Items, i, i+1), *c.Position-1, it)
		}
		if c.PlannedSeconds != nil {
			d["planned_seconds"] = *c.PlannedSeconds
		}
		return d, nil
	})
}

// RemoveItem takes an item out of the rundown.
func (s *Service) RemoveItem(ctx context.Context, a user.Actor, id, itemID string, ifVersion int) (*RundownView, error) {
	if err := checkID("item_id", itemID, apperr.T("broadcast.noun_item")); err != nil {
		return nil, err
	}
	return s.change(ctx, a, id, ifVersion, true, "item.remove", func(ctx context.Context, r *Rundown, p *Programme) (map[string]any, error) {
		i, err := findItem(r, itemID)
		if err != nil {
			return nil, err
		}
		it := r.Items[i]
		r.Items = slices.Delete(r.Items, i, i+1)
		return map[string]any{"item_id": itemID, "kind": it.Kind, "story_id": it.StoryID, "position": i + 1, "title": it.Title}, nil
	})
}
