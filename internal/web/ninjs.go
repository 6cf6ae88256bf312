package web

import (
	"fmt"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/site"
)

// ninjsItem is an article as IPTC ninjs 3.1.
type ninjsItem struct {
	URI             string         `json:"uri"`
	Type            string         `json:"type"`
	Representation  string         `json:"representationType"`
	Version         string         `json:"version,omitempty"`
	FirstCreated    string         `json:"firstCreated,omitempty"`
	VersionCreated  string         `json:"versionCreated"`
	PubStatus       string         `json:"pubStatus"`
	Language        string         `json:"language"`
	Headlines       []ninjsText    `json:"headlines,omitempty"`
	Descriptions    []ninjsText    `json:"descriptions,omitempty"`
	Bodies          []ninjsText    `json:"bodies,omitempty"`
	Subjects        []ninjsSubject `json:"subjects,omitempty"`
	By              string         `json:"by,omitempty"`
	Slugline        string         `json:"slugline,omitempty"`
	EdNote          string         `json:"edNote,omitempty"`
	CopyrightHolder string         `json:"copyrightHolder,omitempty"`
	AltIDs          []ninjsAltID   `json:"altIds,omitempty"`
	CopyrightNotice string         `json:"copyrightNotice,omitempty"`
	UsageTerms      string         `json:"usageTerms,omitempty"`
	// Renditions are the forms of this item (the article's HTML page; a
	// picture's original and resized JPEGs); Associations are its media.
	Renditions   []ninjsRendition `json:"renditions,omitempty"`
	Associations []ninjsItem      `json:"associations,omitempty"`
	// Name and Rel are set on associated items only.
	Name string `json:"name,omitempty"`
	Rel  string `json:"rel,omitempty"`
}

// ninjsRendition is one rendition (ninjs 3.1 renditionType).
type ninjsRendition struct {
	Name        string  `json:"name"`
	Href        string  `json:"href,omitempty"`
	ContentType string  `json:"contentType,omitempty"`
	Width       int     `json:"width,omitempty"`
	Height      int     `json:"height,omitempty"`
	SizeInBytes int64   `json:"sizeInBytes,omitempty"`
	Duration    float64 `json:"duration,omitempty"`
}

// ninjsMediaType maps asset kinds to ninjs types.
var ninjsMediaType = map[asset.Kind]string{asset.KindImage: "picture", asset.KindAudio: "audio", asset.KindVideo: "video", asset.KindDocument: "component"}

// ninjsAssociations are an article's media as associated ninjs items, named
// after their role (featured, gallery-1, inline-1, ...).
func (h *Handler) ninjsAssociations(a *site.Article) []ninjsItem {
	var out []ninjsItem
	count := map[asset.Role]int{}
	for _, m := range a.Media {
		as := m.Asset
		if as == nil {
			continue
		}
		count[m.Role]++
		name := string(m.Role)
		if m.Role != asset.RoleFeatured {
			name = fmt.Sprintf("%s-%d", m.Role, count[m.Role])
		}
		it := ninjsItem{URI: "urn:uuid:" + as.ID, Type: ninjsMediaType[as.Kind], Representation: "full", PubStatus: "usable",
			VersionCreated: as.UpdatedAt.UTC().Format(time.RFC3339), FirstCreated: as.CreatedAt.UTC().Format(time.RFC3339),
			Name: name, Rel: string(m.Role), By: as.Credit, CopyrightNotice: as.Copyright, UsageTerms: as.UsageTerms}
		if it.Type == "" {
			it.Type = "component"
		}
		if as.Title != "" {
			it.Headlines = []ninjsText{{Role: "main", ContentType: "text/plain", Value: as.Title}}
		}
		if as.Caption != "" {
			it.Descriptions = append(it.Descriptions, ninjsText{Role: "caption", ContentType: "text/plain", Value: as.Caption})
		}
		if as.Alt != "" {
			it.Descriptions = append(it.Descriptions, ninjsText{Role: "alt", ContentType: "text/plain", Value: as.Alt})
		}
		it.Renditions = append(it.Renditions, ninjsRendition{Name: "original", Href: h.abs(as.URL), ContentType: as.ContentType,
			Width: as.Width, Height: as.Height, SizeInBytes: as.Size, Duration: as.Duration})
		for _, r := range as.Renditions {
			it.Renditions = append(it.Renditions, ninjsRendition{Name: r.Name, Href: h.abs(r.URL), ContentType: r.ContentType,
				Width: r.Width, Height: r.Height, SizeInBytes: r.Size, Duration: r.Duration})
		}
		out = append(out, it)
	}
	return out
}

type ninjsText struct {
	Role        string `json:"role,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Value       string `json:"value"`
}

type ninjsSubject struct {
	Name    string `json:"name"`
	Rel     string `json:"rel,omitempty"`
	Literal string `json:"literal,omitempty"`
	URI     string `json:"uri,omitempty"`
}

type ninjsAltID struct {
	Role  string `json:"role"`
	Value string `json:"value"`
}

func (h *Handler) toNinjs(a *site.Article) ninjsItem {
	n := ninjsItem{URI: "urn:uuid:" + a.ID, Type: "text", Representation: "full", PubStatus: "usable", Language: "vi",
		VersionCreated: a.Modified().UTC().Format(time.RFC3339), CopyrightHolder: h.opts.Site.Name,
		AltIDs: []ninjsAltID{{Role: "url", Value: h.abs(a.Path)}}}
	if a.PublishedAt != nil {
		n.FirstCreated = a.PublishedAt.UTC().Format(time.RFC3339)
	}
	if a.Killed() {
		n.PubStatus = "canceled"
		n.Representation = "partial"
		n.EdNote = "Bài viết đã bị gỡ (article taken down)"
		n.Headlines = []ninjsText{{Value: a.Headline}}
		return n
	}
	n.Slugline = a.Slug
	n.By = a.Byline
	n.Headlines = []ninjsText{{Role: "main", ContentType: "text/plain", Value: a.Headline}}
	if a.Sapo != "" {
		n.Descriptions = []ninjsText{{Role: "summary", ContentType: "text/plain", Value: a.Sapo}}
	}
	n.Bodies = []ninjsText{{Role: "main", ContentType: "text/html", Value: string(safeBody(a.Body))}}
	if a.Correction != "" {
		n.EdNote = "Đính chính: " + a.Correction
	}
	n.Subjects = append(n.Subjects, ninjsSubject{Name: a.Section.Name, Rel: "section", Literal: a.Section.Slug,
		URI: h.abs("/" + a.Section.Slug)})
	for _, t := range a.Tags {
		n.Subjects = append(n.Subjects, ninjsSubject{Name: t, Rel: "tag", URI: h.abs(tagURL(t))})
	}
	n.Renditions = []ninjsRendition{{Name: "html", Href: h.abs(a.Path), ContentType: "text/html"}}
	n.Associations = h.ninjsAssociations(a)
	return n
}
