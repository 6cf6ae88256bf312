package web

import (
	"context"
	"strings"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/richtext"
)

// PublicArticle gives the story's public fields for platforms that rebuild
// it (Zalo): the renderer implements distribution.ArticleSource with it.
func (r renderer) PublicArticle(ctx context.Context, storyID string) (*distribution.PublicArticle, error) {
	a, err := r.h.site.ArticleByKey(ctx, storyID)
	if err != nil {
		return nil, err
	}
	out := &distribution.PublicArticle{ID: a.ID, Version: a.Version, Killed: a.Killed(), Headline: a.Headline, Sapo: a.Sapo,
		Author: strings.TrimSpace(a.Byline), URL: r.h.abs(a.Path), BaseURL: r.h.opts.Site.BaseURL}
	if out.Author == "" {
		out.Author = a.Author.DisplayName
	}
	if !out.Killed {
		out.BodyHTML = richtext.Sanitize(a.Body)
		if f := a.Featured(); f != nil {
			out.CoverURL = r.h.abs(largeURL(f))
		}
	}
	return out, nil
}
