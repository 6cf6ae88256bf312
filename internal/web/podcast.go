package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/feed"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// Podcasts is the public read side of the radio programmes (broadcast.Service).
type Podcasts interface {
	PodcastProgramme(ctx context.Context, slug string) (*broadcast.Programme, error)
	PodcastImage(ctx context.Context, p *broadcast.Programme) (*asset.Asset, error)
	FindEpisodes(ctx context.Context, p *broadcast.Programme, after *broadcast.RundownCursor, limit int) ([]broadcast.Episode, *broadcast.RundownCursor, error)
	FindEpisode(ctx context.Context, p *broadcast.Programme, rundownID string) (*broadcast.Episode, error)
}

// The podcast answers are built on every request (a few indexed queries)
// rather than kept in the generation cache: that cache moves on story
// publications, not on rundowns going done or recordings being attached.
// They carry the same ETag, Last-Modified and Cache-Control as the feeds.

// serveFresh builds an answer and writes it with the public caching headers;
// a failed build is returned for the route's ErrorRenderer to answer.
func (h *Handler) serveFresh(c *gin.Context, build builder) error {
	a, err := build(c)
	if err != nil {
		return err
	}
	h.write(c, a.finish())
	return nil
}

// podcastProgramme reads the programme of /podcasts/{slug}...
func (h *Handler) podcastProgramme(c *gin.Context, slug string) (*broadcast.Programme, error) {
	if h.podcasts == nil {
		return nil, apperr.NotFound("web.no_podcasts")
	}
	return h.podcasts.PodcastProgramme(c.Request.Context(), slug)
}

// podcast is /podcasts/{slug}.xml (the feed) or /podcasts/{slug} (the programme page).
func (h *Handler) podcast(c *gin.Context) error {
	name := c.Param("name")
	if slug, ok := strings.CutSuffix(name, ".xml"); ok {
		return h.serveFresh(c, func(c *gin.Context) (*answer, error) {
			p, err := h.podcastProgramme(c, slug)
			if err != nil {
				return nil, err
			}
			return h.podcastFeed(c, p)
		})
	}
	return h.serveFresh(c, func(c *gin.Context) (*answer, error) {
		p, err := h.podcastProgramme(c, name)
		if err != nil {
			return nil, err
		}
		return h.podcastPage(c, p)
	})
}

// episodePath is the public page of an episode.
func episodePath(p *broadcast.Programme, e *broadcast.Episode) string {
	return "/podcasts/" + p.Slug + "/" + e.RundownID + ".html"
}

// episodeAudio is what a player and an enclosure point at: the podcast
// (MP3) rendition, the original when it is MP3 already, else the original
// as it is while no MP3 rendition exists (ffmpeg missing or still working).
func episodeAudio(a *asset.Asset) (url, ctype string, size int64, seconds float64) {
	if r := rendition(a, "podcast"); r != nil && a.ContentType != "audio/mpeg" {
		d := r.Duration
		if d <= 0 {
			d = a.Duration
		}
		return r.URL, r.ContentType, r.Size, d
	}
	return a.URL, a.ContentType, a.Size, a.Duration
}

// hms is an iTunes duration, HH:MM:SS.
func hms(seconds float64) string {
	s := int(seconds + 0.5)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// episodeSeconds is the episode's length: the recording's, else the planned one.
func episodeSeconds(e *broadcast.Episode) float64 {
	if _, _, _, d := episodeAudio(e.Recording); d > 0 {
		return d
	}
	return float64(e.Seconds)
}

// episodeSummary is the running order in one line (the feed's item description).
func episodeSummary(p *broadcast.Programme, e *broadcast.Episode) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, phát sóng %s.", e.Title(p), vntime.Format(e.OnAirAt))
	if len(e.Items) > 0 {
		b.WriteString(" Trong chương trình: ")
		for i, it := range e.Items {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(it.Headline)
		}
		b.WriteString(".")
	}
	return b.String()
}

type podcastDoc struct {
	XMLName xml.Name       `xml:"rss"`
	Version string         `xml:"version,attr"`
	ITunes  string         `xml:"xmlns:itunes,attr"`
	Atom    string         `xml:"xmlns:atom,attr"`
	Channel podcastChannel `xml:"channel"`
}

type podcastChannel struct {
	feed.RSSChannelHead
	Image    *rssImage      `xml:"image,omitempty"`
	Author   string         `xml:"itunes:author"`
	Summary  string         `xml:"itunes:summary"`
	Type     string         `xml:"itunes:type"`
	Owner    itunesOwner    `xml:"itunes:owner"`
	ITImage  *itunesImage   `xml:"itunes:image,omitempty"`
	Category itunesCategory `xml:"itunes:category"`
	Explicit string         `xml:"itunes:explicit"`
	Items    []podcastItem  `xml:"item"`
}

type rssImage struct {
	URL   string `xml:"url"`
	Title string `xml:"title"`
	Link  string `xml:"link"`
}

type itunesOwner struct {
	Name  string `xml:"itunes:name"`
	Email string `xml:"itunes:email"`
}

type itunesImage struct {
	Href string `xml:"href,attr"`
}

// itunesCategory is "News" or, for "News/Daily News", a category with its subcategory.
type itunesCategory struct {
	Text string          `xml:"text,attr"`
	Sub  *itunesCategory `xml:"itunes:category,omitempty"`
}

// podcastItem is an episode: an RSS item (always with its enclosure) and
// the iTunes tags.
type podcastItem struct {
	feed.RSSItem
	Duration    string       `xml:"itunes:duration"`
	Image       *itunesImage `xml:"itunes:image,omitempty"`
	EpisodeType string       `xml:"itunes:episodeType"`
	Explicit    string       `xml:"itunes:explicit"`
}

func category(s string) itunesCategory {
	top, sub, _ := strings.Cut(s, "/")
	top, sub = strings.TrimSpace(top), strings.TrimSpace(sub)
	if top == "" {
		top = "News"
	}
	c := itunesCategory{Text: top}
	if sub != "" {
		c.Sub = &itunesCategory{Text: sub}
	}
	return c
}

func yesNo(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// podcastFeed is RSS 2.0 with the iTunes namespace: the latest 50 episodes.
func (h *Handler) podcastFeed(c *gin.Context, p *broadcast.Programme) (*answer, error) {
	ctx := c.Request.Context()
	img, err := h.podcasts.PodcastImage(ctx, p)
	if err != nil {
		return nil, err
	}
	eps, _, err := h.podcasts.FindEpisodes(ctx, p, nil, broadcast.MaxEpisodes)
	if err != nil {
		return nil, err
	}
	page := "/podcasts/" + p.Slug
	desc := p.Description
	if desc == "" {
		desc = "Các số phát sóng của chương trình " + p.Name + " - " + h.opts.Site.Name
	}
	author := p.Podcast.Author
	if author == "" {
		author = h.opts.Site.Name
	}
	email := p.Podcast.OwnerEmail
	if email == "" {
		email = h.opts.Site.Email
	}
	explicit := yesNo(p.Podcast.Explicit)
	ch := podcastChannel{RSSChannelHead: feed.ChannelHead(p.Name, h.abs(page), h.abs(page+".xml"), desc), Author: author, Summary: desc, Type: "episodic",
		Owner: itunesOwner{Name: h.opts.Site.Name, Email: email}, Category: category(p.Podcast.Category), Explicit: explicit}
	var itImg *itunesImage
	if img != nil {
		u := h.abs(largeURL(img))
		itImg = &itunesImage{Href: u}
		ch.ITImage = itImg
		ch.Image = &rssImage{URL: u, Title: p.Name, Link: h.abs(page)}
	}
	mod := p.UpdatedAt
	for i := range eps {
		e := &eps[i]
		if e.UpdatedAt.After(mod) {
			mod = e.UpdatedAt
		}
		url, ctype, size, _ := episodeAudio(e.Recording)
		item := feed.RSSItem{Title: e.Title(p), Link: h.abs(episodePath(p, e)), Description: episodeSummary(p, e),
			Enclosure: &feed.RSSEnclosure{URL: h.abs(url), Length: size, Type: ctype},
			GUID:      feed.RSSGUID{IsPermaLink: "false", Value: "urn:uuid:" + e.RundownID}, PubDate: feed.RSSDate(e.OnAirAt)}
		ch.Items = append(ch.Items, podcastItem{RSSItem: item, Duration: hms(episodeSeconds(e)), Image: itImg, EpisodeType: "full", Explicit: explicit})
	}
	ch.LastBuild = feed.RSSDate(mod)
	doc := podcastDoc{Version: "2.0", ITunes: "http://www.itunes.com/dtds/podcast-1.0.dtd", Atom: "http://www.w3.org/2005/Atom", Channel: ch}
	return xmlAnswer(doc, "application/rss+xml; charset=utf-8", mod)
}

// episodeCard is an episode in the programme page's list.
type episodeCard struct {
	Title, URL, AiredAt, AiredISO, Duration string
	Headlines                               []string
}

// podcastPageData is the programme page.
type podcastPageData struct {
	Name, Description, FeedURL string
	Image                      *image
	Episodes                   []episodeCard
	Next                       string
}

// decodeEpisodeCursor reads the programme page's "sau" token; a bad one is Invalid (400).
func decodeEpisodeCursor(s string) (*broadcast.RundownCursor, error) {
	return decodeCursor(s, 200, apperr.InvalidField("sau", "web.bad_page_cursor"),
		func(c *broadcast.RundownCursor) bool { return c.ID != "" && !c.OnAirAt.IsZero() })
}

// podcastPageSize is how many episodes a programme page lists.
const podcastPageSize = 20

// podcastPage is /podcasts/{slug}: the programme and its episodes, newest first (?sau= next page).
func (h *Handler) podcastPage(c *gin.Context, p *broadcast.Programme) (*answer, error) {
	ctx := c.Request.Context()
	after, err := decodeEpisodeCursor(c.Query("sau"))
	if err != nil {
		return nil, err
	}
	img, err := h.podcasts.PodcastImage(ctx, p)
	if err != nil {
		return nil, err
	}
	eps, next, err := h.podcasts.FindEpisodes(ctx, p, after, podcastPageSize)
	if err != nil {
		return nil, err
	}
	page := "/podcasts/" + p.Slug
	d := podcastPageData{Name: p.Name, Description: p.Description, FeedURL: page + ".xml"}
	m := meta{Title: p.Name, Description: p.Description, Canonical: h.abs(page)}
	if img != nil {
		d.Image = toImage(img, "(max-width: 600px) 100vw, 320px")
		m.Image = h.abs(largeURL(img))
	}
	mod := p.UpdatedAt
	for i := range eps {
		e := &eps[i]
		if e.UpdatedAt.After(mod) {
			mod = e.UpdatedAt
		}
		card := episodeCard{Title: e.Title(p), URL: episodePath(p, e), AiredAt: vntime.Format(e.OnAirAt), AiredISO: iso(e.OnAirAt),
			Duration: hms(episodeSeconds(e))}
		for _, it := range e.Items {
			card.Headlines = append(card.Headlines, it.Headline)
		}
		d.Episodes = append(d.Episodes, card)
	}
	if next != nil {
		d.Next = page + "?sau=" + encodeCursor(next)
	}
	if after != nil {
		m.NoIndex = true
	}
	body, err := h.renderHTML(c, "podcast", m, "", d)
	if err != nil {
		return nil, err
	}
	return &answer{status: http.StatusOK, ctype: "text/html; charset=utf-8", body: body, modified: mod}, nil
}

// episodeStory is a line of the episode's running order.
type episodeStory struct {
	Headline, URL string
}

// episodePageData is the episode page.
type episodePageData struct {
	Title, Programme, ProgrammeURL, FeedURL string
	AiredAt, AiredISO, Duration             string
	Audio                                   player
	Image                                   *image
	Stories                                 []episodeStory
}

// podcastEpisode is /podcasts/{slug}/{rundown-id}.html: the episode with an
// HTML5 player of its MP3 and its running order (linked to the articles on the web).
func (h *Handler) podcastEpisode(c *gin.Context) error {
	return h.serveFresh(c, func(c *gin.Context) (*answer, error) {
		ctx := c.Request.Context()
		id, ok := strings.CutSuffix(c.Param("episode"), ".html")
		if !ok {
			return nil, apperr.NotFound("web.no_such_episode")
		}
		p, err := h.podcastProgramme(c, c.Param("name"))
		if err != nil {
			return nil, err
		}
		e, err := h.podcasts.FindEpisode(ctx, p, id)
		if err != nil {
			return nil, err
		}
		img, err := h.podcasts.PodcastImage(ctx, p)
		if err != nil {
			return nil, err
		}
		secs, err := h.site.Sections(ctx)
		if err != nil {
			return nil, err
		}
		slugOf := make(map[string]string, len(secs))
		for _, s := range secs {
			slugOf[s.ID] = s.Slug
		}
		page := "/podcasts/" + p.Slug
		url, ctype, _, _ := episodeAudio(e.Recording)
		d := episodePageData{Title: e.Title(p), Programme: p.Name, ProgrammeURL: page, FeedURL: page + ".xml",
			AiredAt: vntime.Format(e.OnAirAt), AiredISO: iso(e.OnAirAt), Duration: hms(episodeSeconds(e)),
			Audio: player{Src: url, Type: ctype, Title: e.Title(p)}}
		m := meta{Title: d.Title, Description: episodeSummary(p, e), Canonical: h.abs(episodePath(p, e))}
		if img != nil {
			d.Image = toImage(img, "(max-width: 600px) 100vw, 320px")
			m.Image = h.abs(largeURL(img))
		}
		for _, it := range e.Items {
			s := episodeStory{Headline: it.Headline}
			if sec, ok := slugOf[it.SectionID]; ok && it.Published {
				s.URL = story.PublicPath(sec, it.Slug, it.StoryID)
			}
			d.Stories = append(d.Stories, s)
		}
		body, err := h.renderHTML(c, "podcast_episode", m, "", d)
		if err != nil {
			return nil, err
		}
		return &answer{status: http.StatusOK, ctype: "text/html; charset=utf-8", body: body, modified: latest(e.UpdatedAt, p.UpdatedAt)}, nil
	})
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
