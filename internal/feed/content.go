package feed

import (
	"time"

	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// ContentSection is a section in the content API.
type ContentSection struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
	URL  string `json:"url"`
}

// ContentArticle is an article in the content API's compact JSON.
type ContentArticle struct {
	ID          string         `json:"id"`
	URL         string         `json:"url"`
	State       string         `json:"state"` // published, or killed (taken down: no content)
	Headline    string         `json:"headline"`
	Sapo        string         `json:"sapo"`
	Body        *string        `json:"body,omitempty"`
	Byline      string         `json:"byline"`
	Section     ContentSection `json:"section"`
	Tags        []string       `json:"tags"`
	Author      site.Author    `json:"author"`
	PublishedAt *time.Time     `json:"published_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	CorrectedAt *time.Time     `json:"corrected_at"`
	Correction  string         `json:"correction"`
	KilledAt    *time.Time     `json:"killed_at,omitempty"`
	Media       []ContentMedia `json:"media"`
}

// ContentMedia is an attached photo, audio or video file, with absolute URLs.
type ContentMedia struct {
	Role        string             `json:"role"`
	Kind        string             `json:"kind"`
	URL         string             `json:"url"`
	ContentType string             `json:"content_type"`
	Size        int64              `json:"size"`
	Width       int                `json:"width,omitempty"`
	Height      int                `json:"height,omitempty"`
	Duration    float64            `json:"duration,omitempty"`
	Title       string             `json:"title"`
	Caption     string             `json:"caption"`
	Credit      string             `json:"credit"`
	Alt         string             `json:"alt"`
	Renditions  []ContentRendition `json:"renditions"`
}

// ContentRendition is a resized copy of a photo.
type ContentRendition struct {
	Name        string `json:"name"`
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
}

// ContentSection is the section in the content API.
func (f *Formatter) ContentSection(s story.Section) ContentSection {
	return ContentSection{ID: s.ID, Name: s.Name, Slug: s.Slug, URL: f.Abs("/" + s.Slug)}
}

// contentMedia is the article's media; a killed article has none ([] in
// JSON, never null, so clients need not test for both).
func (f *Formatter) contentMedia(a *site.Article) []ContentMedia {
	out := []ContentMedia{}
	if a.Killed() {
		return out
	}
	for _, m := range a.Media {
		as := m.Asset
		if as == nil {
			continue
		}
		cm := ContentMedia{Role: string(m.Role), Kind: string(as.Kind), URL: f.Abs(as.URL), ContentType: as.ContentType, Size: as.Size,
			Width: as.Width, Height: as.Height, Duration: as.Duration, Title: as.Title, Caption: as.Caption, Credit: as.Credit, Alt: as.Alt,
			Renditions: []ContentRendition{}}
		for _, r := range as.Renditions {
			cm.Renditions = append(cm.Renditions, ContentRendition{Name: r.Name, URL: f.Abs(r.URL), ContentType: r.ContentType, Size: r.Size, Width: r.Width, Height: r.Height})
		}
		out = append(out, cm)
	}
	return out
}

// Content is the article in the content API's JSON; withBody adds the
// sanitized body (lists leave it out). A killed article keeps its headline
// and dates only.
func (f *Formatter) Content(a *site.Article, withBody bool) ContentArticle {
	out := ContentArticle{ID: a.ID, URL: f.Abs(a.Path), State: string(a.State), Headline: a.Headline, Sapo: a.Sapo,
		Byline: a.Byline, Section: f.ContentSection(a.Section),
		Tags: a.Tags, Author: a.Author, PublishedAt: UTC(a.PublishedAt), UpdatedAt: a.Modified().UTC(),
		CorrectedAt: UTC(a.CorrectedAt), Correction: a.Correction, KilledAt: UTC(a.KilledAt), Media: f.contentMedia(a)}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if withBody && !a.Killed() {
		b := richtext.Sanitize(a.Body)
		out.Body = &b
	}
	if a.Killed() {
		out.Sapo, out.Byline, out.Correction = "", "", ""
	}
	return out
}
