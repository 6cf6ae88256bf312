package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/site"
)

type homeBlock struct {
	Name, URL string
	Items     []card
}

type homeData struct {
	Top, Latest []card
	Blocks      []homeBlock
}

// home is the front page: top stories, latest, one block per section.
func (h *Handler) home(c *gin.Context) error {
	return h.serve(c, cacheKey(c, "html"), func(c *gin.Context) (*answer, error) {
		ctx := c.Request.Context()
		latest, _, err := h.site.Latest(ctx, site.Query{Limit: 15})
		if err != nil {
			return nil, err
		}
		d := homeData{}
		all := toCards(latest)
		if len(all) > 0 {
			n := min(len(all), 5)
			d.Top, d.Latest = all[:n], all[n:]
		}
		mod := newest(latest)
		secs, err := h.site.Sections(ctx)
		if err != nil {
			return nil, err
		}
		for _, sec := range secs {
			items, _, err := h.site.Latest(ctx, site.Query{SectionID: sec.ID, Limit: 4})
			if err != nil {
				return nil, err
			}
			if m := newest(items); m.After(mod) {
				mod = m
			}
			d.Blocks = append(d.Blocks, homeBlock{Name: sec.Name, URL: "/" + sec.Slug, Items: toCards(items)})
		}
		m := meta{Canonical: h.abs("/"), Description: h.opts.Site.Name + " - tin tức, thời sự", Image: h.abs(h.opts.Site.LogoURL),
			JSONLD: map[string]any{"@context": "https://schema.org", "@type": "WebSite", "name": h.opts.Site.Name, "url": h.abs("/")}}
		body, err := h.renderHTML(c, "home", m, "", d)
		if err != nil {
			return nil, err
		}
		return &answer{status: http.StatusOK, ctype: "text/html; charset=utf-8", body: body, modified: mod}, nil
	})
}
