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

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/keyset"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

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

// FindRundownView returns the rundown with its items, their stories (headline,
// radio script or TV segments, flags) and the timings: the API, the
// teleprompter, the printable script and MOS all render from it.
func (s *Service) FindRundownView(ctx context.Context, a user.Actor, id string) (*RundownView, error) {
	if err := requireRead(a); err != nil {
		return nil, err
	}
	if err := checkID("id", id, apperr.T("broadcast.noun_rundown")); err != nil {
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
		if err := checkID("programme_id", f.ProgrammeID, apperr.T("broadcast.noun_programme")); err != nil {
			return nil, nil, err
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		return nil, nil, apperr.InvalidField("to", "broadcast.to_before_from")
	}
	rs, next, err := keyset.Page(f.Limit, 50, 200, func(limit int) ([]Rundown, error) {
		f.Limit = limit
		return s.repo.FindRundowns(ctx, f)
	}, rundownCursor)
	if err != nil {
		return nil, nil, err
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

// rundownCursor is the position of r in the rundown list.
func rundownCursor(r Rundown) RundownCursor { return RundownCursor{OnAirAt: r.OnAirAt, ID: r.ID} }
