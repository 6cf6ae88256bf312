package web

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/site"
)

// FeedItems is how many items a feed carries.
const FeedItems = 50

// siteRSS is /rss.xml: the latest 50 articles of the whole site.
func (h *Handler) siteRSS(c *gin.Context) error {
	return h.serve(c, cacheKey(c, "rss"), func(c *gin.Context) (*answer, error) {
		return h.feed(c, h.opts.Site.Name, "/", "/rss.xml", site.Query{})
	})
}

// sectionRSS is /rss/{section-slug}.xml.
func (h *Handler) sectionRSS(c *gin.Context) error {
	return h.serve(c, cacheKey(c, "rss"), func(c *gin.Context) (*answer, error) {
		slug, ok := strings.CutSuffix(c.Param("file"), ".xml")
		if !ok {
			return nil, apperr.NotFound("web.no_such_feed")
		}
		sec, err := h.site.SectionBySlug(c.Request.Context(), slug)
		if err != nil {
			return nil, err
		}
		return h.feed(c, sec.Name+" - "+h.opts.Site.Name, "/"+sec.Slug, "/rss/"+sec.Slug+".xml", site.Query{SectionID: sec.ID})
	})
}

func (h *Handler) feed(c *gin.Context, title, link, self string, q site.Query) (*answer, error) {
	q.Limit = FeedItems
	items, _, err := h.site.Latest(c.Request.Context(), q)
	if err != nil {
		return nil, err
	}
	return h.rssAnswer(items, title, link, self, h.opts.RSSFullText)
}

// rssAnswer writes items as an RSS 2.0 feed (the site's feeds and the
// per-target pull feeds share it); fullText adds the body as content:encoded.
func (h *Handler) rssAnswer(items []site.Article, title, link, self string, fullText bool) (*answer, error) {
	return xmlAnswer(h.format.RSS(items, title, link, self, fullText), "application/rss+xml; charset=utf-8", newest(items))
}

func xmlAnswer(doc any, ctype string, mod time.Time) (*answer, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return &answer{status: http.StatusOK, ctype: ctype, body: buf.Bytes(), modified: mod}, nil
}
