package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

type tagLink struct{ Name, URL string }

// articleData is the article page's view model.
type articleData struct {
	Headline, Sapo, Byline, AuthorURL string
	SectionName, SectionURL           string
	Published, PublishedISO           string
	Updated, UpdatedISO               string
	Correction, CorrectedAt           string
	Body                              template.HTML
	Tags                              []tagLink
	Related                           []card
	Image                             *image // featured image
	Gallery                           []image
	Audio, Video                      []player
}

// article is /{section}/{slug}-{shortid}.html: 301 from old or stale slugs,
// 410 for a killed story, 404 for anything else unknown.
func (h *Handler) article(c *gin.Context) error {
	if c.Param("section") == "api" {
		c.AbortWithStatusJSON(http.StatusNotFound, errBody(c, "not_found", "Không có đường dẫn này (no such route)"))
		return nil
	}
	return h.serve(c, cacheKey(c, "html"), func(c *gin.Context) (*answer, error) {
		ctx := c.Request.Context()
		a, redirect, err := h.site.Resolve(ctx, c.Param("section"), c.Param("article"))
		if err != nil {
			return nil, err
		}
		if a.Killed() {
			return nil, apperr.Gone("web.article_taken_down")
		}
		if redirect {
			return &answer{status: http.StatusMovedPermanently, ctype: "text/html; charset=utf-8", location: a.Path,
				body: []byte(`<a href="` + template.HTMLEscapeString(a.Path) + `">Moved</a>`), modified: a.Modified()}, nil
		}
		related, err := h.site.Related(ctx, a, 5)
		if err != nil {
			return nil, err
		}
		d := h.articleView(a)
		d.Related = toCards(related)
		body, err := h.renderHTML(c, "article", h.articleMeta(a), "", d)
		if err != nil {
			return nil, err
		}
		return &answer{status: http.StatusOK, ctype: "text/html; charset=utf-8", body: body, modified: a.Modified()}, nil
	})
}

func (h *Handler) articleView(a *site.Article) articleData {
	d := articleData{Headline: a.Headline, Sapo: a.Sapo, Byline: a.Byline, SectionName: a.Section.Name,
		SectionURL: "/" + a.Section.Slug, Published: vntime.Format(pubTime(*a)), PublishedISO: iso(pubTime(*a)),
		Correction: a.Correction, Body: safeBody(a.Body)}
	if a.Author.Username != "" {
		d.AuthorURL = "/tac-gia/" + a.Author.Username
	}
	if d.Byline == "" {
		d.Byline = a.Author.DisplayName
	}
	if a.CorrectedAt != nil {
		d.Updated, d.UpdatedISO = vntime.Format(*a.CorrectedAt), iso(*a.CorrectedAt)
		d.CorrectedAt = d.Updated
	}
	for _, t := range a.Tags {
		d.Tags = append(d.Tags, tagLink{Name: t, URL: tagURL(t)})
	}
	articleMedia(a, &d)
	return d
}

// articleMeta is the SEO and sharing metadata, with schema.org NewsArticle JSON-LD.
func (h *Handler) articleMeta(a *site.Article) meta {
	canon := h.abs(a.Path)
	desc := strings.TrimSpace(a.Sapo)
	if r := []rune(desc); len(r) > 300 {
		desc = string(r[:300]) + "…"
	}
	authorName := a.Byline
	if authorName == "" {
		authorName = a.Author.DisplayName
	}
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"mainEntityOfPage": map[string]any{"@type": "WebPage", "@id": canon},
		"headline":         a.Headline,
		"description":      desc,
		"inLanguage":       "vi",
		"datePublished":    iso(pubTime(*a)),
		"dateModified":     iso(a.Modified()),
		"articleSection":   a.Section.Name,
		"keywords":         a.Tags,
		"author":           map[string]any{"@type": "Person", "name": authorName},
		"publisher": map[string]any{"@type": "NewsMediaOrganization", "name": h.opts.Site.Name,
			"logo": map[string]any{"@type": "ImageObject", "url": h.abs(h.opts.Site.LogoURL)}},
	}
	if a.Author.Username != "" {
		ld["author"].(map[string]any)["url"] = h.abs("/tac-gia/" + a.Author.Username)
	}
	m := meta{Title: a.Headline, Description: desc, Canonical: canon, OGType: "article", JSONLD: ld}
	if f := a.Featured(); f != nil {
		m.Image = h.abs(largeURL(f))
		img := map[string]any{"@type": "ImageObject", "url": m.Image}
		if r := rendition(f, "large"); r != nil && r.Width > 0 {
			img["width"], img["height"] = r.Width, r.Height
		} else if f.Width > 0 {
			img["width"], img["height"] = f.Width, f.Height
		}
		if f.Caption != "" {
			img["caption"] = f.Caption
		}
		if f.Credit != "" {
			img["creditText"] = f.Credit
		}
		ld["image"] = []any{img}
	}
	return m
}
