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
		return "", 0, apperr.InvalidField(field, "%s %q không phải UUID (%s is not a UUID)", field, id, field)
	}
	if s.attachments == nil {
		return "", 0, apperr.InvalidField(field, "Máy chủ này không quản lý tệp đa phương tiện (this server keeps no assets)")
	}
	kind, secs, err := s.attachments.MediaInfo(ctx, u.String())
	if apperr.Is(err, apperr.CodeNotFound) {
		return "", 0, apperr.InvalidField(field, "Không có tệp %s (%s: asset %s does not exist)", id, field, id)
	} else if err != nil {
		return "", 0, fmt.Errorf("story: asset %s: %w", id, err)
	}
	if kind != wantKind {
		return "", 0, apperr.InvalidField(field, "Tệp %s là loại %s; %s cần tệp %s (%s: asset is %s, a %s asset is required)",
			id, kind, field, wantLabel, field, kind, wantKind).WithDetails(map[string]any{"field": field, "kind": kind, "want": wantKind})
	}
	return u.String(), secs, nil
}

// radioVersion validates and times a radio version; nil means none.
func (s *Service) radioVersion(ctx context.Context, in RadioVersion) (*RadioVersion, error) {
	script := cleanScript(in.Script)
	if n := utf8.RuneCountInString(script); n > MaxRadioScript {
		return nil, apperr.InvalidField("radio.script", "Kịch bản phát thanh dài %d ký tự, tối đa %d (radio script is %d characters, at most %d)", n, MaxRadioScript, n, MaxRadioScript)
	}
	presenter := textvi.Clean(in.Presenter)
	if n := utf8.RuneCountInString(presenter); n > MaxPresenter {
		return nil, apperr.InvalidField("radio.presenter", "Tên phát thanh viên dài quá %d ký tự (presenter name longer than %d characters)", MaxPresenter, MaxPresenter)
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
		return nil, apperr.InvalidField("tv.segments", "Tối đa %d đoạn mỗi bản truyền hình, có %d (at most %d segments, got %d)", MaxSegments, len(in.Segments), MaxSegments, len(in.Segments))
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
		return nil, apperr.InvalidField("tv.segments", "Bản truyền hình dài %d giây, tối đa %d (the TV version runs %d s, at most %d)", out.TotalSeconds, MaxMediaSeconds, out.TotalSeconds, MaxMediaSeconds)
	}
	return out, nil
}

// tvSegment validates and times segment i.
func (s *Service) tvSegment(ctx context.Context, i int, in TVSegment) (TVSegment, error) {
	f := fmt.Sprintf("tv.segments[%d]", i)
	bad := func(field, vi, en string, args ...any) error {
		return apperr.InvalidField(f+"."+field, "%s: %s (%s: %s)", f+"."+field, fmt.Sprintf(vi, args...), f+"."+field, fmt.Sprintf(en, args...))
	}
	t := SegmentType(strings.ToLower(strings.TrimSpace(string(in.Type))))
	if !slices.Contains(SegmentTypes, t) {
		return TVSegment{}, bad("type", "loại đoạn %q không hợp lệ; dùng anchor (dẫn), vo, sot, standup hoặc graphic",
			"unknown segment type %q; one of anchor, vo, sot, standup, graphic", in.Type)
	}
	out := TVSegment{Type: t, Script: cleanScript(in.Script), InSeconds: in.InSeconds, OutSeconds: in.OutSeconds}
	if n := utf8.RuneCountInString(out.Script); n > MaxSegmentScript {
		return TVSegment{}, bad("script", "lời dài %d ký tự, tối đa %d", "script is %d characters, at most %d", n, MaxSegmentScript)
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"in_seconds", in.InSeconds}, {"out_seconds", in.OutSeconds}, {"duration_seconds", float64(in.DurationSeconds)}} {
		if p.v < 0 {
			return TVSegment{}, bad(p.name, "không được âm (%g)", "must not be negative (%g)", p.v)
		}
		if p.v > MaxMediaSeconds {
			return TVSegment{}, bad(p.name, "%g giây là quá dài, tối đa %d (6 giờ)", "%g s is absurd, at most %d (6 h)", p.v, MaxMediaSeconds)
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
			return TVSegment{}, bad("out_seconds", "điểm ra (%g) phải sau điểm vào (%g)", "the out point (%g) must come after the in point (%g)", out.OutSeconds, out.InSeconds)
		}
		if assetSeconds > 0 && out.InSeconds >= assetSeconds {
			return TVSegment{}, bad("in_seconds", "điểm vào (%g) nằm ngoài clip dài %g giây", "the in point (%g) is past the end of the %g s clip", out.InSeconds, assetSeconds)
		}
		if assetSeconds > 0 && out.OutSeconds > assetSeconds+0.5 {
			return TVSegment{}, bad("out_seconds", "điểm ra (%g) vượt quá độ dài clip %g giây", "the out point (%g) is past the end of the %g s clip", out.OutSeconds, assetSeconds)
		}
		if assetSeconds == 0 && out.OutSeconds == 0 && t != SegmentAnchor && t != SegmentVO {
			return TVSegment{}, bad("out_seconds", "chưa biết độ dài clip (máy chủ chưa đo xong); hãy nhập điểm ra",
				"the clip's length is not known yet (not measured); give the out point")
		}
	} else if out.InSeconds != 0 || out.OutSeconds != 0 {
		return TVSegment{}, bad("video_asset_id", "điểm vào/ra chỉ dùng cho đoạn có clip; cần video_asset_id", "in and out points need a clip: video_asset_id is required")
	}
	if needsGivenDuration(out) {
		if in.DurationSeconds <= 0 {
			return TVSegment{}, bad("duration_seconds", "đoạn %s không có clip cần thời lượng lớn hơn 0", "a %s segment without a clip needs a duration greater than 0", t)
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
func checkVersions(st *Story, vi, en string) error {
	ch := st.MissingVersion()
	if ch == "" {
		return nil
	}
	what := map[Channel][2]string{
		ChannelRadio: {"bản phát thanh (kịch bản hoặc tệp âm thanh)", "radio version (script or audio)"},
		ChannelTV:    {"bản truyền hình (các đoạn)", "TV version (segments)"},
	}[ch]
	return apperr.Conflict("Bài nhắm tới kênh %s nhưng chưa có %s; hãy bổ sung trước khi %s (the story targets %s but has no %s; write it before %s)",
		ch, what[0], vi, ch, what[1], en).WithReason("channel_version_missing").WithDetails(map[string]any{"channel": ch, "field": string(ch)})
}

// retime works out again the timings of the versions already stored (those
// the save does not carry): an audio or clip measured by ffprobe after the
// version was saved, or a presenter's new rate, shows on the next save or
// approval. A version that no longer validates (its asset deleted, say)
// keeps its timings: only a save that carries it reports the problem.
func (s *Service) retime(ctx context.Context, st *Story, radio, tv bool) error {
	if radio && st.Radio != nil {
		rv, err := s.radioVersion(ctx, *st.Radio)
		switch {
		case err == nil && rv != nil:
			st.Radio = rv
		case err != nil && !apperr.Is(err, apperr.CodeInvalid):
			return err
		}
	}
	if tv && st.TV != nil {
		v, err := s.tvVersion(ctx, *st.TV)
		switch {
		case err == nil && v != nil:
			st.TV = v
		case err != nil && !apperr.Is(err, apperr.CodeInvalid):
			return err
		}
	}
	return nil
}
