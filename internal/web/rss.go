package web

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// FeedItems is how many items a feed carries.
const FeedItems = 50

// rfc1123 is RSS's date form, with a numeric zone: Vietnam time (+0700).
const rfc1123 = "Mon, 02 Jan 2006 15:04:05 -0700"

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Content string     `xml:"xmlns:content,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Self        atomLink  `xml:"atom:link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	LastBuild   string    `xml:"lastBuildDate,omitempty"`
	Items       []rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Description string        `xml:"description"`
	Category    string        `xml:"category,omitempty"`
	Content     *cdata        `xml:"content:encoded,omitempty"`
	Enclosure   *rssEnclosure `xml:"enclosure,omitempty"`
}

// rssEnclosure is the featured image (its large rendition) of an item.
type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

// enclosure is the featured image of an article for feeds, or nil.
func (h *Handler) enclosure(a *site.Article) *rssEnclosure {
	f := a.Featured()
	if f == nil {
		return nil
	}
	if r := rendition(f, "large"); r != nil {
		return &rssEnclosure{URL: h.abs(r.URL), Length: r.Size, Type: r.ContentType}
	}
	return &rssEnclosure{URL: h.abs(f.URL), Length: f.Size, Type: f.ContentType}
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type cdata struct {
	Value string `xml:",cdata"`
}

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
			return nil, apperr.NotFound("Không có nguồn tin này (no such feed)")
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
	mod := newest(items)
	doc := rssDoc{Version: "2.0", Content: "http://purl.org/rss/1.0/modules/content/", Atom: "http://www.w3.org/2005/Atom",
		Channel: rssChannel{Title: title, Link: h.abs(link), Self: atomLink{Href: h.abs(self), Rel: "self", Type: "application/rss+xml"},
			Description: "Tin mới nhất từ " + title, Language: "vi"}}
	if !mod.IsZero() {
		doc.Channel.LastBuild = rssDate(mod)
	}
	for _, a := range items {
		it := rssItem{Title: a.Headline, Link: h.abs(a.Path), GUID: rssGUID{IsPermaLink: "false", Value: "urn:uuid:" + a.ID},
			PubDate: rssDate(a.Modified()), Description: a.Sapo, Category: a.Section.Name}
		it.Enclosure = h.enclosure(&a)
		if fullText {
			it.Content = &cdata{Value: strings.ReplaceAll(richtext.Sanitize(a.Body), "]]>", "]]&gt;")}
		}
		doc.Channel.Items = append(doc.Channel.Items, it)
	}
	return xmlAnswer(doc, "application/rss+xml; charset=utf-8", mod)
}

// rssDate is RFC 1123 with a numeric zone, in Vietnam time (+0700).
func rssDate(t time.Time) string { return t.In(vntime.Location).Format(rfc1123) }

func xmlAnswer(doc any, ctype string, mod time.Time) (*answer, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return &answer{status: http.StatusOK, ctype: ctype, body: buf.Bytes(), modified: mod}, nil
}
