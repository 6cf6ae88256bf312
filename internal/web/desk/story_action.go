package desk

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// storyAction is POST /desk/stories/{id}/actions: one workflow button
// (action, comment, publish_at as a Vietnam-time datetime-local, version).
// story.Service.Transition decides; a refusal is shown on the editor.
func (h *Handler) storyAction(c *gin.Context) error {
	in := story.TransitionInput{Action: c.PostForm("action"), Comment: c.PostForm("comment")}
	if s := strings.TrimSpace(c.PostForm("publish_at")); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, vntime.Location)
		if err != nil {
			return h.editPage(c, http.StatusBadRequest, h.tr(c, "error.publish_at", s), nil)
		}
		in.PublishAt = &t
	}
	var ifVersion *int
	if s := c.PostForm("version"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return h.editPage(c, http.StatusBadRequest, h.tr(c, "error.version"), nil)
		}
		ifVersion = &v
	}
	st, err := h.stories.Transition(c.Request.Context(), actor(c), c.Param("id"), in, ifVersion)
	if err != nil {
		status, msg := h.explain(c, err)
		return h.editPage(c, status, msg, nil)
	}
	c.Redirect(http.StatusSeeOther, "/desk/stories/"+st.ID+"?ok="+in.Action)
	return nil
}
