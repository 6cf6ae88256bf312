package story

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// DiffOp is one run of text in a field diff.
type DiffOp struct {
	Op   string `json:"op"` // equal, insert, delete
	Text string `json:"text"`
}

// FieldDiff is the change of one field between two revisions.
type FieldDiff struct {
	Field string   `json:"field"`
	From  any      `json:"from"`
	To    any      `json:"to"`
	Ops   []DiffOp `json:"ops,omitempty"` // for text fields
}

// Diff is the difference between two revisions of a story.
type Diff struct {
	StoryID string      `json:"story_id"`
	From    int         `json:"from"`
	To      int         `json:"to"`
	Fields  []FieldDiff `json:"fields"`
}

// DiffRevisions compares two revisions field by field; text fields carry a
// word-level diff that a side-by-side view can render.
func (s *Service) DiffRevisions(ctx context.Context, a user.Actor, id string, from, to int) (*Diff, error) {
	if from < 1 || to < 1 {
		return nil, apperr.Invalid("story.diff_range_invalid")
	}
	ra, err := s.FindRevision(ctx, a, id, from)
	if err != nil {
		return nil, err
	}
	rb, err := s.FindRevision(ctx, a, id, to)
	if err != nil {
		return nil, err
	}
	d := &Diff{StoryID: id, From: from, To: to, Fields: []FieldDiff{}}
	x, y := ra.Snapshot, rb.Snapshot
	text := func(field, p, q string) {
		if p != q {
			d.Fields = append(d.Fields, FieldDiff{Field: field, From: p, To: q, Ops: textOps(p, q)})
		}
	}
	text("headline", x.Headline, y.Headline)
	text("sapo", x.Sapo, y.Sapo)
	text("body", x.Body, y.Body)
	text("byline", x.Byline, y.Byline)
	text("correction", x.Correction, y.Correction)
	other := func(field string, p, q any, same bool) {
		if !same {
			d.Fields = append(d.Fields, FieldDiff{Field: field, From: p, To: q})
		}
	}
	other("section_id", x.SectionID, y.SectionID, x.SectionID == y.SectionID)
	other("slug", x.Slug, y.Slug, x.Slug == y.Slug)
	other("tags", x.Tags, y.Tags, slices.Equal(x.Tags, y.Tags))
	other("channels", x.Channels, y.Channels, slices.Equal(x.Channels, y.Channels))
	other("state", x.State, y.State, x.State == y.State)
	diffVersions(x, y, text, other)
	return d, nil
}

// diffVersions adds the changes of the radio and TV versions: the radio
// script and each segment's script as text diffs, the rest as values.
// A missing version compares as an empty one.
func diffVersions(x, y Story, text func(field, p, q string), other func(field string, p, q any, same bool)) {
	var ra, rb RadioVersion
	if x.Radio != nil {
		ra = *x.Radio
	}
	if y.Radio != nil {
		rb = *y.Radio
	}
	text("radio.script", ra.Script, rb.Script)
	other("radio.presenter", ra.Presenter, rb.Presenter, ra.Presenter == rb.Presenter)
	other("radio.audio_asset_id", ra.AudioAssetID, rb.AudioAssetID, ra.AudioAssetID == rb.AudioAssetID)
	other("radio.total_seconds", ra.TotalSeconds, rb.TotalSeconds, ra.TotalSeconds == rb.TotalSeconds)
	var sa, sb []TVSegment
	var ta, tb int
	if x.TV != nil {
		sa, ta = x.TV.Segments, x.TV.TotalSeconds
	}
	if y.TV != nil {
		sb, tb = y.TV.Segments, y.TV.TotalSeconds
	}
	for i := 0; i < max(len(sa), len(sb)); i++ {
		f := fmt.Sprintf("tv.segments[%d]", i)
		switch {
		case i >= len(sa):
			other(f, nil, sb[i], false)
		case i >= len(sb):
			other(f, sa[i], nil, false)
		default:
			p, q := sa[i], sb[i]
			other(f+".type", p.Type, q.Type, p.Type == q.Type)
			text(f+".script", p.Script, q.Script)
			other(f+".video_asset_id", p.VideoAssetID, q.VideoAssetID, p.VideoAssetID == q.VideoAssetID)
			other(f+".in_seconds", p.InSeconds, q.InSeconds, p.InSeconds == q.InSeconds)
			other(f+".out_seconds", p.OutSeconds, q.OutSeconds, p.OutSeconds == q.OutSeconds)
			other(f+".duration_seconds", p.DurationSeconds, q.DurationSeconds, p.DurationSeconds == q.DurationSeconds)
		}
	}
	other("tv.total_seconds", ta, tb, ta == tb)
}

// textOps is a word-level diff: words are mapped to runes so that the
// diff never splits a Vietnamese syllable in the middle.
func textOps(a, b string) []DiffOp {
	dmp := diffmatchpatch.New()
	wa, wb, words := wordsToChars(a, b)
	diffs := dmp.DiffMain(wa, wb, false)
	ops := make([]DiffOp, 0, len(diffs))
	for _, df := range diffs {
		var sb strings.Builder
		for _, r := range df.Text {
			sb.WriteString(words[runeIndex(r)])
		}
		df.Text = sb.String()
		op := "equal"
		switch df.Type {
		case diffmatchpatch.DiffInsert:
			op = "insert"
		case diffmatchpatch.DiffDelete:
			op = "delete"
		}
		ops = append(ops, DiffOp{Op: op, Text: df.Text})
	}
	return ops
}

// wordRune and runeIndex map word numbers to runes and back, stepping over
// the UTF-16 surrogate range, which is not valid in a Go string.
func wordRune(i int) rune {
	if i >= 0xD800 {
		return rune(i + 0x800)
	}
	return rune(i)
}

func runeIndex(r rune) int {
	if r >= 0xE000 {
		return int(r) - 0x800
	}
	return int(r)
}

// wordsToChars encodes each word (with its trailing space) as one rune, like
// diffmatchpatch's line mode, so the diff runs word by word.
func wordsToChars(a, b string) (string, string, []string) {
	words := []string{""}
	index := map[string]int{}
	enc := func(s string) string {
		var sb strings.Builder
		for _, w := range splitWords(s) {
			i, ok := index[w]
			if !ok {
				i = len(words)
				words = append(words, w)
				index[w] = i
			}
			sb.WriteRune(wordRune(i))
		}
		return sb.String()
	}
	ea := enc(a)
	eb := enc(b)
	return ea, eb, words
}

// splitWords cuts s after each run of spaces, keeping the spaces and markup with the word.
func splitWords(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\n' || s[i] == '>' {
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\n') {
				j++
			}
			out = append(out, s[start:j])
			start = j
			i = j - 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
