package desk

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// formFromPost reads the editor's fields from a form post.
func formFromPost(c *gin.Context) form {
	return form{Headline: c.PostForm("headline"), Sapo: c.PostForm("sapo"), Body: c.PostForm("body"), Byline: c.PostForm("byline"),
		Tags: c.PostForm("tags"), SectionID: c.PostForm("section_id"), Channels: c.PostFormArray("channels"),
		Versions: versionsFromPost(c)}
}

func (f form) content() story.Content {
	tags := splitList(f.Tags)
	chs := make([]story.Channel, 0, len(f.Channels))
	for _, ch := range f.Channels {
		chs = append(chs, story.Channel(ch))
	}
	c := story.Content{SectionID: &f.SectionID, Headline: &f.Headline, Sapo: &f.Sapo, Body: &f.Body, Byline: &f.Byline, Tags: &tags, Channels: &chs}
	f.Versions.apply(&c)
	return c
}

// saveStory is the editor's form post (works without JavaScript):
// story.Service.UpdateStory at the version the page was loaded with.
func (h *Handler) saveStory(c *gin.Context) error {
	f := formFromPost(c)
	v, err := strconv.Atoi(c.PostForm("version"))
	if err != nil || v < 1 {
		return h.editPage(c, http.StatusBadRequest, h.tr(c, "error.version"), &f)
	}
	st, err := h.stories.UpdateStory(c.Request.Context(), actor(c), c.Param("id"), f.content(), v)
	if err != nil {
		status, msg := h.explain(c, err)
		return h.editPage(c, status, msg, &f)
	}
	c.Redirect(http.StatusSeeOther, "/desk/stories/"+st.ID+"?ok=saved")
	return nil
}

// autosaveInput is what the editor's script sends.
type autosaveInput struct {
	SectionID string            `json:"section_id"`
	Headline  string            `json:"headline"`
	Sapo      string            `json:"sapo"`
	Body      string            `json:"body"`
	Byline    string            `json:"byline"`
	Tags      string            `json:"tags"`
	Channels  []string          `json:"channels"`
	Assets    *[]story.AssetRef `json:"assets"`
	// Radio and TV are the editor's tabs (story.Content's rules: {} removes, absent keeps).
	Radio *story.RadioVersion `json:"radio"`
	TV    *story.TVVersion    `json:"tv"`
}

// savedView is a story version as the conflict dialog shows it.
type savedView struct {
	Version  int    `json:"version"`
	Headline string `json:"headline"`
	Sapo     string `json:"sapo"`
	Body     string `json:"body"`
	Byline   string `json:"byline"`
	Tags     string `json:"tags"`
	Updated  string `json:"updated"`
}

func viewSaved(st *story.Story) savedView {
	return savedView{Version: st.Version, Headline: st.Headline, Sapo: st.Sapo, Body: st.Body, Byline: st.Byline,
		Tags: strings.Join(st.Tags, ", "), Updated: vntime.Format(st.UpdatedAt)}
}

// autosave is POST /desk/stories/{id}/autosave with If-Match: "<version>" and
// a JSON body. A stale version answers 412 with the saved story so that the
// editor can show both versions; nothing is ever overwritten without the
// version the person saw.
func (h *Handler) autosave(c *gin.Context) error {
	c.Request.Header.Set("Accept", "application/json")
	im := strings.Trim(strings.TrimPrefix(c.GetHeader("If-Match"), "W/"), `"`)
	if im == "" {
		return apperr.PreconditionRequired("desk.if_match")
	}
	v, err := strconv.Atoi(im)
	if err != nil || v < 1 {
		return apperr.Invalid("desk.bad_version")
	}
	var in autosaveInput
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return apperr.Invalid("desk.bad_json", err.Error())
	}
	f := form{Headline: in.Headline, Sapo: in.Sapo, Body: in.Body, Byline: in.Byline, Tags: in.Tags, SectionID: in.SectionID, Channels: in.Channels}
	content := f.content()
	content.Assets = in.Assets
	content.Radio, content.TV = in.Radio, in.TV
	st, err := h.stories.UpdateStory(c.Request.Context(), actor(c), c.Param("id"), content, v)
	if err != nil {
		status, msg := h.explain(c, err)
		body := gin.H{"error": gin.H{"message": msg}}
		if e, ok := apperr.As(err); ok {
			if cur, ok := e.Details["story"].(*story.Story); ok && status == http.StatusPreconditionFailed {
				body["current"] = viewSaved(cur)
			}
			if f, ok := e.Details["field"]; ok {
				body["error"].(gin.H)["field"] = f
			}
		}
		c.AbortWithStatusJSON(status, body)
		return nil
	}
	c.Header("ETag", `"`+strconv.Itoa(st.Version)+`"`)
	c.JSON(http.StatusOK, gin.H{"version": st.Version, "saved_at": vntime.Format(st.UpdatedAt), "radio": st.Radio, "tv": st.TV})
	return nil
}
