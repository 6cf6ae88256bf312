package web

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// NewsWindow is how far back the Google News sitemap reaches.
const NewsWindow = 48 * time.Hour

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type sitemapIndexDoc struct {
	XMLName  xml.Name       `xml:"sitemapindex"`
	NS       string         `xml:"xmlns,attr"`
	Sitemaps []sitemapEntry `xml:"sitemap"`
}

type sitemapEntry struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlsetDoc struct {
	XMLName xml.Name   `xml:"urlset"`
	NS      string     `xml:"xmlns,attr"`
	NewsNS  string     `xml:"xmlns:news,attr,omitempty"`
	URLs    []urlEntry `xml:"url"`
}

type urlEntry struct {
	Loc     string    `xml:"loc"`
	LastMod string    `xml:"lastmod,omitempty"`
	News    *newsItem `xml:"news:news,omitempty"`
}

type newsItem struct {
	Publication newsPublication `xml:"news:publication"`
	Date        string          `xml:"news:publication_date"`
	Title       string          `xml:"news:title"`
}

type newsPublication struct {
	Name     string `xml:"news:name"`
	Language string `xml:"news:language"`
}

func w3c(t time.Time) string { return t.In(vntime.Location).Format(time.RFC3339) }

// sitemapIndex is /sitemap.xml: one child per month with published articles
// (/sitemaps/YYYY-MM.xml), newest first, plus the news sitemap.
func (h *Handler) sitemapIndex(c *gin.Context) error {
	return h.serve(c, cacheKey(c, "xml"), func(c *gin.Context) (*answer, error) {
		ctx := c.Request.Context()
		oldest, err := h.site.OldestPublished(ctx)
		if err != nil {
			return nil, err
		}
		latest, _, err := h.site.Latest(ctx, site.Query{Limit: 1})
		if err != nil {
			return nil, err
		}
		mod := newest(latest)
		doc := sitemapIndexDoc{NS: sitemapNS, Sitemaps: []sitemapEntry{{Loc: h.abs("/sitemap-news.xml")}}}
		if !oldest.IsZero() {
			now := time.Now().In(vntime.Location)
			first := monthStart(oldest.In(vntime.Location))
			for m := monthStart(now); !m.Before(first); m = m.AddDate(0, -1, 0) {
				doc.Sitemaps = append(doc.Sitemaps, sitemapEntry{Loc: h.abs("/sitemaps/" + m.Format("2006-01") + ".xml")})
			}
		}
		return xmlAnswer(doc, "application/xml; charset=utf-8", mod)
	})
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, vntime.Location)
}

// sitemapMonth is /sitemaps/YYYY-MM.xml: the articles published that month (Vietnam time).
func (h *Handler) sitemapMonth(c *gin.Context) error {
	return h.serve(c, cacheKey(c, "xml"), func(c *gin.Context) (*answer, error) {
		name, ok := strings.CutSuffix(c.Param("file"), ".xml")
		m, err := time.ParseInLocation("2006-01", name, vntime.Location)
		if !ok || err != nil {
			return nil, apperr.NotFound("web.no_such_sitemap")
		}
		doc := urlsetDoc{NS: sitemapNS}
		var mod time.Time
		var after *site.Cursor
		for {
			items, next, err := h.site.Latest(c.Request.Context(), site.Query{Since: m, Until: m.AddDate(0, 1, 0), After: after, Limit: site.MaxLimit})
			if err != nil {
				return nil, err
			}
			for _, a := range items {
				doc.URLs = append(doc.URLs, urlEntry{Loc: h.abs(a.Path), LastMod: w3c(a.Modified())})
			}
			if n := newest(items); n.After(mod) {
				mod = n
			}
			if next == nil || len(doc.URLs) >= 50000 {
				break
			}
			after = next
		}
		return xmlAnswer(doc, "application/xml; charset=utf-8", mod)
	})
}

// sitemapNews is /sitemap-news.xml: Google News, articles of the last 48 hours.
func (h *Handler) sitemapNews(c *gin.Context) error {
	// The window moves with time, not only with publishing: key it on the 10-minute slot too.
	slot := fmt.Sprintf("xml-%d", time.Now().Unix()/600)
	return h.serve(c, cacheKey(c, slot), func(c *gin.Context) (*answer, error) {
		items, _, err := h.site.Latest(c.Request.Context(), site.Query{Since: time.Now().Add(-NewsWindow), Limit: site.MaxLimit})
		if err != nil {
			return nil, err
		}
		doc := urlsetDoc{NS: sitemapNS, NewsNS: "http://www.google.com/schemas/sitemap-news/0.9"}
		for _, a := range items {
			doc.URLs = append(doc.URLs, urlEntry{Loc: h.abs(a.Path), LastMod: w3c(a.Modified()),
				News: &newsItem{Publication: newsPublication{Name: h.opts.Site.Name, Language: "vi"},
					Date: w3c(pubTime(a)), Title: a.Headline}})
		}
		return xmlAnswer(doc, "application/xml; charset=utf-8", newest(items))
	})
}

// robots is /robots.txt, pointing crawlers at the sitemaps.
func (h *Handler) robots(c *gin.Context) error {
	return h.serve(c, "robots", func(c *gin.Context) (*answer, error) {
		body := fmt.Sprintf("User-agent: *\nDisallow: /api/\nDisallow: /tim-kiem\n\nSitemap: %s\nSitemap: %s\n",
			h.abs("/sitemap.xml"), h.abs("/sitemap-news.xml"))
		return &answer{status: http.StatusOK, ctype: "text/plain; charset=utf-8", body: []byte(body)}, nil
	})
}
