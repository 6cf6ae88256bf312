// Package feed formats published articles for the outside world: IPTC ninjs
// 3.1 items, the content API's compact JSON and RSS 2.0 items. The public
// site and content API (web) and the webhooks and platforms of distribution
// all read the same formatter, so a partner gets the same bytes whether it
// pulls or is pushed to. It is domain-side: no HTTP framework here.
package feed

import (
	"net/url"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/site"
)

// Site is what formatting needs to know about the publication.
type Site struct {
	Name    string // the copyright holder of ninjs items
	BaseURL string // absolute URLs are built on it (trailing "/" ignored)
}

// Formatter turns site articles into their public representations, with
// absolute URLs on the site's base URL.
type Formatter struct {
	site Site
}

// NewFormatter returns a formatter for the site.
func NewFormatter(s Site) *Formatter {
	s.BaseURL = strings.TrimRight(s.BaseURL, "/")
	return &Formatter{site: s}
}

// Abs is path as an absolute URL on the site; URLs that are already
// absolute (media on a CDN) stay as they are.
func (f *Formatter) Abs(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return f.site.BaseURL + path
}

// TagPath is the public address of a tag page.
func TagPath(tag string) string { return "/tu-khoa/" + url.PathEscape(tag) }

// Rendition returns an asset's rendition by name, or nil.
func Rendition(a *asset.Asset, name string) *asset.Rendition {
	for i := range a.Renditions {
		if a.Renditions[i].Name == name {
			return &a.Renditions[i]
		}
	}
	return nil
}

// LargeURL is the picture for sharing cards and feeds: the large rendition,
// or the original while renditions are not made yet.
func LargeURL(a *asset.Asset) string {
	if r := Rendition(a, "large"); r != nil {
		return r.URL
	}
	return a.URL
}

// Newest is the latest modification among articles (zero for none).
func Newest(items []site.Article) time.Time {
	var t time.Time
	for i := range items {
		if m := items[i].Modified(); m.After(t) {
			t = m
		}
	}
	return t
}

// UTC is t in UTC, keeping nil as nil (JSON answers carry UTC times).
func UTC(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
