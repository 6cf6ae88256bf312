package broadcast

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// placeableStates are the story states whose channel versions may go on air.
var placeableStates = []workflow.State{workflow.Approved, workflow.Scheduled, workflow.Published}

func canMove(from, to State) bool { return slices.Contains(transitions[from], to) }

// ParseState validates a rundown state name.
func ParseState(s string) (State, bool) {
	st := State(s)
	return st, slices.Contains(States, st)
}

// channelVersion returns the story's version for the channel: its length on
// air and a fingerprint of its content; ok is false when the story has none
// (or an empty one).
func channelVersion(st *story.Story, ch story.Channel) (seconds int, fingerprint string, ok bool) {
	var v any
	switch ch {
	case story.ChannelRadio:
		if st.Radio == nil || (strings.TrimSpace(st.Radio.Script) == "" && st.Radio.AudioAssetID == "") {
			return 0, "", false
		}
		seconds, v = st.Radio.TotalSeconds, st.Radio
	case story.ChannelTV:
		if st.TV == nil || len(st.TV.Segments) == 0 {
			return 0, "", false
		}
		seconds, v = st.TV.TotalSeconds, st.TV
	default:
		return 0, "", false
	}
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return seconds, hex.EncodeToString(sum[:12]), true
}

// channelLabel is the Vietnamese name of a broadcast channel's version.
func channelLabel(ch story.Channel) string {
	if ch == story.ChannelTV {
		return "bản truyền hình (TV version)"
	}
	return "bản phát thanh (radio version)"
}

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

// FindRundownView returns the rundown with its items, their stories (headline,
// radio script or TV segments, flags) and the timings: the API, the
// teleprompter, the printable script and MOS all render from it.
func (s *Service) FindRundownView(ctx context.Context, a user.Actor, id string) (*RundownView, error) {
	if err := requireRead(a); err != nil {
		return nil, err
	}
	if err := checkID("id", id, "kịch bản (rundown)"); err != nil {
		return nil, err
	}
	r, err := s.findRundown(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.repo.FindProgrammeByID(ctx, r.ProgrammeID)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, r, p)
}

// RundownSummary is a rundown in a list.
type RundownSummary struct {
	ID               string        `json:"id"`
	ProgrammeID      string        `json:"programme_id"`
	ProgrammeName    string        `json:"programme_name"`
	Channel          story.Channel `json:"channel"`
	OnAirAt          time.Time     `json:"on_air_at"`
	PlannedSeconds   int           `json:"planned_seconds"`
	State            State         `json:"state"`
	Version          int           `json:"version"`
	ItemCount        int           `json:"item_count"`
	TotalSeconds     int           `json:"total_seconds"`
	OverUnderSeconds int           `json:"over_under_seconds"`
	UpdatedAt        time.Time     `json:"updated_at"`
}

// FindRundowns lists rundowns by on-air time; it returns the cursor of the next page, or nil on the last.
func (s *Service) FindRundowns(ctx context.Context, a user.Actor, f RundownFilter) ([]RundownSummary, *RundownCursor, error) {
	if err := requireRead(a); err != nil {
		return nil, nil, err
	}
	if f.ProgrammeID != "" {
		if err := checkID("programme_id", f.ProgrammeID, "chương trình (programme)"); err != nil {
			return nil, nil, err
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		return nil, nil, apperr.InvalidField("to", "Thời điểm to phải sau from (to must be after from)")
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	want := f.Limit
	f.Limit = want + 1
	rs, err := s.repo.FindRundowns(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	var next *RundownCursor
	if len(rs) > want {
		rs = rs[:want]
		next = &RundownCursor{OnAirAt: rs[want-1].OnAirAt, ID: rs[want-1].ID}
	}
	progs, err := s.repo.FindProgrammes(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[string]Programme, len(progs))
	for _, p := range progs {
		byID[p.ID] = p
	}
	out := make([]RundownSummary, len(rs))
	for i, r := range rs {
		total := 0
		for _, it := range r.Items {
			total += it.PlannedSeconds
		}
		p := byID[r.ProgrammeID]
		out[i] = RundownSummary{ID: r.ID, ProgrammeID: r.ProgrammeID, ProgrammeName: p.Name, Channel: p.Channel, OnAirAt: r.OnAirAt,
			PlannedSeconds: r.PlannedSeconds, State: r.State, Version: r.Version, ItemCount: len(r.Items), TotalSeconds: total,
			OverUnderSeconds: total - r.PlannedSeconds, UpdatedAt: r.UpdatedAt}
	}
	return out, next, nil
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
	if s.assets == nil {
		return apperr.InvalidField("recording_asset_id", "Máy chủ này không có kho tệp nên không gắn được bản ghi (this server has no asset store)")
	}
	as, err := s.assets.FindAssetByID(ctx, id)
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

// TransitionRundown moves a rundown to another state (planned → ready →
// on_air → done; ready → planned to rework it). Going ready or on air is
// refused while a placed story is killed, unapproved or without its version.
func (s *Service) TransitionRundown(ctx context.Context, a user.Actor, id, to string, ifVersion int) (*RundownView, error) {
	target, ok := ParseState(to)
	if !ok {
		return nil, apperr.InvalidField("to", "Trạng thái %q không tồn tại; dùng planned, ready, on_air, done (unknown state)", to)
	}
	return s.change(ctx, a, id, ifVersion, false, "transition."+string(target), func(ctx context.Context, r *Rundown, p *Programme) (map[string]any, error) {
		if !canMove(r.State, target) {
			return nil, apperr.Conflict("Không chuyển được kịch bản từ %q sang %q (a rundown cannot go from %s to %s)", r.State.Label(), target.Label(), r.State, target).
				WithDetails(map[string]any{"state": r.State, "allowed": transitions[r.State]})
		}
		if target == Ready || target == OnAir {
			v, err := s.view(ctx, r, p)
			if err != nil {
				return nil, err
			}
			var bad []string
			for _, it := range v.Items {
				if it.Flag == FlagKilled || it.Flag == FlagNotApproved || it.Flag == FlagNoVersion || it.Flag == FlagMissing {
					bad = append(bad, it.Title)
				}
			}
			if len(bad) > 0 {
				return nil, apperr.Conflict("Kịch bản còn tin bài không được phát sóng: %s; hãy bỏ chúng ra (the rundown holds stories that may not air: %s)",
					strings.Join(bad, "; "), strings.Join(bad, "; ")).WithDetails(map[string]any{"titles": bad})
			}
		}
		d := map[string]any{"from": r.State, "to": target}
		r.State = target
		return d, nil
	})
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

// The flags of a placed story, computed when the rundown is read.
const (
	FlagKilled      = "killed"       // the story was taken down (gỡ bài) after it was placed
	FlagNotApproved = "not_approved" // the story went back to the desk
	FlagNoVersion   = "no_version"   // its version for the channel was removed
	FlagChanged     = "changed"      // its version for the channel changed since it was placed
	FlagMissing     = "missing"      // the story cannot be found
)

// StoryRef is the placed story as it is now.
type StoryRef struct {
	ID       string         `json:"id"`
	Headline string         `json:"headline"`
	State    workflow.State `json:"state"`
	Version  int            `json:"version"`
	// Radio or TV is the version for the programme's channel (the other is omitted).
	Radio *story.RadioVersion `json:"radio,omitempty"`
	TV    *story.TVVersion    `json:"tv,omitempty"`
	// VersionSeconds is the version's length on air now.
	VersionSeconds int `json:"version_seconds"`
}

// ItemView is an item with its timing, its story and its flag.
type ItemView struct {
	Item
	ItemTiming
	Story *StoryRef `json:"story,omitempty"`
	// Flag warns about a placed story: killed, not_approved, no_version, changed, missing ("" when fine).
	Flag        string `json:"flag,omitempty"`
	FlagMessage string `json:"flag_message,omitempty"`
}

// ProgrammeRef names a rundown's programme.
type ProgrammeRef struct {
	ID      string        `json:"id"`
	Name    string        `json:"name"`
	Slug    string        `json:"slug"`
	Channel story.Channel `json:"channel"`
}

// RundownView is a rundown as it is shown: items with their stories, flags and timings.
type RundownView struct {
	Rundown
	Programme ProgrammeRef `json:"programme"`
	Timing    Timing       `json:"timing"`
	Items     []ItemView   `json:"items"`
}

// view builds the rundown view, reading each placed story as it is now.
func (s *Service) view(ctx context.Context, r *Rundown, p *Programme) (*RundownView, error) {
	durations := make([]int, len(r.Items))
	for i, it := range r.Items {
		durations[i] = it.PlannedSeconds
	}
	t := ComputeTiming(r.OnAirAt, r.PlannedSeconds, durations)
	v := &RundownView{Rundown: *r, Programme: ProgrammeRef{ID: p.ID, Name: p.Name, Slug: p.Slug, Channel: p.Channel},
		Timing: t, Items: make([]ItemView, len(r.Items))}
	v.Rundown.Items = nil
	for i, it := range r.Items {
		iv := ItemView{Item: it, ItemTiming: t.Items[i]}
		if it.Kind == KindStory {
			st, err := s.stories.FindStoryByID(ctx, it.StoryID, false)
			switch {
			case apperr.Is(err, apperr.CodeNotFound):
				iv.Flag, iv.FlagMessage = FlagMissing, "Không tìm thấy bài (story not found)"
			case err != nil:
				return nil, err
			default:
				iv.Story, iv.Flag, iv.FlagMessage = storyRef(st, p.Channel, it)
			}
		}
		v.Items[i] = iv
	}
	return v, nil
}

// storyRef describes the placed story now and flags what changed since it was placed.
func storyRef(st *story.Story, ch story.Channel, it Item) (*StoryRef, string, string) {
	ref := &StoryRef{ID: st.ID, Headline: st.Headline, State: st.State, Version: st.Version}
	if ch == story.ChannelRadio {
		ref.Radio = st.Radio
	} else {
		ref.TV = st.TV
	}
	secs, fp, ok := channelVersion(st, ch)
	ref.VersionSeconds = secs
	switch {
	case st.State == workflow.Killed:
		msg := "Bài đã bị gỡ; hãy bỏ khỏi kịch bản (story was killed: take it out of the rundown)"
		if st.KilledAt != nil {
			msg = fmt.Sprintf("Bài đã bị gỡ lúc %s; hãy bỏ khỏi kịch bản (story was killed at %s: take it out of the rundown)",
				vntime.Format(*st.KilledAt), st.KilledAt.UTC().Format(time.RFC3339))
		}
		return ref, FlagKilled, msg
	case !slices.Contains(placeableStates, st.State):
		return ref, FlagNotApproved, fmt.Sprintf("Bài đã trở lại trạng thái %q, không còn được duyệt để phát sóng (story is %s again, no longer approved for air)", st.State.Label(), st.State)
	case !ok:
		return ref, FlagNoVersion, fmt.Sprintf("Bài không còn %s (story no longer has its %s version)", channelLabel(ch), ch)
	case fp != it.StoryFingerprint:
		return ref, FlagChanged, fmt.Sprintf("%s của bài đã thay đổi sau khi xếp vào kịch bản; dài %d giây (the %s version changed since it was placed; now %d s)",
			capitalize(channelLabel(ch)), secs, ch, secs)
	}
	return ref, "", ""
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
