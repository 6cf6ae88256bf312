package desk

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/broadcast"
)

// programmesData is the programme page: the list, each with its edit form, and the form for a new one.
type programmesData struct {
	Programmes []programmeForm
	New        programmeForm
	CanManage  bool
}

type dayOption struct {
	Value   string
	Checked bool
}

// programmeForm is a programme in its form.
type programmeForm struct {
	ID, FormID, Name, Slug, Channel, Start, Planned, Description string
	Version                                                      int
	Days                                                         []dayOption
	Podcast                                                      broadcast.Podcast
}

func toProgrammeForm(p *broadcast.Programme) programmeForm {
	f := programmeForm{ID: "", FormID: "new", Channel: "radio"}
	if p != nil {
		f = programmeForm{ID: p.ID, FormID: p.ID, Name: p.Name, Slug: p.Slug, Channel: string(p.Channel), Start: p.Schedule.Start,
			Planned: dur(p.PlannedSeconds), Description: p.Description, Version: p.Version, Podcast: p.Podcast}
	}
	for _, wd := range broadcast.Weekdays {
		f.Days = append(f.Days, dayOption{Value: string(wd), Checked: p != nil && slices.Contains(p.Schedule.Days, wd)})
	}
	return f
}

// programmes is /desk/programmes (producers and the admin change them; the desk reads).
func (h *Handler) programmes(c *gin.Context) error {
	return h.programmesPage(c, http.StatusOK, "")
}

func (h *Handler) programmesPage(c *gin.Context, status int, errMsg string) error {
	a := actor(c)
	progs, err := h.bcast.FindProgrammes(c.Request.Context(), a, "")
	if err != nil {
		return err
	}
	d := programmesData{CanManage: broadcast.CanManageProgrammes(a), New: toProgrammeForm(nil)}
	for i := range progs {
		d.Programmes = append(d.Programmes, toProgrammeForm(&progs[i]))
	}
	h.render(c, status, "programmes", page{Title: h.tr(c, "programme.title"), Nav: "programmes", Flash: h.bcFlash(c), Error: errMsg, Data: d})
	return nil
}

// programmeInput reads the programme form; bad is the message of a bad duration.
func (h *Handler) programmeInput(c *gin.Context) (in broadcast.ProgrammeInput, bad string) {
	str := func(f string) *string { v := strings.TrimSpace(c.PostForm(f)); return &v }
	in = broadcast.ProgrammeInput{Name: str("name"), Channel: str("channel"), Description: str("description")}
	days := []broadcast.Weekday{}
	for _, d := range c.PostFormArray("days") {
		days = append(days, broadcast.Weekday(d))
	}
	in.Schedule = &broadcast.Schedule{Days: days, Start: strings.TrimSpace(c.PostForm("start"))}
	if s := strings.TrimSpace(c.PostForm("planned")); s != "" {
		n, ok := parseDur(s)
		if !ok {
			return in, h.tr(c, "rundown.bad_duration", s)
		}
		in.PlannedSeconds = &n
	}
	in.Podcast = &broadcast.Podcast{Author: strings.TrimSpace(c.PostForm("podcast_author")), OwnerEmail: strings.TrimSpace(c.PostForm("podcast_email")),
		Category: strings.TrimSpace(c.PostForm("podcast_category")), ImageAssetID: strings.TrimSpace(c.PostForm("podcast_image")),
		Explicit: c.PostForm("podcast_explicit") == "1"}
	return in, ""
}

// createProgramme is the form post of a new programme.
func (h *Handler) createProgramme(c *gin.Context) error {
	in, bad := h.programmeInput(c)
	if bad != "" {
		return h.programmesPage(c, http.StatusBadRequest, bad)
	}
	_, err := h.bcast.CreateProgramme(c.Request.Context(), actor(c), in)
	return h.afterPost(c, err, "/desk/programmes?ok=created", func(status int, msg string) error {
		return h.programmesPage(c, status, msg)
	})
}

// updateProgramme is the form post of a programme's edit form, at the version shown.
func (h *Handler) updateProgramme(c *gin.Context) error {
	v, err := strconv.Atoi(c.PostForm("version"))
	if err != nil || v < 1 {
		return h.programmesPage(c, http.StatusBadRequest, h.tr(c, "error.version"))
	}
	in, bad := h.programmeInput(c)
	if bad != "" {
		return h.programmesPage(c, http.StatusBadRequest, bad)
	}
	_, err = h.bcast.UpdateProgramme(c.Request.Context(), actor(c), c.Param("id"), in, v)
	return h.afterPost(c, err, "/desk/programmes?ok=saved", func(status int, msg string) error {
		return h.programmesPage(c, status, msg)
	})
}
