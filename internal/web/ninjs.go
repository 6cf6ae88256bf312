package web

import (
	"time"

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
	// Renditions and Associations carry media once stories have photos (assets issue).
	Renditions   []map[string]any `json:"renditions,omitempty"`
	Associations []map[string]any `json:"associations,omitempty"`
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
	return n
}
