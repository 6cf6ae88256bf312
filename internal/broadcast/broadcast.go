// Package broadcast holds the radio and TV programmes (chương trình) and their
// rundowns (kịch bản chương trình): one airing of a programme as an ordered
// list of items (stories' radio or TV versions and free items such as
// breaks, weather and jingles) with planned durations and the timings a
// broadcast newsroom system computes from them. Service holds the use cases;
// Repository is what the store implements. mos/ speaks the MOS protocol.
package broadcast

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// Limits on programme and rundown fields (characters are runes).
const (
	MaxName        = 200
	MaxDescription = 4000
	MaxTitle       = 300
	MaxNotes       = 5000
	MaxScript      = 50000
	MaxItems       = 200
	// MaxSeconds is the longest duration accepted anywhere: a day.
	MaxSeconds = 24 * 60 * 60
)

// Weekday is a day of a programme's schedule: mon, tue, wed, thu, fri, sat, sun.
type Weekday string

// Weekdays lists the valid days, Monday (thứ hai) first.
var Weekdays = []Weekday{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Schedule says when a programme airs: on Days at Start ("06:00"), Vietnam time (Asia/Ho_Chi_Minh).
// No days means no regular slot.
type Schedule struct {
	Days  []Weekday `json:"days"`
	Start string    `json:"start"`
}

// Podcast is what the programme's podcast feed (/podcasts/{slug}.xml) says about itself.
type Podcast struct {
	Author     string `json:"author"`
	OwnerEmail string `json:"owner_email"`
	// Category is an Apple Podcasts category, e.g. "News" or "News/Daily News".
	Category string `json:"category"`
	// ImageAssetID is the cover art (an image asset), or "".
	ImageAssetID string `json:"image_asset_id"`
	Explicit     bool   `json:"explicit"`
}

// Programme is a regular radio or TV programme ("Thời sự sáng" on radio at 06:00).
type Programme struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Slug names the programme in URLs (/podcasts/{slug}.xml); unique.
	Slug        string        `json:"slug"`
	Channel     story.Channel `json:"channel"` // radio or tv
	Schedule    Schedule      `json:"schedule"`
	Description string        `json:"description"`
	// PlannedSeconds is the length of an airing; rundowns start with it.
	PlannedSeconds int       `json:"planned_seconds"`
	Podcast        Podcast   `json:"podcast"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// State is where a rundown is in its life.
type State string

// The rundown states. OnAir and Done are locked: their items cannot change.
const (
	Planned State = "planned" // being built
	Ready   State = "ready"   // complete; sent to the playout/prompter
	OnAir   State = "on_air"  // airing now
	Done    State = "done"    // aired
)

// States lists the states in order.
var States = []State{Planned, Ready, OnAir, Done}

// transitions are the allowed state changes.
var transitions = map[State][]State{
	Planned: {Ready},
	Ready:   {Planned, OnAir},
	OnAir:   {Done},
	Done:    nil,
}

// Label returns the Vietnamese name of the state.
func (s State) Label() string {
	switch s {
	case Planned:
		return "Đang dựng"
	case Ready:
		return "Sẵn sàng"
	case OnAir:
		return "Đang phát sóng"
	case Done:
		return "Đã phát sóng"
	}
	return string(s)
}

// Locked reports whether the rundown's content may no longer change.
func (s State) Locked() bool { return s == OnAir || s == Done }

// ItemKind is what a rundown item is.
type ItemKind string

// The item kinds: a story's channel version, or a free item.
const (
	KindStory   ItemKind = "story"
	KindBreak   ItemKind = "break"
	KindWeather ItemKind = "weather"
	KindJingle  ItemKind = "jingle"
	KindAd      ItemKind = "ad"
	KindOther   ItemKind = "other"
)

// ItemKinds lists the valid kinds.
var ItemKinds = []ItemKind{KindStory, KindBreak, KindWeather, KindJingle, KindAd, KindOther}

// Label returns the Vietnamese name of the kind, the default title of a free item.
func (k ItemKind) Label() string {
	switch k {
	case KindStory:
		return "Tin bài"
	case KindBreak:
		return "Nghỉ giữa chương trình"
	case KindWeather:
		return "Thời tiết"
	case KindJingle:
		return "Nhạc hiệu"
	case KindAd:
		return "Quảng cáo"
	case KindOther:
		return "Mục khác"
	}
	return string(k)
}

// Item is one entry of a rundown.
type Item struct {
	ID string `json:"id"`
	// Position is 1 for the first item.
	Position int      `json:"position"`
	Kind     ItemKind `json:"kind"`
	// StoryID is the story placed (kind story); its channel version is aired.
	StoryID string `json:"story_id,omitempty"`
	// StoryVersion is the story's version when it was placed.
	StoryVersion int `json:"story_version,omitempty"`
	// StoryFingerprint identifies the channel version placed, to flag later changes.
	StoryFingerprint string `json:"-"`
	Title            string `json:"title"`
	PlannedSeconds   int    `json:"planned_seconds"`
	// Notes are cues for the studio (plain text).
	Notes string `json:"notes"`
	// Script is the text read for a free item (plain text, optional).
	Script string `json:"script"`
}

// Rundown is one airing of a programme.
type Rundown struct {
	ID          string    `json:"id"`
	ProgrammeID string    `json:"programme_id"`
	OnAirAt     time.Time `json:"on_air_at"`
	// PlannedSeconds is the airing's length, the programme's unless overridden.
	PlannedSeconds int   `json:"planned_seconds"`
	State          State `json:"state"`
	// RecordingAssetID is the recording of the airing (an audio asset), attached
	// after air; a done radio rundown with one is a podcast episode. "" when none.
	RecordingAssetID string    `json:"recording_asset_id"`
	Version          int       `json:"version"`
	CreatedBy        string    `json:"created_by"`
	Items            []Item    `json:"items"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// RundownFilter selects rundowns, in on-air order.
type RundownFilter struct {
	ProgrammeID string
	From, To    time.Time // on-air time in [From, To); zero: unbounded
	After       *RundownCursor
	Limit       int
}

// RundownCursor is a keyset position in the rundown list (on-air time, id ascending).
type RundownCursor struct {
	OnAirAt time.Time `json:"t"`
	ID      string    `json:"i"`
}

// Repository persists programmes and rundowns. Calls made with a context
// from txn.Runner.InTx join that transaction.
type Repository interface {
	// CreateProgramme inserts p; a slug already taken is Conflict.
	CreateProgramme(ctx context.Context, p *Programme) error
	// UpdateProgramme writes p if the stored version is still ifVersion, else PreconditionFailed.
	UpdateProgramme(ctx context.Context, p *Programme, ifVersion int) error
	DeleteProgramme(ctx context.Context, id string) error
	FindProgrammeByID(ctx context.Context, id string) (*Programme, error)
	FindProgrammeBySlug(ctx context.Context, slug string) (*Programme, error)
	// FindProgrammes lists programmes by name; channel "" means every channel.
	FindProgrammes(ctx context.Context, channel story.Channel) ([]Programme, error)
	CountRundowns(ctx context.Context, programmeID string) (int, error)

	// CreateRundown inserts r with its items; a second rundown of the programme at the same time is Conflict.
	CreateRundown(ctx context.Context, r *Rundown) error
	// UpdateRundown writes r and replaces its items if the stored version is
	// still ifVersion (r.Version is the new one), else PreconditionFailed.
	UpdateRundown(ctx context.Context, r *Rundown, ifVersion int) error
	// DeleteRundown removes the rundown and its items if still at ifVersion.
	DeleteRundown(ctx context.Context, id string, ifVersion int) error
	// FindRundownByID returns the rundown with its items in order.
	FindRundownByID(ctx context.Context, id string) (*Rundown, error)
	// FindRundowns lists rundowns with their items, by on-air time then id.
	FindRundowns(ctx context.Context, f RundownFilter) ([]Rundown, error)

	// FindEpisodes lists the podcast episodes of a programme (done rundowns
	// with a recording) with their items, newest first (on_air_at desc, id
	// desc), strictly after f.After.
	FindEpisodes(ctx context.Context, f EpisodeFilter) ([]Rundown, error)
	// FindRundownIDsPlacing lists the ids of the rundowns in one of states
	// that place the story.
	FindRundownIDsPlacing(ctx context.Context, storyID string, states []State) ([]string, error)
	// FindPlacedStories returns what the public pages show of these stories,
	// by id (missing ids are left out).
	FindPlacedStories(ctx context.Context, ids []string) (map[string]PlacedStory, error)
}

// EpisodeFilter selects the episodes of one programme, newest first.
type EpisodeFilter struct {
	ProgrammeID string
	After       *RundownCursor
	Limit       int
}

// PlacedStory is a placed story as the public episode pages show it.
type PlacedStory struct {
	ID        string
	Headline  string
	Slug      string
	SectionID string
	State     workflow.State
}

// Stories reads stories as they are now, whoever may see them (a placed
// story killed later must still show, flagged). story.Repository implements it.
type Stories interface {
	FindStoryByID(ctx context.Context, id string, forUpdate bool) (*story.Story, error)
}
