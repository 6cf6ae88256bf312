package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// addComment is POST /desk/stories/{id}/comments (story.Service.AddComment).
func (h *Handler) addComment(c *gin.Context) error {
	id := c.Param("id")
	if _, err := h.stories.AddComment(c.Request.Context(), actor(c), id, c.PostForm("body")); err != nil {
		status, msg := h.explain(c, err)
		return h.editPage(c, status, msg, nil)
	}
	c.Redirect(http.StatusSeeOther, "/desk/stories/"+id+"?ok=comment#comments")
	return nil
}
