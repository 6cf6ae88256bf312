package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/site"
)

// section is a section's page: its latest articles, keyset-paginated.
func (h *Handler) section(c *gin.Context) error {
	if c.Param("section") == "api" {
		c.AbortWithStatusJSON(http.StatusNotFound, errBody(c, "not_found", "Không có đường dẫn này (no such route)"))
		return nil
	}
	return h.serve(c, cacheKey(c, "html"), func(c *gin.Context) (*answer, error) {
		sec, err := h.site.SectionBySlug(c.Request.Context(), c.Param("section"))
		if err != nil {
			return nil, err
		}
		return h.listPage(c, sec.Name, "Tin tức chuyên mục "+sec.Name, "/"+sec.Slug, "", h.latest(site.Query{SectionID: sec.ID}))
	})
}
