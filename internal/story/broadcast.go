package story

// The radio and TV versions of a story. They are fields of Story, so they are
// saved with it (PATCH with If-Match), captured in every revision snapshot,
// diffed with it and signed with it: an approval signs the story version,
// which covers every channel version at once.

// RadioVersion is the radio edition of a story (bản phát thanh): the
// announcer's script and an optional recorded report.
type RadioVersion struct {
	// Script is what the announcer reads, plain text (sanitized, NFC).
	Script string `json:"script"`
	// Presenter names who reads it; their words-per-minute rate sets the read time
	// (broadcast.presenters in the configuration, else broadcast.words_per_minute).
	Presenter string `json:"presenter,omitempty"`
	// AudioAssetID is an optional recorded report (an audio asset).
	AudioAssetID string `json:"audio_asset_id,omitempty"`
	// AudioSeconds is the recorded report's duration, taken from the asset.
	AudioSeconds int `json:"audio_seconds"`
	// ReadSeconds is the script's read time: syllables / words-per-minute.
	ReadSeconds int `json:"read_seconds"`
	// TotalSeconds is ReadSeconds + AudioSeconds: the item's length on air.
	TotalSeconds int `json:"total_seconds"`
}

// SegmentType is the kind of a TV segment.
type SegmentType string

// The TV segment types of a broadcast script.
const (
	SegmentAnchor  SegmentType = "anchor"  // dẫn: anchor intro, read on camera
	SegmentVO      SegmentType = "vo"      // voice-over read over pictures
	SegmentSOT     SegmentType = "sot"     // sound on tape: a clip with its own sound
	SegmentStandup SegmentType = "standup" // the reporter on camera in the field
	SegmentGraphic SegmentType = "graphic" // a full-screen graphic
)

// SegmentTypes lists the valid segment types in display order.
var SegmentTypes = []SegmentType{SegmentAnchor, SegmentVO, SegmentSOT, SegmentStandup, SegmentGraphic}

// TVSegment is one part of a TV version.
type TVSegment struct {
	Type SegmentType `json:"type"`
	// Script is the spoken text (for SOT, the transcript or cue), plain text.
	Script string `json:"script"`
	// VideoAssetID is an optional clip (a video asset), played from InSeconds to OutSeconds.
	VideoAssetID string  `json:"video_asset_id,omitempty"`
	InSeconds    float64 `json:"in_seconds,omitempty"`
	OutSeconds   float64 `json:"out_seconds,omitempty"`
	// DurationSeconds is the segment's length on air: the read time of the
	// script for spoken segments, the clip length for clips (computed; for a
	// graphic without a clip the given value is kept).
	DurationSeconds int `json:"duration_seconds"`
}

// TVVersion is the TV edition of a story (bản truyền hình): ordered segments.
type TVVersion struct {
	Segments []TVSegment `json:"segments"`
	// TotalSeconds is the sum of the segments' durations.
	TotalSeconds int `json:"total_seconds"`
}
