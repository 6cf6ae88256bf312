package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/story"
)

type newData struct {
	Form        form
	Sections    []sectionOption
	HeadlineMax int
}

// newStoryPage is /desk/stories/new.
func (h *Handler) newStoryPage(c *gin.Context) error {
	return h.newPage(c, http.StatusOK, "", form{})
}

func (h *Handler) newPage(c *gin.Context, status int, errMsg string, f form) error {
	_, secList, err := h.sectionNames(c.Request.Context())
	if err != nil {
		return err
	}
	d := newData{Form: f, HeadlineMax: story.MaxHeadline}
	for _, s := range secList {
		d.Sections = append(d.Sections, sectionOption{ID: s.ID, Name: s.Name, Selected: s.ID == f.SectionID})
	}
	h.render(c, status, "story_new", page{Title: h.tr(c, "new.title"), Nav: "new", Error: errMsg, Data: d, Editor: true})
	return nil
}

// createStory is POST /desk/stories: story.Service.CreateStory, then the editor.
func (h *Handler) createStory(c *gin.Context) error {
	f := formFromPost(c)
	in := story.Content{SectionID: &f.SectionID, Headline: &f.Headline, Sapo: &f.Sapo, Body: &f.Body}
	if f.SectionID == "" {
		in.SectionID = nil
	}
	st, err := h.stories.CreateStory(c.Request.Context(), actor(c), in)
	if err != nil {
		status, msg := h.explain(c, err)
		return h.newPage(c, status, msg, f)
	}
	c.Redirect(http.StatusSeeOther, "/desk/stories/"+st.ID+"?ok=created")
	return nil
}
