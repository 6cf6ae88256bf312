package web

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/site"
)

// listData is a section, tag, author or search page.
type listData struct {
	Heading, Intro, Empty string
	Items                 []card
	Next                  string
}

// fetcher reads one page of a list after a keyset position.
type fetcher func(ctx context.Context, after *site.Cursor, limit int) ([]site.Article, *site.Cursor, error)

// latest is the fetcher of published articles matching q.
func (h *Handler) latest(q site.Query) fetcher {
	return func(ctx context.Context, after *site.Cursor, limit int) ([]site.Article, *site.Cursor, error) {
		q.After, q.Limit = after, limit
		return h.site.Latest(ctx, q)
	}
}

// listPage renders a keyset-paginated list of articles (?sau= is the cursor).
func (h *Handler) listPage(c *gin.Context, heading, intro, canonical, search string, fetch fetcher) (*answer, error) {
	after, err := decodePageCursor(c.Query("sau"))
	if err != nil {
		return nil, err
	}
	items, next, err := fetch(c.Request.Context(), after, 20)
	if err != nil {
		return nil, err
	}
	d := listData{Heading: heading, Intro: intro, Items: toCards(items), Empty: "Chưa có bài viết (no articles yet).",
		Next: nextURL(c.Request.URL.Path, c.Request.URL.Query(), next)}
	if search != "" {
		d.Empty = "Không tìm thấy bài nào (no results)."
	}
	m := meta{Title: heading, Description: intro, Canonical: h.abs(canonical), NoIndex: after != nil || canonical == "/tim-kiem"}
	body, err := h.renderHTML(c, "list", m, search, d)
	if err != nil {
		return nil, err
	}
	return &answer{status: http.StatusOK, ctype: "text/html; charset=utf-8", body: body, modified: newest(items)}, nil
}
