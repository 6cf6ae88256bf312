package desk

import "github.com/gin-gonic/gin"

// addComment is POST /desk/stories/{id}/comments (story.Service.AddComment).
func (h *Handler) addComment(c *gin.Context) error {
	id := c.Param("id")
	_, err := h.stories.AddComment(c.Request.Context(), actor(c), id, c.PostForm("body"))
	return h.afterPost(c, err, "/desk/stories/"+id+"?ok=comment#comments", func(status int, msg string) error {
		return h.editPage(c, status, msg, nil)
	})
}
