package story

import "math"

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

// Limits on the channel versions.
const (
	MaxRadioScript   = 20000 // runes: about 20 minutes of reading
	MaxSegmentScript = 5000  // runes per TV segment
	MaxPresenter     = 100   // runes
	MaxSegments      = 50    // segments per TV version
	// MaxMediaSeconds bounds every duration, in and out point: nothing on air runs 6 hours.
	MaxMediaSeconds = 6 * 60 * 60
)

// wholeSeconds rounds a media length up to whole seconds, as read times are:
// a running order must never come up short. The small allowance keeps a
// clip measured at 12.0000001 s from counting as 13 s.
func wholeSeconds(x float64) int {
	if x <= 0 {
		return 0
	}
	return int(math.Ceil(x - 1e-3))
}

// ClipSeconds is the length of the part of a clip a segment plays: from
// InSeconds to OutSeconds, or to the end of the asset (assetSeconds) when
// OutSeconds is 0. It is 0 for a segment without a clip or whose end is unknown.
func ClipSeconds(seg TVSegment, assetSeconds float64) float64 {
	if seg.VideoAssetID == "" {
		return 0
	}
	out := seg.OutSeconds
	if out == 0 {
		out = assetSeconds
	}
	return max(out-seg.InSeconds, 0)
}

// SegmentSeconds is a segment's length on air, the timing rule of TV versions:
//   - anchor, vo, standup without a clip: the read time of the script;
//   - anchor or vo over a clip: the longer of the read time and the clip;
//   - sot, standup or graphic with a clip: the clip's length;
//   - sot or graphic without a clip: the duration given (DurationSeconds).
//
// readSeconds is the script's read time, assetSeconds the clip asset's length
// (0 when unknown).
func SegmentSeconds(seg TVSegment, readSeconds int, assetSeconds float64) int {
	clip := wholeSeconds(ClipSeconds(seg, assetSeconds))
	hasClip := seg.VideoAssetID != ""
	switch seg.Type {
	case SegmentAnchor, SegmentVO:
		return max(readSeconds, clip)
	case SegmentStandup:
		if hasClip {
			return clip
		}
		return readSeconds
	case SegmentSOT, SegmentGraphic:
		if hasClip {
			return clip
		}
		return seg.DurationSeconds
	}
	return 0
}

// needsGivenDuration reports whether the segment's length can only come from
// DurationSeconds: sot and graphic without a clip.
func needsGivenDuration(seg TVSegment) bool {
	return seg.VideoAssetID == "" && (seg.Type == SegmentSOT || seg.Type == SegmentGraphic)
}

// IsEmpty reports whether the radio version has nothing to air.
func (r *RadioVersion) IsEmpty() bool {
	return r == nil || (r.Script == "" && r.AudioAssetID == "")
}

// IsEmpty reports whether the TV version has nothing to air.
func (t *TVVersion) IsEmpty() bool { return t == nil || len(t.Segments) == 0 }

// MissingVersion returns the first channel the story targets whose version is
// empty (radio without script or audio, TV without segments), or "".
func (s *Story) MissingVersion() Channel {
	for _, ch := range s.Channels {
		switch {
		case ch == ChannelRadio && s.Radio.IsEmpty():
			return ch
		case ch == ChannelTV && s.TV.IsEmpty():
			return ch
		}
	}
	return ""
}
