package web

import (
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/url"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/feed"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// image is a picture on a card or an article, with the srcset of its renditions.
type image struct {
	Src, Srcset, Sizes, Alt, Caption, Credit string
	Width, Height                            int
	// Eager loads at once (the featured image, the page's largest paint); others load lazily.
	Eager bool
}

// card is an article in a list.
type card struct {
	Headline, Sapo, URL     string
	SectionName, SectionURL string
	Published, PublishedISO string
	Image                   *image
	// Snippet is a search hit's text around the match, <mark> around the
	// matching words (safeSnippet made sure nothing else is markup).
	Snippet template.HTML
}

func toCard(a site.Article) card {
	c := card{Headline: a.Headline, Sapo: a.Sapo, URL: a.Path, SectionName: a.Section.Name,
		SectionURL: "/" + a.Section.Slug, Published: vntime.Format(pubTime(a)), PublishedISO: iso(pubTime(a))}
	if f := a.Featured(); f != nil {
		c.Image = toImage(f, "(max-width: 600px) 100vw, 320px")
	}
	return c
}

func toCards(items []site.Article) []card {
	out := make([]card, len(items))
	for i, a := range items {
		out[i] = toCard(a)
	}
	return out
}

func pubTime(a site.Article) time.Time {
	if a.PublishedAt != nil {
		return *a.PublishedAt
	}
	return a.UpdatedAt
}

func iso(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(vntime.Location).Format(time.RFC3339)
}

// safeBody is the only way a story body reaches a page: the stored body,
// sanitized again on the way out.
func safeBody(body string) template.HTML {
	return template.HTML(richtext.Sanitize(body)) //nolint:gosec // sanitized by richtext (bluemonday)
}

// newest is the latest modification among articles.
func newest(items []site.Article) time.Time { return feed.Newest(items) }

// encodeCursor makes the opaque page token of a cursor ("" for none): the
// list pages' and the content API's "sau"/"cursor", search's, the podcast
// episodes'.
func encodeCursor[C any](c *C) string {
	if c == nil {
		return ""
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a page token of at most limit bytes ("" is the first
// page, nil); one that does not decode, or whose cursor complete finds
// wanting, is bad.
func decodeCursor[C any](s string, limit int, bad error, complete func(*C) bool) (*C, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > limit {
		return nil, bad
	}
	var c C
	if err := json.Unmarshal(b, &c); err != nil || !complete(&c) {
		return nil, bad
	}
	return &c, nil
}

// decodePageCursor reads a list page's token; a bad one is Invalid (400).
func decodePageCursor(s string) (*site.Cursor, error) {
	return decodeCursor(s, 200, apperr.InvalidField("cursor", "web.bad_cursor"),
		func(c *site.Cursor) bool { return c.ID != "" && !c.PublishedAt.IsZero() })
}

// nextURL is the link to the next page of a list, or "".
func nextURL(path string, q url.Values, next *site.Cursor) string {
	if next == nil {
		return ""
	}
	v := url.Values{}
	for k, vals := range q {
		v[k] = vals
	}
	v.Set("sau", encodeCursor(next))
	return path + "?" + v.Encode()
}

// tagURL is the public address of a tag page.
func tagURL(tag string) string { return feed.TagPath(tag) }
