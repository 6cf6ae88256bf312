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
		return 0, "", apperr.Conflict("Bài %q đang ở trạng thái %q, chưa được duyệt để phát sóng (story %q is %s, not approved for air)",
			st.Headline, st.State.Label(), st.Headline, st.State).WithDetails(details)
	}
	if !slices.Contains(st.Channels, ch) {
		return 0, "", apperr.Conflict("Bài %q không có kênh %s (story %q does not target %s)", st.Headline, ch, st.Headline, ch).WithDetails(details)
	}
	seconds, fingerprint, ok := channelVersion(st, ch)
	if !ok {
		return 0, "", apperr.Conflict("Bài %q chưa có %s (story %q has no %s version)", st.Headline, channelLabel(ch), st.Headline, ch).WithDetails(details)
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
	return apperr.PreconditionFailed("Kịch bản đã được người khác sửa (phiên bản hiện tại %d); hãy tải lại rồi làm lại (rundown changed since you loaded it; current version %d: reload and retry)", r.Version, r.Version).
		WithDetails(map[string]any{"current_version": r.Version})
}

func lockedRundown(r *Rundown) error {
	return apperr.Conflict("Kịch bản đang ở trạng thái %q nên đã khóa, không sửa được (the rundown is %s and locked: it cannot change)", r.State.Label(), r.State).
		WithDetails(map[string]any{"state": r.State})
}

func checkOnAir(t time.Time) (time.Time, error) {
	if t.IsZero() || t.Year() < 2000 || t.Year() > 2200 {
		return t, apperr.InvalidField("on_air_at", "Giờ phát sóng on_air_at không hợp lệ (on_air_at is not a sensible time)")
	}
	return t.UTC().Truncate(time.Second), nil
}

// CreateRundown starts an empty rundown for one airing of a programme.
func (s *Service) CreateRundown(ctx context.Context, a user.Actor, in RundownInput) (*RundownView, error) {
	if err := requireRundowns(a); err != nil {
		return nil, err
	}
	if in.ProgrammeID == "" {
		return nil, apperr.InvalidField("programme_id", "Cần chọn chương trình programme_id (programme_id is required)")
	}
	if err := checkID("programme_id", in.ProgrammeID, "chương trình (programme)"); err != nil {
		return nil, err
	}
	var out *RundownView
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		p, err := s.repo.FindProgrammeByID(ctx, in.ProgrammeID)
		if apperr.Is(err, apperr.CodeNotFound) {
			return apperr.InvalidField("programme_id", "Chương trình %s không tồn tại (programme does not exist)", in.ProgrammeID)
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
			return apperr.InvalidField("on_air_at", "Chương trình không có lịch phát sóng; cần on_air_at (the programme has no schedule: on_air_at is required)")
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
		if err := s.record(ctx, a, "rundown.create", "rundown", r.ID, 0, r.Version,
			map[string]any{"programme_id": p.ID, "on_air_at": r.OnAirAt}); err != nil {
			return err
		}
		s.changed(ctx, r.ID)
		out, err = s.view(ctx, r, p)
		return err
	})
	return out, err
}

func (s *Service) findRundown(ctx context.Context, id string) (*Rundown, error) {
	r, err := s.repo.FindRundownByID(ctx, id)
	if apperr.Is(err, apperr.CodeNotFound) {
		return nil, fmt.Errorf("broadcast: %w", apperr.NotFound("Không tìm thấy kịch bản %s (rundown not found)", id))
	}
	return r, err
}

// change runs one edit of a rundown still at ifVersion in a transaction:
// fn changes r (content edits are refused once the rundown is locked), then
// positions are renumbered, the version moves on, the store writes it only if
// nobody wrote in between, the change is audited and OnRundownChange scheduled.
func (s *Service) change(ctx context.Context, a user.Actor, id string, ifVersion int, content bool, action string,
	fn func(ctx context.Context, r *Rundown, p *Programme) (map[string]any, error)) (*RundownView, error) {
	if err := requireRundowns(a); err != nil {
		return nil, err
	}
	if err := checkID("id", id, "kịch bản (rundown)"); err != nil {
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
		if err := s.record(ctx, a, "rundown."+action, "rundown", r.ID, ifVersion, r.Version, details); err != nil {
			return err
		}
		s.changed(ctx, r.ID)
		out, err = s.view(ctx, r, p)
		return err
	})
	return out, err
}

// UpdateRundown changes the on-air time or the planned length (refused once
// the rundown is locked) or attaches the recording of the airing (any state).
func (s *Service) UpdateRundown(ctx context.Context, a user.Actor, id string, c RundownChange, ifVersion int) (*RundownView, error) {
	content := c.OnAirAt != nil || c.PlannedSeconds != nil
	if !content && c.RecordingAssetID == nil {
		return nil, apperr.Invalid("Không có trường nào để sửa; dùng on_air_at, planned_seconds, recording_asset_id (no field to change)")
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
		return apperr.InvalidField("recording_asset_id", "recording_asset_id %q không phải UUID của một tệp (recording_asset_id is not an asset id)", id)
	}
	if s.Assets == nil {
		return apperr.InvalidField("recording_asset_id", "Máy chủ này không có kho tệp nên không gắn được bản ghi (this server has no asset store)")
	}
	as, err := s.Assets.FindAssetByID(ctx, id)
	if apperr.Is(err, apperr.CodeNotFound) {
		return apperr.InvalidField("recording_asset_id", "Không có tệp %s (recording_asset_id refers to no asset)", id)
	}
	if err != nil {
		return err
	}
	if as.Kind != asset.KindAudio {
		return apperr.InvalidField("recording_asset_id", "Bản ghi chương trình phải là tệp âm thanh; tệp %s là %s (recording_asset_id must be an audio asset; this one is %s)", id, as.Kind, as.Kind).
			WithDetails(map[string]any{"field": "recording_asset_id", "kind": as.Kind})
	}
	return nil
}

// DeleteRundown removes a rundown that has not gone on air.
func (s *Service) DeleteRundown(ctx context.Context, a user.Actor, id string, ifVersion int) error {
	if err := requireRundowns(a); err != nil {
		return err
	}
	if err := checkID("id", id, "kịch bản (rundown)"); err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		r, err := s.findRundown(ctx, id)
		if err != nil {
			return err
		}
		if r.State != Planned && r.State != Ready {
			return apperr.Conflict("Chỉ xóa được kịch bản chưa phát sóng; kịch bản này %q (only a planned or ready rundown can be deleted; this one is %s)", r.State.Label(), r.State).
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
		s.changed(ctx, id)
		return nil
	})
}

func checkPosition(pos, max int) error {
	if pos < 1 || pos > max {
		return apperr.InvalidField("position", "Vị trí %d không hợp lệ; từ 1 đến %d (position must be between 1 and %d)", pos, max, max)
	}
	return nil
}

func findItem(r *Rundown, itemID string) (int, error) {
	for i, it := range r.Items {
		if it.ID == itemID {
			return i, nil
		}
	}
	return 0, apperr.NotFound("Kịch bản không có mục %s (the rundown has no item %s)", itemID, itemID)
}

// applyItemText validates the editable texts of an item.
func applyItemText(it *Item, title, notes, script *string, planned *int) error {
	var err error
	if title != nil {
		if it.Title, err = checkLine("title", *title, MaxTitle); err != nil {
			return err
		}
		if it.Title == "" {
			return apperr.InvalidField("title", "Tiêu đề mục không được để trống (title must not be empty)")
		}
	}
	if notes != nil {
		if it.Notes, err = checkText("notes", *notes, MaxNotes); err != nil {
			return err
		}
	}
	if script != nil {
		if it.Kind == KindStory && strings.TrimSpace(*script) != "" {
			return apperr.InvalidField("script", "Mục tin bài dùng lời của bài; script chỉ dành cho mục tự do (a story item reads the story's version; script is for free items)")
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
		return nil, apperr.InvalidField("kind", "Loại mục %q không tồn tại; dùng story, break, weather, jingle, ad, other (unknown item kind)", in.Kind)
	}
	if kind == KindStory {
		if in.StoryID == "" {
			return nil, apperr.InvalidField("story_id", "Mục tin bài cần story_id (a story item needs story_id)")
		}
		if err := checkID("story_id", in.StoryID, "bài (story)"); err != nil {
			return nil, err
		}
	} else if in.StoryID != "" {
		return nil, apperr.InvalidField("story_id", "Chỉ mục loại story có story_id (only story items take story_id)")
	}
	return s.change(ctx, a, id, ifVersion, true, "item.insert", func(ctx context.Context, r *Rundown, p *Programme) (map[string]any, error) {
		if len(r.Items) >= MaxItems {
			return nil, apperr.Conflict("Kịch bản đã đủ %d mục (a rundown holds at most %d items)", MaxItems, MaxItems)
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
				return nil, apperr.InvalidField("story_id", "Bài %s không tồn tại (story does not exist)", in.StoryID)
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
	if err := checkID("item_id", itemID, "mục (item)"); err != nil {
		return nil, err
	}
	if c.isEmpty() {
		return nil, apperr.Invalid("Không có trường nào để sửa; dùng position, planned_seconds, title, notes, script (no field to change)")
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
	if err := checkID("item_id", itemID, "mục (item)"); err != nil {
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
