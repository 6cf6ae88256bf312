package web

import (
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/site"
)

// tag lists the articles carrying a tag (exact tag text, percent-encoded in the URL).
func (h *Handler) tag(c *gin.Context) error {
	return h.serve(c, cacheKey(c, "html"), func(c *gin.Context) (*answer, error) {
		tag := c.Param("tag")
		if tag == "" || utf8.RuneCountInString(tag) > 64 {
			return nil, apperr.NotFound("web.no_such_tag")
		}
		return h.listPage(c, tag, "Các bài viết với từ khóa "+tag, tagURL(tag), "", h.latest(site.Query{Tag: tag}))
	})
}
