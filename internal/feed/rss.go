package feed

import (
	"encoding/xml"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// rfc1123 is RSS's date form, with a numeric zone: Vietnam time (+0700).
const rfc1123 = "Mon, 02 Jan 2006 15:04:05 -0700"

// RSS is an RSS 2.0 document with the content and atom namespaces.
type RSS struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Content string     `xml:"xmlns:content,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel RSSChannel `xml:"channel"`
}

// RSSChannel is the feed's channel.
type RSSChannel struct {
	RSSChannelHead
	Items []RSSItem `xml:"item"`
}

// RSSChannelHead is what every channel begins with, the article feeds' and
// the podcast feeds' alike.
type RSSChannelHead struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	Self        AtomLink `xml:"atom:link"`
	Description string   `xml:"description"`
	Language    string   `xml:"language"`
	LastBuild   string   `xml:"lastBuildDate,omitempty"`
}

// ChannelHead is the head of a Vietnamese channel titled title, whose page
// is link and whose own address (atom:link rel="self") is self: both
// absolute URLs.
func ChannelHead(title, link, self, description string) RSSChannelHead {
	return RSSChannelHead{Title: title, Link: link, Self: AtomLink{Href: self, Rel: "self", Type: "application/rss+xml"},
		Description: description, Language: "vi"}
}

// AtomLink is the feed's own address (atom:link rel="self").
type AtomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

// RSSItem is one article in a feed.
type RSSItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        RSSGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Description string        `xml:"description"`
	Category    string        `xml:"category,omitempty"`
	Content     *CDATA        `xml:"content:encoded,omitempty"`
	Enclosure   *RSSEnclosure `xml:"enclosure,omitempty"`
}

// RSSEnclosure is a media file of an item (an article's featured image, a
// podcast episode's audio).
type RSSEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

// RSSGUID is an item's identifier.
type RSSGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// CDATA is text written as a CDATA section.
type CDATA struct {
	Value string `xml:",cdata"`
}

// RSSDate is RFC 1123 with a numeric zone, in Vietnam time (+0700).
func RSSDate(t time.Time) string { return t.In(vntime.Location).Format(rfc1123) }

// Enclosure is the featured image of an article for feeds (its large
// rendition, else the original), or nil.
func (f *Formatter) Enclosure(a *site.Article) *RSSEnclosure {
	fe := a.Featured()
	if fe == nil {
		return nil
	}
	if r := Rendition(fe, "large"); r != nil {
		return &RSSEnclosure{URL: f.Abs(r.URL), Length: r.Size, Type: r.ContentType}
	}
	return &RSSEnclosure{URL: f.Abs(fe.URL), Length: fe.Size, Type: fe.ContentType}
}

// RSSItem is the article as a feed item; fullText adds the sanitized body
// as content:encoded.
func (f *Formatter) RSSItem(a *site.Article, fullText bool) RSSItem {
	it := RSSItem{Title: a.Headline, Link: f.Abs(a.Path), GUID: RSSGUID{IsPermaLink: "false", Value: "urn:uuid:" + a.ID},
		PubDate: RSSDate(a.Modified()), Description: a.Sapo, Category: a.Section.Name}
	it.Enclosure = f.Enclosure(a)
	if fullText {
		// "]]>" would end the CDATA section early.
		it.Content = &CDATA{Value: strings.ReplaceAll(richtext.Sanitize(a.Body), "]]>", "]]&gt;")}
	}
	return it
}

// RSS is the articles as an RSS 2.0 feed titled title, linking to the site
// page link and to itself at self (both site paths); the site's feeds and
// the per-target pull feeds share it.
func (f *Formatter) RSS(items []site.Article, title, link, self string, fullText bool) *RSS {
	doc := &RSS{Version: "2.0", Content: "http://purl.org/rss/1.0/modules/content/", Atom: "http://www.w3.org/2005/Atom",
		Channel: RSSChannel{RSSChannelHead: ChannelHead(title, f.Abs(link), f.Abs(self), "Tin mới nhất từ "+title)}}
	if mod := Newest(items); !mod.IsZero() {
		doc.Channel.LastBuild = RSSDate(mod)
	}
	for i := range items {
		doc.Channel.Items = append(doc.Channel.Items, f.RSSItem(&items[i], fullText))
	}
	return doc
}
