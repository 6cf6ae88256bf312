package feed

import (
	"fmt"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/site"
)

// NinjsType is the media type of the ninjs representation.
const NinjsType = "application/ninjs+json"

// NinjsItem is an article (or one of its media) as IPTC ninjs 3.1.
type NinjsItem struct {
	URI             string         `json:"uri"`
	Type            string         `json:"type"`
	Representation  string         `json:"representationType"`
	Version         string         `json:"version,omitempty"`
	FirstCreated    string         `json:"firstCreated,omitempty"`
	VersionCreated  string         `json:"versionCreated"`
	PubStatus       string         `json:"pubStatus"`
	Language        string         `json:"language"`
	Headlines       []NinjsText    `json:"headlines,omitempty"`
	Descriptions    []NinjsText    `json:"descriptions,omitempty"`
	Bodies          []NinjsText    `json:"bodies,omitempty"`
	Subjects        []NinjsSubject `json:"subjects,omitempty"`
	By              string         `json:"by,omitempty"`
	Slugline        string         `json:"slugline,omitempty"`
	EdNote          string         `json:"edNote,omitempty"`
	CopyrightHolder string         `json:"copyrightHolder,omitempty"`
	AltIDs          []NinjsAltID   `json:"altIds,omitempty"`
	CopyrightNotice string         `json:"copyrightNotice,omitempty"`
	UsageTerms      string         `json:"usageTerms,omitempty"`
	// Renditions are the forms of this item (the article's HTML page; a
	// picture's original and resized JPEGs); Associations are its media.
	Renditions   []NinjsRendition `json:"renditions,omitempty"`
	Associations []NinjsItem      `json:"associations,omitempty"`
	// Name and Rel are set on associated items only.
	Name string `json:"name,omitempty"`
	Rel  string `json:"rel,omitempty"`
}

// NinjsRendition is one rendition (ninjs 3.1 renditionType).
type NinjsRendition struct {
	Name        string  `json:"name"`
	Href        string  `json:"href,omitempty"`
	ContentType string  `json:"contentType,omitempty"`
	Width       int     `json:"width,omitempty"`
	Height      int     `json:"height,omitempty"`
	SizeInBytes int64   `json:"sizeInBytes,omitempty"`
	Duration    float64 `json:"duration,omitempty"`
}

// NinjsText is a headline, description or body.
type NinjsText struct {
	Role        string `json:"role,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Value       string `json:"value"`
}

// NinjsSubject is the article's section or one of its tags.
type NinjsSubject struct {
	Name    string `json:"name"`
	Rel     string `json:"rel,omitempty"`
	Literal string `json:"literal,omitempty"`
	URI     string `json:"uri,omitempty"`
}

// NinjsAltID is another identifier of the item (its public URL).
type NinjsAltID struct {
	Role  string `json:"role"`
	Value string `json:"value"`
}

// ninjsMediaType maps asset kinds to ninjs types.
var ninjsMediaType = map[asset.Kind]string{asset.KindImage: "picture", asset.KindAudio: "audio", asset.KindVideo: "video", asset.KindDocument: "component"}

// ninjsAssociations are an article's media as associated ninjs items, named
// after their role (featured, gallery-1, inline-1, ...).
func (f *Formatter) ninjsAssociations(a *site.Article) []NinjsItem {
	var out []NinjsItem
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
		it := NinjsItem{URI: "urn:uuid:" + as.ID, Type: ninjsMediaType[as.Kind], Representation: "full", PubStatus: "usable",
			VersionCreated: as.UpdatedAt.UTC().Format(time.RFC3339), FirstCreated: as.CreatedAt.UTC().Format(time.RFC3339),
			Name: name, Rel: string(m.Role), By: as.Credit, CopyrightNotice: as.Copyright, UsageTerms: as.UsageTerms}
		if it.Type == "" {
			it.Type = "component"
		}
		if as.Title != "" {
			it.Headlines = []NinjsText{{Role: "main", ContentType: "text/plain", Value: as.Title}}
		}
		if as.Caption != "" {
			it.Descriptions = append(it.Descriptions, NinjsText{Role: "caption", ContentType: "text/plain", Value: as.Caption})
		}
		if as.Alt != "" {
			it.Descriptions = append(it.Descriptions, NinjsText{Role: "alt", ContentType: "text/plain", Value: as.Alt})
		}
		it.Renditions = append(it.Renditions, NinjsRendition{Name: "original", Href: f.Abs(as.URL), ContentType: as.ContentType,
			Width: as.Width, Height: as.Height, SizeInBytes: as.Size, Duration: as.Duration})
		for _, r := range as.Renditions {
			it.Renditions = append(it.Renditions, NinjsRendition{Name: r.Name, Href: f.Abs(r.URL), ContentType: r.ContentType,
				Width: r.Width, Height: r.Height, SizeInBytes: r.Size, Duration: r.Duration})
		}
		out = append(out, it)
	}
	return out
}

// Ninjs is the article as a ninjs item; a killed article is a partial item
// with pubStatus canceled and no content, so partners take it down too.
func (f *Formatter) Ninjs(a *site.Article) NinjsItem {
	n := NinjsItem{URI: "urn:uuid:" + a.ID, Type: "text", Representation: "full", PubStatus: "usable", Language: "vi",
		VersionCreated: a.Modified().UTC().Format(time.RFC3339), CopyrightHolder: f.site.Name,
		AltIDs: []NinjsAltID{{Role: "url", Value: f.Abs(a.Path)}}}
	if a.PublishedAt != nil {
		n.FirstCreated = a.PublishedAt.UTC().Format(time.RFC3339)
	}
	if a.Killed() {
		n.PubStatus = "canceled"
		n.Representation = "partial"
		n.EdNote = "Bài viết đã bị gỡ (article taken down)"
		n.Headlines = []NinjsText{{Value: a.Headline}}
		return n
	}
	n.Slugline = a.Slug
	n.By = a.Byline
	n.Headlines = []NinjsText{{Role: "main", ContentType: "text/plain", Value: a.Headline}}
	if a.Sapo != "" {
		n.Descriptions = []NinjsText{{Role: "summary", ContentType: "text/plain", Value: a.Sapo}}
	}
	n.Bodies = []NinjsText{{Role: "main", ContentType: "text/html", Value: richtext.Sanitize(a.Body)}}
	if a.Correction != "" {
		n.EdNote = "Đính chính: " + a.Correction
	}
	n.Subjects = append(n.Subjects, NinjsSubject{Name: a.Section.Name, Rel: "section", Literal: a.Section.Slug,
		URI: f.Abs("/" + a.Section.Slug)})
	for _, t := range a.Tags {
		n.Subjects = append(n.Subjects, NinjsSubject{Name: t, Rel: "tag", URI: f.Abs(TagPath(t))})
	}
	n.Renditions = []NinjsRendition{{Name: "html", Href: f.Abs(a.Path), ContentType: "text/html"}}
	n.Associations = f.ninjsAssociations(a)
	return n
}
