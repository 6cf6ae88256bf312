package web

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/site"
)

// MaxSearchRunes bounds the search text.
const MaxSearchRunes = 200

// search is /tim-kiem?q=: site.Service.Search, which uses the search engine
// once it is plugged in (site.Service.Searcher) and a headline/sapo substring
// query until then.
func (h *Handler) search(c *gin.Context) {
	h.serve(c, cacheKey(c, "html"), func(c *gin.Context) (*answer, error) {
		q := strings.TrimSpace(c.Query("q"))
		if utf8.RuneCountInString(q) > MaxSearchRunes {
			return nil, apperr.InvalidField("q", "Từ khóa tìm kiếm dài quá %d ký tự (search text too long)", MaxSearchRunes)
		}
		heading := "Tìm kiếm"
		if q != "" {
			heading = "Kết quả tìm kiếm: " + q
		}
		return h.listPage(c, heading, "", "/tim-kiem", q, func(ctx context.Context, after *site.Cursor, limit int) ([]site.Article, *site.Cursor, error) {
			return h.site.Search(ctx, q, after, limit)
		})
	}, h.htmlError)
}
