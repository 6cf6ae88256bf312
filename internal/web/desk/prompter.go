package desk

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// block is one part of an item's script: text the presenter reads, or a
// cue (what plays, what shows) that is not read.
type block struct {
	Cue     bool
	Kind    string // segment type, "audio", "notes", "killed", a free item's kind
	Text    string
	Seconds int
}

// scriptItem is a rundown item as the prompter and the printed script show it.
type scriptItem struct {
	Position    int
	Title, Kind string
	Front       string
	Planned     int
	ReadSeconds int // what the presenter reads (radio: the script's read time)
	Presenter   string
	Flag        string
	Blocks      []block
}

// scriptView is a rundown's whole script.
type scriptView struct {
	ID, Programme, Channel, OnAir, State string
	Version, Total, Planned              int
	Items                                []scriptItem
}

// spoken reports whether a TV segment's script is read by a presenter
// (anchor, VO, stand-up); a SOT's is the clip's own sound and a graphic's is on screen.
func spoken(t story.SegmentType) bool {
	return t == story.SegmentAnchor || t == story.SegmentVO || t == story.SegmentStandup
}

// toScript builds the script of a rundown: for every item in order, the
// texts to read and the cues between them. A killed or missing story is a
// cue that says not to read it.
func toScript(v *broadcast.RundownView) scriptView {
	out := scriptView{ID: v.ID, Programme: v.Programme.Name, Channel: string(v.Programme.Channel), OnAir: vntime.Format(v.OnAirAt),
		State: string(v.State), Version: v.Version, Total: v.Timing.TotalSeconds, Planned: v.Timing.PlannedSeconds}
	for _, it := range v.Items {
		si := scriptItem{Position: it.Position, Title: it.Title, Kind: string(it.Kind), Front: clock(it.FrontTime), Planned: it.PlannedSeconds, Flag: it.Flag}
		read := func(text string) {
			for _, p := range broadcast.Paragraphs(text) {
				si.Blocks = append(si.Blocks, block{Kind: "read", Text: p})
			}
		}
		switch {
		case it.Flag == broadcast.FlagKilled || it.Flag == broadcast.FlagMissing || it.Flag == broadcast.FlagNotApproved:
			si.Blocks = append(si.Blocks, block{Cue: true, Kind: "killed", Text: it.FlagMessage})
		case it.Story != nil && it.Story.Radio != nil:
			r := it.Story.Radio
			si.ReadSeconds, si.Presenter = r.ReadSeconds, r.Presenter
			read(r.Script)
			if r.AudioAssetID != "" {
				si.Blocks = append(si.Blocks, block{Cue: true, Kind: "audio", Seconds: r.AudioSeconds})
			}
		case it.Story != nil && it.Story.TV != nil:
			for _, seg := range it.Story.TV.Segments {
				si.Blocks = append(si.Blocks, block{Cue: true, Kind: string(seg.Type), Seconds: seg.DurationSeconds})
				if spoken(seg.Type) {
					read(seg.Script)
				}
			}
		default:
			si.Blocks = append(si.Blocks, block{Cue: true, Kind: string(it.Kind), Seconds: it.PlannedSeconds})
			read(it.Script)
		}
		if strings.TrimSpace(it.Notes) != "" {
			si.Blocks = append(si.Blocks, block{Cue: true, Kind: "notes", Text: it.Notes})
		}
		out.Items = append(out.Items, si)
	}
	return out
}

// renderStandalone renders a page that has no desk layout (prompter, script).
func (h *Handler) renderStandalone(c *gin.Context, name, tmpl string, p page) ([]byte, error) {
	p.Lang = langOf(c)
	p.CSRF = csrfToken(c)
	p.Nonce = cspNonce(c)
	var buf bytes.Buffer
	if err := h.tmpl[p.Lang][name].ExecuteTemplate(&buf, tmpl, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// prompter is /desk/rundowns/{id}/prompter: the teleprompter, full screen,
// only the text to read in item order, kept live by prompter.js.
func (h *Handler) prompter(c *gin.Context) error {
	return h.scriptPage(c, "prompter")
}

// scriptPage renders the standalone page name (prompter or script) of the
// rundown {id}'s text.
func (h *Handler) scriptPage(c *gin.Context, name string) error {
	v, err := h.bcast.FindRundownView(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	b, err := h.renderStandalone(c, name, name, page{Title: v.Programme.Name, Data: toScript(v)})
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", b)
	return nil
}

// prompterText is GET /desk/rundowns/{id}/prompter/text: the prompter's
// text alone, with an ETag on its content (304 when unchanged) for polling.
func (h *Handler) prompterText(c *gin.Context) error {
	v, err := h.bcast.FindRundownView(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	b, err := h.renderStandalone(c, "prompter", "prompter_text", page{Data: toScript(v)})
	if err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	c.Header("ETag", etag)
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return nil
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", b)
	return nil
}
