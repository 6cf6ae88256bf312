package web

import (
	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/site"
)

// author lists an author's published articles.
func (h *Handler) author(c *gin.Context) error {
	return h.serve(c, cacheKey(c, "html"), func(c *gin.Context) (*answer, error) {
		au, err := h.site.AuthorByUsername(c.Request.Context(), c.Param("username"))
		if err != nil {
			return nil, err
		}
		name := au.DisplayName
		if name == "" {
			name = au.Username
		}
		return h.listPage(c, name, "Các bài viết của tác giả "+name, "/tac-gia/"+au.Username, "", h.latest(site.Query{AuthorID: au.ID}))
	})
}
