// Package web serves the public news site, its feeds and sitemaps, and the
// partners' content API: thin Gin handlers, one file per page, rendering
// view models through the embedded html/template templates. Every answer
// goes through one path (respond) that adds ETag, Last-Modified,
// Cache-Control and gzip and keeps rendered answers in an in-process cache
// keyed on the site's generation, which changes on publish, correction and kill.
package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/assets"
	"github.com/newsroom-vn/newsroom/internal/feed"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/site"
)

// MaxQueryBytes is the longest query string a public URL accepts (414 above).
const MaxQueryBytes = 2048

// SiteInfo is the publication and its press-law identification (footer).
type SiteInfo struct {
	Name          string
	BaseURL       string
	Licence       string
	LicenceDate   string
	EditorInChief string
	Address       string
	Phone         string
	Email         string
	LogoURL       string
}

// Options tune the public outputs.
type Options struct {
	Site         SiteInfo
	RSSFullText  bool          // put the body in RSS content:encoded
	CacheMaxAge  time.Duration // Cache-Control max-age for proxies and CDNs
	CacheEntries int           // in-process cache size; 0 turns it off
}

// Deps are what the public outputs read.
type Deps struct {
	Site     *site.Service
	Partners *partner.Service
	// Search, when set, answers /tim-kiem and the content API search
	// (published stories only); without it the site page uses site.Service.Search.
	Search *search.Service
	// Podcasts, when set, answers /podcasts/... (broadcast.Service); without it they are 404.
	Podcasts Podcasts
	// PullFeeds, when set, authenticates the rss targets' pull feeds
	// (/feeds/{id}.rss; distribution.Service); without it every pull feed is 404.
	PullFeeds PullFeeds
	Logger    *slog.Logger
	Options   Options
}

// Handler is the public site; Register mounts it on a gin engine.
type Handler struct {
	site     *site.Service
	partners *partner.Service
	searcher *search.Service
	log      *slog.Logger
	opts     Options
	tmpl     map[string]*template.Template
	cache    *cache
	static   fs.FS
	pull     PullFeeds
	podcasts Podcasts
	format   *feed.Formatter // ninjs, content JSON and RSS, shared with distribution
}

// New parses the embedded templates and returns the handler.
func New(d Deps) (*Handler, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	d.Options.Site.BaseURL = strings.TrimRight(d.Options.Site.BaseURL, "/")
	if d.Options.Site.LogoURL == "" {
		d.Options.Site.LogoURL = "/static/logo.svg"
	}
	h := &Handler{site: d.Site, partners: d.Partners, searcher: d.Search, log: d.Logger, opts: d.Options,
		tmpl: map[string]*template.Template{}, cache: newCache(d.Options.CacheEntries), podcasts: d.Podcasts, pull: d.PullFeeds,
		format: feed.NewFormatter(feed.Site{Name: d.Options.Site.Name, BaseURL: d.Options.Site.BaseURL})}
	for _, page := range []string{"home", "list", "article", "notice", "podcast", "podcast_episode"} {
		t, err := template.New(page).Funcs(funcs).ParseFS(assets.FS, "templates/site/layout.html", "templates/site/"+page+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", page, err)
		}
		h.tmpl[page] = t
	}
	static, err := fs.Sub(assets.FS, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	h.static = static
	return h, nil
}

var funcs = template.FuncMap{
	"rest": func(items []card) []card {
		if len(items) < 2 {
			return nil
		}
		return items[1:]
	},
}

// Mount declares the public site, feeds, sitemaps and content API; unknown
// paths outside /api are answered by NotFound.
func (h *Handler) Mount(r *server.Routes) {
	r.NotFound(h.NotFound)
	pages := r.Group("", h.limitQuery)
	pub := respond.With(pages, h.pageError)
	pub.GET("/", h.home)
	pages.GET("/static/*file", server.StaticFiles(h.static, "public, max-age=86400", h.NotFound))
	pub.GET("/tim-kiem", h.search)
	pub.GET("/tu-khoa/:tag", h.tag)
	pub.GET("/tac-gia/:username", h.author)
	pub.GET("/rss.xml", h.siteRSS)
	pub.GET("/rss/:file", h.sectionRSS)
	respond.With(pages, h.feedError).GET("/feeds/:file", h.pullFeed)
	pub.GET("/robots.txt", h.robots)
	pub.GET("/sitemap.xml", h.sitemapIndex)
	pub.GET("/sitemap-news.xml", h.sitemapNews)
	pub.GET("/sitemaps/:file", h.sitemapMonth)
	pub.GET("/podcasts/:name", h.podcast)
	pub.GET("/podcasts/:name/:episode", h.podcastEpisode)
	pub.GET("/:section", h.section)
	pub.GET("/:section/:article", h.article)

	api := respond.With(r.Group("/api/content/v1", h.limitQuery, h.partnerKey), h.apiError)
	api.GET("/articles", h.contentArticles)
	api.GET("/articles/:key", h.contentArticle)
	api.GET("/sections", h.contentSections)
	api.GET("/search", h.contentSearch)
}

// NotFound answers an unknown public path with the HTML 404 page.
func (h *Handler) NotFound(c *gin.Context) {
	h.notice(c, http.StatusNotFound, "Không tìm thấy trang", "Trang bạn tìm không tồn tại hoặc đã được chuyển đi (page not found).")
}

// limitQuery refuses absurd query strings before any work is done.
func (h *Handler) limitQuery(c *gin.Context) {
	if len(c.Request.URL.RawQuery) > MaxQueryBytes {
		if strings.HasPrefix(c.Request.URL.Path, "/api/") {
			c.AbortWithStatusJSON(http.StatusRequestURITooLong, errBody(c, "uri_too_long",
				fmt.Sprintf("Chuỗi truy vấn dài quá %d byte (query string longer than %d bytes)", MaxQueryBytes, MaxQueryBytes)))
			return
		}
		h.notice(c, http.StatusRequestURITooLong, "Địa chỉ quá dài", fmt.Sprintf("Chuỗi truy vấn dài quá %d byte (query string too long).", MaxQueryBytes))
		c.Abort()
		return
	}
	c.Next()
}

// pageData is what the layout renders.
type pageData struct {
	Site     SiteInfo
	Meta     meta
	Sections []sectionLink
	Query    string
	Data     any
}

type meta struct {
	Title, Description, Canonical, OGType, Image string
	NoIndex                                      bool
	JSONLD                                       any
}

type sectionLink struct{ Name, Slug string }

// renderHTML executes a page template into bytes.
func (h *Handler) renderHTML(c *gin.Context, page string, m meta, query string, data any) ([]byte, error) {
	secs, err := h.site.Sections(c.Request.Context())
	if err != nil {
		return nil, err
	}
	links := make([]sectionLink, len(secs))
	for i, s := range secs {
		links[i] = sectionLink{Name: s.Name, Slug: s.Slug}
	}
	if m.Title == "" {
		m.Title = h.opts.Site.Name
	} else {
		m.Title += " - " + h.opts.Site.Name
	}
	var buf bytes.Buffer
	err = h.tmpl[page].ExecuteTemplate(&buf, "layout", pageData{Site: h.opts.Site, Meta: m, Sections: links, Query: query, Data: data})
	if err != nil {
		return nil, fmt.Errorf("web: render %s: %w", page, err)
	}
	return buf.Bytes(), nil
}

// SiteCSP is the Content-Security-Policy of every public HTML page (feeds,
// sitemaps and the content API have none: they are not rendered as pages).
// The site runs no script (its JSON-LD block is data, not script) and no
// inline style; players and pictures of our own are on /media/ of this
// origin, but a story body may show a picture from any https host and
// site.logo_url may be absolute, hence img-src https:.
const SiteCSP = "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data: https:; media-src 'self'; " +
	"object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

type noticeData struct{ Heading, Text string }

// notice renders the 404/410/414 style pages (never cached).
func (h *Handler) notice(c *gin.Context, status int, heading, text string) {
	body, err := h.renderHTML(c, "notice", meta{Title: heading, NoIndex: true}, "", noticeData{Heading: heading, Text: text})
	if err != nil {
		h.log.Error("render notice", "err", err)
		c.String(status, heading)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Security-Policy", SiteCSP)
	c.Data(status, "text/html; charset=utf-8", body)
}

func (h *Handler) abs(path string) string { return h.format.Abs(path) }
