package story

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/textvi"
)

// The radio and TV versions arrive in Content as whole objects: one replaces
// the version, an empty one ({} or {"segments": []}) removes it, null or an
// absent field leaves it. The computed fields (read_seconds, audio_seconds,
// total_seconds, and duration_seconds except where it is an input) are
// ignored on input and worked out again on every save that carries the
// version, so a client may send back what it read.

// wordsPerMinute is the reading rate of the presenter, else the default.
func (s *Service) wordsPerMinute(presenter string) int {
	if n, ok := s.cfg.PresenterWPM[presenterKey(presenter)]; ok {
		return n
	}
	return s.cfg.WordsPerMinute
}

// presenterKey is how presenters are matched: cleaned, case ignored.
func presenterKey(name string) string { return strings.ToLower(textvi.Clean(name)) }

// cleanScript makes a script plain text: legacy encodings converted, markup
// pasted from a web page or the body reduced to its text, white space
// collapsed within lines, paragraphs kept as lines with at most one blank
// line between them.
func cleanScript(s string) string {
	s = textvi.NFC(fixLegacy(s))
	var lines []string
	blank := false
	for _, raw := range strings.Split(s, "\n") {
		if strings.ContainsAny(raw, "<&") {
			raw = richtext.PlainText(raw)
		}
		for _, line := range strings.Split(raw, "\n") {
			line = textvi.Clean(line)
			if line == "" {
				blank = len(lines) > 0
				continue
			}
			if blank {
				lines = append(lines, "")
				blank = false
			}
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}

// mediaSeconds looks up a clip or recording for a version: it must be the UUID
// of an existing asset of the wanted kind. It returns the canonical id and the
// asset's duration (0 while unmeasured).
func (s *Service) mediaSeconds(ctx context.Context, field, id, wantKind, wantLabel string) (string, float64, error) {
	u, err := uuid.Parse(id)
	if err != nil || len(id) != 36 {
		return "", 0, apperr.InvalidField(field, "story.media_id_not_uuid", field, id)
	}
	if s.attachments == nil {
		return "", 0, apperr.InvalidField(field, "story.server_keeps_no_assets")
	}
	kind, secs, err := s.attachments.MediaInfo(ctx, u.String())
	if apperr.Is(err, apperr.CodeNotFound) {
		return "", 0, apperr.InvalidField(field, "story.media_not_found", id)
	} else if err != nil {
		return "", 0, fmt.Errorf("story: asset %s: %w", id, err)
	}
	if kind != wantKind {
		return "", 0, apperr.InvalidField(field, "story.media_wrong_kind", id, kind, field, apperr.ByLang(wantLabel, wantKind)).WithDetails(map[string]any{"field": field, "kind": kind, "want": wantKind})
	}
	return u.String(), secs, nil
}

// radioVersion validates and times a radio version; nil means none.
func (s *Service) radioVersion(ctx context.Context, in RadioVersion) (*RadioVersion, error) {
	script := cleanScript(in.Script)
	if n := utf8.RuneCountInString(script); n > MaxRadioScript {
		return nil, apperr.InvalidField("radio.script", "story.radio_script_too_long", n, MaxRadioScript)
	}
	presenter := textvi.Clean(in.Presenter)
	if n := utf8.RuneCountInString(presenter); n > MaxPresenter {
		return nil, apperr.InvalidField("radio.presenter", "story.presenter_too_long", MaxPresenter)
	}
	out := &RadioVersion{Script: script, Presenter: presenter}
	if strings.TrimSpace(in.AudioAssetID) != "" {
		id, secs, err := s.mediaSeconds(ctx, "radio.audio_asset_id", strings.TrimSpace(in.AudioAssetID), "audio", "âm thanh")
		if err != nil {
			return nil, err
		}
		out.AudioAssetID, out.AudioSeconds = id, wholeSeconds(secs)
	}
	if out.IsEmpty() {
		return nil, nil
	}
	out.ReadSeconds = textvi.ReadSeconds(script, s.wordsPerMinute(presenter))
	out.TotalSeconds = out.ReadSeconds + out.AudioSeconds
	return out, nil
}

// tvVersion validates and times a TV version; nil means none.
func (s *Service) tvVersion(ctx context.Context, in TVVersion) (*TVVersion, error) {
	if len(in.Segments) > MaxSegments {
		return nil, apperr.InvalidField("tv.segments", "story.too_many_segments", MaxSegments, len(in.Segments))
	}
	out := &TVVersion{Segments: make([]TVSegment, 0, len(in.Segments))}
	for i, seg := range in.Segments {
		v, err := s.tvSegment(ctx, i, seg)
		if err != nil {
			return nil, err
		}
		out.Segments = append(out.Segments, v)
		out.TotalSeconds += v.DurationSeconds
	}
	if out.IsEmpty() {
		return nil, nil
	}
	if out.TotalSeconds > MaxMediaSeconds {
		return nil, apperr.InvalidField("tv.segments", "story.tv_version_too_long", out.TotalSeconds, MaxMediaSeconds)
	}
	return out, nil
}

// tvSegment validates and times segment i.
func (s *Service) tvSegment(ctx context.Context, i int, in TVSegment) (TVSegment, error) {
	f := fmt.Sprintf("tv.segments[%d]", i)
	// bad names the segment's field in front of the message: the desk shows
	// the errors of every segment together.
	bad := func(field string, msg apperr.Phrase) error {
		return apperr.InvalidField(f+"."+field, "story.segment_field", f+"."+field, msg)
	}
	t := SegmentType(strings.ToLower(strings.TrimSpace(string(in.Type))))
	if !slices.Contains(SegmentTypes, t) {
		return TVSegment{}, bad("type", apperr.T("story.segment_type_unknown", in.Type))
	}
	out := TVSegment{Type: t, Script: cleanScript(in.Script), InSeconds: in.InSeconds, OutSeconds: in.OutSeconds}
	if n := utf8.RuneCountInString(out.Script); n > MaxSegmentScript {
		return TVSegment{}, bad("script", apperr.T("story.segment_script_too_long", n, MaxSegmentScript))
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"in_seconds", in.InSeconds}, {"out_seconds", in.OutSeconds}, {"duration_seconds", float64(in.DurationSeconds)}} {
		if p.v < 0 {
			return TVSegment{}, bad(p.name, apperr.T("story.segment_seconds_negative", p.v))
		}
		if p.v > MaxMediaSeconds {
			return TVSegment{}, bad(p.name, apperr.T("story.segment_seconds_too_long", p.v, MaxMediaSeconds))
		}
	}
	var assetSeconds float64
	if id := strings.TrimSpace(in.VideoAssetID); id != "" {
		var err error
		out.VideoAssetID, assetSeconds, err = s.mediaSeconds(ctx, f+".video_asset_id", id, "video", "video")
		if err != nil {
			return TVSegment{}, err
		}
		if out.OutSeconds != 0 && out.OutSeconds <= out.InSeconds {
			return TVSegment{}, bad("out_seconds", apperr.T("story.segment_out_before_in", out.OutSeconds, out.InSeconds))
		}
		if assetSeconds > 0 && out.InSeconds >= assetSeconds {
			return TVSegment{}, bad("in_seconds", apperr.T("story.segment_in_past_clip", out.InSeconds, assetSeconds))
		}
		if assetSeconds > 0 && out.OutSeconds > assetSeconds+0.5 {
			return TVSegment{}, bad("out_seconds", apperr.T("story.segment_out_past_clip", out.OutSeconds, assetSeconds))
		}
		if assetSeconds == 0 && out.OutSeconds == 0 && t != SegmentAnchor && t != SegmentVO {
			return TVSegment{}, bad("out_seconds", apperr.T("story.segment_clip_unmeasured"))
		}
	} else if out.InSeconds != 0 || out.OutSeconds != 0 {
		return TVSegment{}, bad("video_asset_id", apperr.T("story.segment_points_need_clip"))
	}
	if needsGivenDuration(out) {
		if in.DurationSeconds <= 0 {
			return TVSegment{}, bad("duration_seconds", apperr.T("story.segment_duration_required", t))
		}
		out.DurationSeconds = in.DurationSeconds
	}
	out.DurationSeconds = SegmentSeconds(out, textvi.ReadSeconds(out.Script, s.cfg.WordsPerMinute), assetSeconds)
	return out, nil
}

// checkVersions refuses to sign or publish a story that targets radio or TV
// without a version for that channel: an approval signs every version at
// once, so each must exist. (Submitting is allowed: the desk often writes the
// broadcast versions while editing.)
func checkVersions(st *Story, before apperr.Phrase) error {
	ch := st.MissingVersion()
	if ch == "" {
		return nil
	}
	what := map[Channel]apperr.Phrase{
		ChannelRadio: apperr.T("story.noun_radio_version"),
		ChannelTV:    apperr.T("story.noun_tv_version"),
	}[ch]
	return apperr.Conflict("story.channel_version_missing", ch, what, before).
		WithReason("channel_version_missing").WithDetails(map[string]any{"channel": ch, "field": string(ch)})
}

// retime works out again the timings of the versions already stored (those
// the save does not carry): an audio or clip measured by ffprobe after the
// version was saved, or a presenter's new rate, shows on the next save or
// approval. A version that no longer validates (its asset deleted, say)
// keeps its timings: only a save that carries it reports the problem.
func (s *Service) retime(ctx context.Context, st *Story, radio, tv bool) error {
	if radio {
		if err := retimeOne(ctx, &st.Radio, s.radioVersion); err != nil {
			return err
		}
	}
	if tv {
		return retimeOne(ctx, &st.TV, s.tvVersion)
	}
	return nil
}

// retimeOne replaces *v, a stored channel version, with what measure works
// out for it, keeping it as it is when measure finds it no longer valid.
func retimeOne[V any](ctx context.Context, v **V, measure func(context.Context, V) (*V, error)) error {
	if *v == nil {
		return nil
	}
	nv, err := measure(ctx, **v)
	switch {
	case err == nil && nv != nil:
		*v = nv
	case err != nil && !apperr.Is(err, apperr.CodeInvalid):
		return err
	}
	return nil
}
