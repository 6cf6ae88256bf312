package feed

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/site"
)

// Articles finds a public (published or killed) article by id or slug;
// site.Service does.
type Articles interface {
	ArticleByKey(ctx context.Context, key string) (*site.Article, error)
}

// Renderer gives distribution the representations it sends: the same ninjs
// 3.1 item and compact JSON as the content API (a killed story comes out
// with pubStatus canceled), built without an HTTP request. It implements
// distribution.Renderer and distribution.ArticleSource.
type Renderer struct {
	articles Articles
	format   *Formatter
}

var (
	_ distribution.Renderer      = (*Renderer)(nil)
	_ distribution.ArticleSource = (*Renderer)(nil)
)

// NewRenderer returns the renderer of the site's articles.
func NewRenderer(articles Articles, s Site) *Renderer {
	return &Renderer{articles: articles, format: NewFormatter(s)}
}

// Render writes the story (published or killed) in the format.
func (r *Renderer) Render(ctx context.Context, storyID string, f distribution.Format) ([]byte, error) {
	a, err := r.articles.ArticleByKey(ctx, storyID)
	if err != nil {
		return nil, err
	}
	var v any = r.format.Content(a, true)
	if f == distribution.FormatNinjs {
		n := r.format.Ninjs(a)
		n.Version = fmt.Sprint(a.Version)
		v = n
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("feed: render story %s: %w", storyID, err)
	}
	return b, nil
}

// PublicArticle gives the story's public fields for platforms that rebuild
// it (Zalo).
func (r *Renderer) PublicArticle(ctx context.Context, storyID string) (*distribution.PublicArticle, error) {
	a, err := r.articles.ArticleByKey(ctx, storyID)
	if err != nil {
		return nil, err
	}
	out := &distribution.PublicArticle{ID: a.ID, Version: a.Version, Killed: a.Killed(), Headline: a.Headline, Sapo: a.Sapo,
		Author: strings.TrimSpace(a.Byline), URL: r.format.Abs(a.Path), BaseURL: r.format.site.BaseURL}
	if out.Author == "" {
		out.Author = a.Author.DisplayName
	}
	if !out.Killed {
		out.BodyHTML = richtext.Sanitize(a.Body)
		if f := a.Featured(); f != nil {
			out.CoverURL = r.format.Abs(LargeURL(f))
		}
	}
	return out, nil
}
