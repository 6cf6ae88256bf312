package desk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// The broadcast screens: programmes, rundowns (producers build them, the
// editorial desk reads them), the teleprompter, the printable radio script
// and the radio/TV tabs of the story editor. Every rule is
// broadcast.Service's; these handlers show what it answers.

// broadcastPages are rendered inside layout.html; prompter and script stand alone.
var broadcastPages = []string{"rundowns", "rundown", "programmes", "story_broadcast"}

// initBroadcast wires the broadcast service and parses the broadcast templates.
func (h *Handler) initBroadcast(d Deps) error {
	h.bcast = d.Broadcast
	h.hub = d.RundownEvents
	if h.hub == nil {
		// Nobody announces changes: the pages poll.
		h.hub = broadcast.NewRundownHub()
	}
	for _, lang := range languages {
		for _, name := range broadcastPages {
			if err := h.parse(lang, name, h.bcFuncs(lang), "layout", name); err != nil {
				return err
			}
		}
		for _, name := range []string{"prompter", "script"} {
			if err := h.parse(lang, name, h.bcFuncs(lang), name); err != nil {
				return err
			}
		}
	}
	return nil
}

// bcFuncs are the broadcast templates' own functions.
func (h *Handler) bcFuncs(lang string) template.FuncMap {
	c := h.cat[lang]
	return template.FuncMap{
		"paragraphs": broadcast.Paragraphs,
		// cueLabel names a cue: a TV segment type, a free item's kind, or audio/notes/killed.
		"cueLabel": func(kind string) string {
			if slices.Contains(story.SegmentTypes, story.SegmentType(kind)) {
				return c.T("seg." + kind)
			}
			if slices.Contains(broadcast.ItemKinds, broadcast.ItemKind(kind)) {
				return c.T("rundown.kind." + kind)
			}
			return c.T("cue." + kind)
		},
	}
}

// registerBroadcast mounts the broadcast screens; without the broadcast service they answer 404.
func (h *Handler) registerBroadcast(in routes) {
	g := in.Group("", h.errs().Require(h.bcast != nil, apperr.NotFound("desk.bc_unavailable")))
	g.GET("/programmes", h.programmes)
	g.POST("/programmes", h.createProgramme)
	g.POST("/programmes/:id", h.updateProgramme)
	g.GET("/rundowns", h.rundowns)
	g.POST("/rundowns", h.createRundown)
	g.GET("/rundowns/:id", h.rundownPage)
	g.GET("/rundowns/:id/fragment", h.rundownFragment)
	g.POST("/rundowns/:id/items", h.insertRundownItem)
	g.POST("/rundowns/:id/items/:item", h.updateRundownItem)
	g.POST("/rundowns/:id/items/:item/remove", h.removeRundownItem)
	g.POST("/rundowns/:id/state", h.transitionRundown)
	g.GET("/rundowns/:id/events", h.rundownEvents)
	g.GET("/rundowns/:id/prompter", h.prompter)
	g.GET("/rundowns/:id/prompter/text", h.prompterText)
	g.GET("/rundowns/:id/script", h.radioScript)
	in.GET("/stories/:id/broadcast", h.storyBroadcast)
}

// canBroadcast decides whether the nav shows the rundowns link (the service checks again).
func (h *Handler) canBroadcast(r user.Role) bool {
	return h.bcast != nil && broadcast.CanRead(user.Actor{Role: r, UserID: "-"})
}

// clock is a time of day on air, Vietnam time.
func clock(t time.Time) string { return t.In(vntime.Location).Format("15:04:05") }

// dur shows whole seconds as m:ss (h:mm:ss from an hour).
func dur(secs int) string {
	sign := ""
	if secs < 0 {
		sign, secs = "−", -secs
	}
	if secs >= 3600 {
		return fmt.Sprintf("%s%d:%02d:%02d", sign, secs/3600, secs/60%60, secs%60)
	}
	return fmt.Sprintf("%s%d:%02d", sign, secs/60, secs%60)
}

// parseDur reads a duration typed as seconds, m:ss or h:mm:ss; ok is false otherwise.
func parseDur(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, false
	}
	total := 0
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || (i > 0 && n > 59) {
			return 0, false
		}
		total = total*60 + n
	}
	return total, true
}

// rdItem is one row of the rundown table.
type rdItem struct {
	ID, Kind, Title, StoryID, StoryState string
	Flag, FlagMessage, Notes             string
	Position, Planned, VersionSeconds    int
	Front, Back                          string
	BackLate                             bool // the rest cannot fit: back time before front time
	Up, Down                             int  // the positions the keyboard buttons move it to (0: none)
}

// rdView is a rundown as the desk shows it.
type rdView struct {
	ID, ProgrammeID, Programme, Channel, State string
	OnAir, PlannedEnd, EndAt                   string
	Version                                    int
	Planned, Total, OverUnder                  int
	Items                                      []rdItem
	Editable                                   bool     // this person may change it now
	CanEdit                                    bool     // this person builds rundowns
	Transitions                                []string // state buttons
}

// displayTransitions are the rundown state buttons; the service decides whether a move is allowed.
var displayTransitions = map[broadcast.State][]broadcast.State{
	broadcast.Planned: {broadcast.Ready},
	broadcast.Ready:   {broadcast.OnAir, broadcast.Planned},
	broadcast.OnAir:   {broadcast.Done},
}

func toRdView(a user.Actor, v *broadcast.RundownView) rdView {
	out := rdView{ID: v.ID, ProgrammeID: v.ProgrammeID, Programme: v.Programme.Name, Channel: string(v.Programme.Channel), State: string(v.State),
		OnAir: vntime.Format(v.OnAirAt), PlannedEnd: clock(v.Timing.PlannedEndAt), EndAt: clock(v.Timing.EndAt), Version: v.Version,
		Planned: v.Timing.PlannedSeconds, Total: v.Timing.TotalSeconds, OverUnder: v.Timing.OverUnderSeconds,
		CanEdit: broadcast.CanEditRundowns(a)}
	out.Editable = out.CanEdit && !v.State.Locked()
	if out.CanEdit {
		for _, s := range displayTransitions[v.State] {
			out.Transitions = append(out.Transitions, string(s))
		}
	}
	for _, it := range v.Items {
		r := rdItem{ID: it.ID, Kind: string(it.Kind), Title: it.Title, StoryID: it.StoryID, Flag: it.Flag, FlagMessage: it.FlagMessage,
			Notes: it.Notes, Position: it.Position, Planned: it.PlannedSeconds, Front: clock(it.FrontTime), Back: clock(it.BackTime),
			BackLate: it.BackSeconds < it.FrontSeconds}
		if it.Position > 1 {
			r.Up = it.Position - 1
		}
		if it.Position < len(v.Items) {
			r.Down = it.Position + 1
		}
		if it.Story != nil {
			r.StoryState, r.VersionSeconds = string(it.Story.State), it.Story.VersionSeconds
		}
		out.Items = append(out.Items, r)
	}
	return out
}

// rundownsData is the rundown list page.
type rundownsData struct {
	Programmes  []broadcast.Programme
	ProgrammeID string
	Date        string
	Rows        []rundownRow
	CanEdit     bool
	MinTime     string
}

type rundownRow struct {
	ID, Programme, Channel, OnAir, State string
	Items, Total, Planned, OverUnder     int
}

// rundowns is /desk/rundowns?programme_id=&date=yyyy-mm-dd: rundowns by on-air time, and the form to start one.
func (h *Handler) rundowns(c *gin.Context) error {
	return h.rundownsPage(c, http.StatusOK, "")
}

func (h *Handler) rundownsPage(c *gin.Context, status int, errMsg string) error {
	ctx := c.Request.Context()
	a := actor(c)
	progs, err := h.bcast.FindProgrammes(ctx, a, "")
	if err != nil {
		return err
	}
	d := rundownsData{Programmes: progs, ProgrammeID: c.Query("programme_id"), Date: c.Query("date"), CanEdit: broadcast.CanEditRundowns(a),
		MinTime: time.Now().In(vntime.Location).Format("2006-01-02T15:04")}
	f := broadcast.RundownFilter{ProgrammeID: d.ProgrammeID, Limit: 100}
	if d.Date != "" {
		day, err := time.ParseInLocation("2006-01-02", d.Date, vntime.Location)
		if err != nil {
			return apperr.Invalid("desk.bad_date", d.Date)
		}
		f.From, f.To = day, day.AddDate(0, 0, 1)
	} else {
		f.From = startOfToday(time.Now()).AddDate(0, 0, -1)
	}
	list, _, err := h.bcast.FindRundowns(ctx, a, f)
	if err != nil {
		return err
	}
	for _, r := range list {
		d.Rows = append(d.Rows, rundownRow{ID: r.ID, Programme: r.ProgrammeName, Channel: string(r.Channel), OnAir: vntime.Format(r.OnAirAt),
			State: string(r.State), Items: r.ItemCount, Total: r.TotalSeconds, Planned: r.PlannedSeconds, OverUnder: r.OverUnderSeconds})
	}
	h.render(c, status, "rundowns", page{Title: h.tr(c, "rundown.list_title"), Nav: "rundowns", Flash: h.bcFlash(c), Error: errMsg, Data: d})
	return nil
}

// createRundown is the form post that starts a rundown for one airing.
func (h *Handler) createRundown(c *gin.Context) error {
	in := broadcast.RundownInput{ProgrammeID: c.PostForm("programme_id")}
	if s := strings.TrimSpace(c.PostForm("on_air_at")); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, vntime.Location)
		if err != nil {
			return h.rundownsPage(c, http.StatusBadRequest, h.tr(c, "rundown.bad_time", s))
		}
		in.OnAirAt = &t
	}
	if s := strings.TrimSpace(c.PostForm("planned")); s != "" {
		n, ok := parseDur(s)
		if !ok {
			return h.rundownsPage(c, http.StatusBadRequest, h.tr(c, "rundown.bad_duration", s))
		}
		in.PlannedSeconds = &n
	}
	v, err := h.bcast.CreateRundown(c.Request.Context(), actor(c), in)
	if err != nil {
		status, msg := h.explain(c, err)
		return h.rundownsPage(c, status, msg)
	}
	c.Redirect(http.StatusSeeOther, "/desk/rundowns/"+v.ID+"?ok=created")
	return nil
}

// storyOption is a story a producer may place: approved, scheduled or published, with the programme's channel version.
type storyOption struct {
	ID, Headline, State string
	Seconds             int
}

// rundownData is the rundown page.
type rundownData struct {
	View    rdView
	Stories []storyOption
	Kinds   []string
}

// placeable lists the stories the producer may add to a rundown of the channel.
func (h *Handler) placeable(ctx context.Context, a user.Actor, ch story.Channel) ([]storyOption, error) {
	list, _, err := h.stories.FindStories(ctx, a, story.Filter{States: []workflow.State{workflow.Approved, workflow.Scheduled, workflow.Published}, Limit: 200})
	if err != nil {
		return nil, err
	}
	var out []storyOption
	for _, st := range list {
		if !slices.Contains(st.Channels, ch) {
			continue
		}
		o := storyOption{ID: st.ID, Headline: st.Headline, State: string(st.State)}
		switch {
		case ch == story.ChannelRadio && !st.Radio.IsEmpty():
			o.Seconds = st.Radio.TotalSeconds
		case ch == story.ChannelTV && !st.TV.IsEmpty():
			o.Seconds = st.TV.TotalSeconds
		default:
			continue
		}
		out = append(out, o)
	}
	return out, nil
}

// rundownPage is /desk/rundowns/{id}: the items with their timings, the state buttons and the forms to change them.
func (h *Handler) rundownPage(c *gin.Context) error {
	return h.renderRundown(c, http.StatusOK, "", nil)
}

// renderRundown shows the rundown page; v, when given, is the view a change just answered.
func (h *Handler) renderRundown(c *gin.Context, status int, errMsg string, v *broadcast.RundownView) error {
	ctx := c.Request.Context()
	a := actor(c)
	if v == nil {
		var err error
		if v, err = h.bcast.FindRundownView(ctx, a, c.Param("id")); err != nil {
			return err
		}
	}
	d := rundownData{View: toRdView(a, v)}
	if d.View.Editable {
		var err error
		if d.Stories, err = h.placeable(ctx, a, v.Programme.Channel); err != nil {
			return err
		}
		for _, k := range broadcast.ItemKinds {
			if k != broadcast.KindStory {
				d.Kinds = append(d.Kinds, string(k))
			}
		}
	}
	title := v.Programme.Name + " · " + vntime.Format(v.OnAirAt)
	h.render(c, status, "rundown", page{Title: title, Nav: "rundowns", Flash: h.bcFlash(c), Error: errMsg, Data: d,
		Scripts: []string{"/desk/static/desk/rundown.js"}})
	return nil
}

// fragment renders the rundown's live part (timing, states, items) for the page's script.
func (h *Handler) fragment(c *gin.Context, v *broadcast.RundownView) (string, error) {
	a := actor(c)
	p := page{Lang: langOf(c), CSRF: csrfToken(c), Data: rundownData{View: toRdView(a, v)}}
	var buf bytes.Buffer
	if err := h.tmpl[langOf(c)]["rundown"].ExecuteTemplate(&buf, "rundown_live", p); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// answerFragment answers the script with the rundown's version and live part, ETag on its content.
func (h *Handler) answerFragment(c *gin.Context, status int, v *broadcast.RundownView, msg string) error {
	html, err := h.fragment(c, v)
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(html))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	c.Header("ETag", etag)
	if status == http.StatusOK && c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return nil
	}
	body := gin.H{"version": v.Version, "html": html, "over": v.Timing.OverUnderSeconds > 0}
	if msg != "" {
		body["message"] = msg
	}
	c.JSON(status, body)
	return nil
}

// rundownFragment is GET /desk/rundowns/{id}/fragment (If-None-Match: 304 when nothing changed).
func (h *Handler) rundownFragment(c *gin.Context) error {
	c.Request.Header.Set("Accept", "application/json")
	v, err := h.bcast.FindRundownView(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return h.answerFragment(c, http.StatusOK, v, "")
}

// bcFlash is the message of a finished broadcast action (?ok=...).
func (h *Handler) bcFlash(c *gin.Context) string {
	switch ok := c.Query("ok"); ok {
	case "created", "saved", "moved", "removed", "added", "state":
		return h.tr(c, "rundown.flash."+ok)
	}
	return ""
}
