package web

import (
	"fmt"
	"strings"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/feed"
	"github.com/newsroom-vn/newsroom/internal/site"
)

// player is an attached audio or video file, played by the browser's own
// <audio controls> or <video controls> (no JavaScript). HLS is the video's
// adaptive stream (360p/720p), offered first: browsers that play HLS
// natively take it, the others fall back to the MP4.
type player struct {
	Src, Type, Title, Caption, Credit string
	Poster, HLS                       string
	Duration                          string
}

// rendition returns an image's rendition by name, or nil.
func rendition(a *asset.Asset, name string) *asset.Rendition { return feed.Rendition(a, name) }

// largeURL is the picture for sharing cards and feeds: the large rendition,
// or the original while renditions are not made yet.
func largeURL(a *asset.Asset) string { return feed.LargeURL(a) }

// toImage is a picture with its responsive srcset from the renditions
// (thumbnail 320w, medium 800w, large 1600w, each no wider than the original).
func toImage(a *asset.Asset, sizes string) *image {
	img := &image{Src: a.URL, Alt: a.Alt, Caption: a.Caption, Credit: a.Credit, Width: a.Width, Height: a.Height, Sizes: sizes}
	var set []string
	seen := map[int]bool{}
	for _, want := range asset.ImageRenditions {
		r := rendition(a, want.Name)
		if r == nil || r.Width <= 0 || seen[r.Width] {
			continue
		}
		seen[r.Width] = true
		set = append(set, fmt.Sprintf("%s %dw", r.URL, r.Width))
		if want.Name == "medium" || img.Src == a.URL {
			img.Src, img.Width, img.Height = r.URL, r.Width, r.Height
		}
	}
	img.Srcset = strings.Join(set, ", ")
	if img.Alt == "" {
		img.Alt = a.Caption
	}
	return img
}

// toPlayer is an audio or video attachment.
func toPlayer(a *asset.Asset) player {
	p := player{Src: a.URL, Type: a.ContentType, Title: a.Title, Caption: a.Caption, Credit: a.Credit}
	if r := rendition(a, "poster"); r != nil {
		p.Poster = r.URL
	}
	if r := rendition(a, asset.HLSName); r != nil {
		p.HLS = r.URL
	}
	if a.Duration > 0 {
		s := int(a.Duration + 0.5)
		p.Duration = fmt.Sprintf("%d:%02d", s/60, s%60)
	}
	return p
}

// articleMedia splits a story's attachments for the article page: the
// featured image, the gallery (gallery and inline pictures), and the players.
func articleMedia(a *site.Article, d *articleData) {
	if f := a.Featured(); f != nil {
		d.Image = toImage(f, "(max-width: 800px) 100vw, 800px")
		d.Image.Eager = true
	}
	seen := map[string]bool{}
	for _, m := range a.Media {
		as := m.Asset
		if as == nil || m.Role == asset.RoleFeatured || seen[as.ID] {
			continue
		}
		seen[as.ID] = true
		switch as.Kind {
		case asset.KindImage:
			d.Gallery = append(d.Gallery, *toImage(as, "(max-width: 800px) 50vw, 400px"))
		case asset.KindAudio:
			d.Audio = append(d.Audio, toPlayer(as))
		case asset.KindVideo:
			d.Video = append(d.Video, toPlayer(as))
		}
	}
}
