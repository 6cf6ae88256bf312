package desk

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

type revisionRow struct {
	Number     int
	At, Action string
	By         string // username of who made it ("" for the system)
	State      string
	From, To   bool // chosen in the comparison
}

// diffSeg is a run of text in one column: equal, del (left) or ins (right).
type diffSeg struct {
	Kind, Text string
}

type fieldDiffView struct {
	Field       string
	Left, Right []diffSeg
	Text        bool // a word diff; otherwise Left/Right hold one value each
}

type revisionsData struct {
	Story     *story.Story
	Revisions []revisionRow
	From, To  int
	Fields    []fieldDiffView
	Compared  bool
}

// revisions is /desk/stories/{id}/revisions?from=N&to=M: the revision
// history, two of them picked with radio buttons (a plain GET form), and
// their difference side by side, removed words marked on the left and
// added words on the right (story.Service.DiffRevisions).
func (h *Handler) revisions(c *gin.Context) error {
	ctx := c.Request.Context()
	a := actor(c)
	st, revs, err := storyWith(ctx, a, h.stories, c.Param("id"), h.stories.FindRevisions)
	if err != nil {
		return err
	}
	d := revisionsData{Story: st}
	// Default: the two latest revisions.
	if n := len(revs); n >= 2 {
		d.From, d.To = revs[n-2].Number, revs[n-1].Number
		if revs[0].Number > revs[n-1].Number { // newest first
			d.From, d.To = revs[1].Number, revs[0].Number
		}
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"from", &d.From}, {"to", &d.To}} {
		if s := c.Query(p.name); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v < 1 {
				return apperr.Invalid("desk.bad_revision", s)
			}
			*p.dst = v
		}
	}
	secs, _, err := h.sectionNames(ctx)
	if err != nil {
		return err
	}
	for i := len(revs) - 1; i >= 0; i-- {
		r := revs[i]
		d.Revisions = append(d.Revisions, revisionRow{Number: r.Number, At: vntime.Format(r.At), By: r.Actor, Action: h.revisionAction(c, r.Action), State: string(r.Snapshot.State),
			From: r.Number == d.From, To: r.Number == d.To})
	}
	if d.From > 0 && d.To > 0 {
		diff, err := h.stories.DiffRevisions(ctx, a, st.ID, d.From, d.To)
		if err != nil {
			return err
		}
		d.Compared = true
		for _, f := range diff.Fields {
			v := fieldDiffView{Field: h.fieldLabel(c, f.Field)}
			if f.Ops != nil {
				v.Text = true
				v.Left, v.Right = diffColumns(f.Ops, f.Field == "body")
			} else {
				v.Left = []diffSeg{{Kind: "del", Text: h.valueText(c, f.Field, f.From, secs)}}
				v.Right = []diffSeg{{Kind: "ins", Text: h.valueText(c, f.Field, f.To, secs)}}
			}
			d.Fields = append(d.Fields, v)
		}
	}
	h.render(c, http.StatusOK, "revisions", page{Title: h.tr(c, "rev.title", st.Headline), Nav: "story", Data: d})
	return nil
}

// revisionAction names what made a revision: created, saved, or a workflow action.
func (h *Handler) revisionAction(c *gin.Context, action string) string {
	if _, ok := workflow.ParseAction(action); ok {
		return h.tr(c, "action."+action)
	}
	if action == "create" || action == "update" {
		return h.tr(c, "rev.action."+action)
	}
	return action
}

var indexRe = regexp.MustCompile(`\[\d+\]`)

// fieldLabel names a diff field from the catalogue (tv.segments[2].script →
// "rev.field.tv.segments.script" with the segment number), else as it is.
func (h *Handler) fieldLabel(c *gin.Context, field string) string {
	key := "rev.field." + indexRe.ReplaceAllString(field, "")
	m, ok := h.cat[langOf(c)][key]
	if !ok {
		return field
	}
	if idx := indexRe.FindString(field); idx != "" {
		n, _ := strconv.Atoi(strings.Trim(idx, "[]"))
		return fmt.Sprintf(m, n+1)
	}
	return m
}

// valueText shows a non-text field's value (section by name, lists joined).
func (h *Handler) valueText(c *gin.Context, field string, v any, secs map[string]story.Section) string {
	if field == "state" && v != nil {
		return h.tr(c, "state."+fmt.Sprint(v))
	}
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		if field == "section_id" {
			if s, ok := secs[x]; ok {
				return s.Name
			}
		}
		if x == "" {
			return "—"
		}
		return x
	case []string:
		return strings.Join(x, ", ")
	case []story.Channel:
		out := make([]string, len(x))
		for i, ch := range x {
			out[i] = h.tr(c, "channel."+string(ch))
		}
		return strings.Join(out, ", ")
	}
	s := fmt.Sprint(v)
	if strings.HasPrefix(s, "&") || strings.HasPrefix(s, "{") {
		s = fmt.Sprintf("%+v", v)
	}
	return s
}

// diffColumns splits a word diff into the old column (equal and deleted
// runs) and the new one (equal and inserted runs). For the rich-text body the
// markup is dropped as plain text is shown, paragraph ends becoming line
// breaks; a tag may span several runs, so the tag state carries over.
func diffColumns(ops []story.DiffOp, markup bool) (left, right []diffSeg) {
	var lt, rt tagState
	for _, op := range ops {
		kind := map[string]string{"equal": "equal", "delete": "del", "insert": "ins"}[op.Op]
		if op.Op != "insert" {
			left = appendSeg(left, kind, lt.text(op.Text, markup))
		}
		if op.Op != "delete" {
			right = appendSeg(right, kind, rt.text(op.Text, markup))
		}
	}
	return left, right
}

func appendSeg(segs []diffSeg, kind, text string) []diffSeg {
	if text == "" {
		return segs
	}
	if n := len(segs); n > 0 && segs[n-1].Kind == kind {
		segs[n-1].Text += text
		return segs
	}
	return append(segs, diffSeg{Kind: kind, Text: text})
}

// tagState strips HTML tags from a stream of text cut anywhere.
type tagState struct {
	inTag bool
	tag   strings.Builder
}

var blockEnd = map[string]bool{"/p": true, "br": true, "br/": true, "/div": true, "/li": true, "/h2": true, "/h3": true, "/h4": true, "/blockquote": true, "/figure": true}

func (t *tagState) text(s string, markup bool) string {
	if !markup {
		return s
	}
	var out strings.Builder
	for _, r := range s {
		switch {
		case t.inTag && r == '>':
			t.inTag = false
			if f := strings.Fields(t.tag.String()); len(f) > 0 && blockEnd[strings.ToLower(f[0])] {
				out.WriteString("\n")
			}
			t.tag.Reset()
		case t.inTag:
			t.tag.WriteRune(r)
		case r == '<':
			t.inTag = true
		default:
			out.WriteRune(r)
		}
	}
	return html.UnescapeString(out.String())
}
