package web

import (
	"context"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/feed"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// MaxSearchRunes bounds the search text.
const MaxSearchRunes = 200

// search is /tim-kiem?q=: the search engine's public search
// (search.Service.SearchPublic: published stories only, with <mark>
// snippets) when it is plugged in, site.Service.Search otherwise.
func (h *Handler) search(c *gin.Context) error {
	return h.serve(c, cacheKey(c, "html"), func(c *gin.Context) (*answer, error) {
		q := strings.TrimSpace(c.Query("q"))
		if utf8.RuneCountInString(q) > MaxSearchRunes {
			return nil, apperr.InvalidField("q", "web.search_too_long", MaxSearchRunes)
		}
		heading := "Tìm kiếm"
		if q != "" {
			heading = "Kết quả tìm kiếm: " + q
		}
		if h.searcher != nil && q != "" {
			return h.searchPage(c, heading, q)
		}
		return h.listPage(c, heading, "", "/tim-kiem", q, func(ctx context.Context, after *site.Cursor, limit int) ([]site.Article, *site.Cursor, error) {
			return h.site.Search(ctx, q, after, limit)
		})
	})
}

// searchPage renders one page of public search hits (?sau= is the cursor).
func (h *Handler) searchPage(c *gin.Context, heading, q string) (*answer, error) {
	ctx := c.Request.Context()
	after, err := decodeSearchCursor(c.Query("sau"))
	if err != nil {
		return nil, err
	}
	hits, next, err := h.searcher.SearchPublic(ctx, q, search.Filter{After: after, Limit: 20})
	if err != nil {
		return nil, err
	}
	secs, err := h.site.Sections(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[string][2]string, len(secs))
	for _, s := range secs {
		names[s.ID] = [2]string{s.Name, s.Slug}
	}
	d := listData{Heading: heading, Empty: "Không tìm thấy bài nào (no results).", Items: make([]card, len(hits))}
	for i, hit := range hits {
		when := hitTime(hit)
		sec := names[hit.SectionID]
		d.Items[i] = card{Headline: hit.Headline, URL: hit.URL, SectionName: sec[0], SectionURL: "/" + sec[1],
			Published: vntime.Format(when), PublishedISO: iso(when), Snippet: safeSnippet(hit.Snippet)}
	}
	if next != nil {
		v := url.Values{}
		for k, vals := range c.Request.URL.Query() {
			v[k] = vals
		}
		v.Set("sau", encodeCursor(next))
		d.Next = c.Request.URL.Path + "?" + v.Encode()
	}
	m := meta{Title: heading, Canonical: h.abs("/tim-kiem"), NoIndex: true}
	body, err := h.renderHTML(c, "list", m, q, d)
	if err != nil {
		return nil, err
	}
	return &answer{status: http.StatusOK, ctype: "text/html; charset=utf-8", body: body, modified: newestHit(hits)}, nil
}

// contentHit is a search hit in the content API.
type contentHit struct {
	ID          string     `json:"id"`
	Headline    string     `json:"headline"`
	URL         string     `json:"url"`
	Snippet     string     `json:"snippet"` // HTML: escaped text, <mark> around matches
	PublishedAt *time.Time `json:"published_at"`
}

// contentSearch is GET /api/content/v1/search?q=&section=&limit=&cursor=:
// published stories only, best first.
func (h *Handler) contentSearch(c *gin.Context) error {
	return h.serve(c, cacheKey(c, "json"), func(c *gin.Context) (*answer, error) {
		ctx := c.Request.Context()
		if h.searcher == nil {
			return nil, apperr.Unavailable("web.search_off")
		}
		q := strings.TrimSpace(c.Query("q"))
		if q == "" {
			return nil, apperr.InvalidField("q", "web.query_required")
		}
		if utf8.RuneCountInString(q) > MaxSearchRunes {
			return nil, apperr.InvalidField("q", "web.search_too_long", MaxSearchRunes)
		}
		f := search.Filter{Limit: 20}
		if s := c.Query("section"); s != "" {
			sec, err := h.site.SectionBySlug(ctx, s)
			if err != nil {
				return nil, apperr.InvalidField("section", "web.unknown_section", s)
			}
			f.SectionID = sec.ID
		}
		if l := c.Query("limit"); l != "" {
			n, err := parseLimit(l)
			if err != nil {
				return nil, err
			}
			f.Limit = n
		}
		var err error
		if f.After, err = decodeSearchCursor(c.Query("cursor")); err != nil {
			return nil, err
		}
		hits, next, err := h.searcher.SearchPublic(ctx, q, f)
		if err != nil {
			return nil, err
		}
		out := make([]contentHit, len(hits))
		for i, hit := range hits {
			out[i] = contentHit{ID: hit.ID, Headline: hit.Headline, URL: h.abs(hit.URL), Snippet: string(safeSnippet(hit.Snippet)),
				PublishedAt: feed.UTC(hit.PublishedAt)}
		}
		return jsonAnswer(map[string]any{"items": out, "next_cursor": encodeCursor(next)}, "application/json; charset=utf-8", newestHit(hits))
	})
}

func parseLimit(l string) (int, error) {
	n := 0
	for _, r := range l {
		if r < '0' || r > '9' || n > search.MaxLimit {
			n = -1
			break
		}
		n = n*10 + int(r-'0')
	}
	if n < 1 || n > search.MaxLimit {
		return 0, apperr.InvalidField("limit", "web.limit_range", search.MaxLimit)
	}
	return n, nil
}

// safeSnippet passes a search snippet to a page: search.Snippet escapes the
// story text and adds only <mark>; should anything else look like markup,
// the whole snippet is escaped rather than trusted.
func safeSnippet(s string) template.HTML {
	rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
	if strings.ContainsAny(rest, "<>") {
		return template.HTML(html.EscapeString(s)) //nolint:gosec // escaped
	}
	return template.HTML(s) //nolint:gosec // only <mark> around escaped text
}

func hitTime(h search.Hit) time.Time {
	if h.PublishedAt != nil {
		return *h.PublishedAt
	}
	return h.UpdatedAt
}

func newestHit(hits []search.Hit) time.Time {
	var t time.Time
	for _, h := range hits {
		m := h.UpdatedAt
		if h.PublishedAt != nil && h.PublishedAt.After(m) {
			m = *h.PublishedAt
		}
		if m.After(t) {
			t = m
		}
	}
	return t
}

// decodeSearchCursor reads a search page token; a bad one is Invalid (400).
func decodeSearchCursor(s string) (*search.Cursor, error) {
	return decodeCursor(s, 300, apperr.InvalidField("cursor", "web.bad_cursor"),
		func(c *search.Cursor) bool { return c.ID != "" && !c.At.IsZero() })
}
