// Package desk is the newsroom's web interface for reporters, editors and
// producers (/desk): server-rendered html/template pages from assets/, one
// file per page or action, with small scripts for autosave, uploads and the
// rich-text editor. Every decision is the domain services' (user.Service for
// sessions, story.Service for the workflow, asset.Service for media): the
// desk only shows what they answer, so no business rule lives here.
package desk

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"github.com/newsroom-vn/newsroom/internal/audit"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/assets"
	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	dbclock "github.com/newsroom-vn/newsroom/internal/clock"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/selfcheck"
	"github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/storyview"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// Deps are the services the desk calls.
type Deps struct {
	Users   *user.Service
	Stories *story.Service
	// StoryViews is the story read model the editor shows (storyview.Service).
	StoryViews *storyview.Service
	// Assets is uploads and media; nil hides the assets panel.
	Assets *asset.Service
	// Partners, Distribution and Search are the admin screens' partner API
	// keys, the targets and story distribution panel, and the queue's search
	// box; nil hides what needs them.
	Partners     *partner.Service
	Distribution *distribution.Service
	Search       *search.Service
	Logger       *slog.Logger
	// Broadcast is programmes and rundowns (rundowns, prompter, script); nil hides them.
	Broadcast *broadcast.Service
	// RundownEvents tells open prompters and rundown pages that their
	// rundown changed (broadcast.RundownHub, a rundown listener); nil: the
	// pages only poll.
	RundownEvents RundownEvents
	// SelfCheck is the security self-check (/desk/admin/security); nil hides it.
	SelfCheck *selfcheck.Service
	// Clock compares the application's clock with the database's (the admin clock page); nil: not shown.
	Clock func(ctx context.Context) (dbclock.Reading, error)
	// Audit is the audit log viewer (/desk/admin/audit); nil hides it.
	Audit *audit.Service
}

// RundownEvents subscribes to the changes of one rundown (broadcast.RundownHub).
type RundownEvents interface {
	Subscribe(rundownID string) (changes <-chan struct{}, cancel func())
}

// Handler is the desk; Register mounts it on a gin engine.
type Handler struct {
	users    *user.Service
	stories  *story.Service
	views    *storyview.Service
	assets   *asset.Service
	partners *partner.Service
	dist     *distribution.Service
	search   *search.Service
	log      *slog.Logger
	cat      catalogues
	bcast    *broadcast.Service
	hub      RundownEvents
	check    *selfcheck.Service
	clock    func(ctx context.Context) (dbclock.Reading, error)
	audit    *audit.Service
	tmpl     map[string]map[string]*template.Template // lang -> page -> template
	static   fs.FS
}

// parse makes the template set name for lang from partials.html and files
// (names under assets/templates/desk/), with the desk's functions and more.
func (h *Handler) parse(lang, name string, more template.FuncMap, files ...string) error {
	paths := []string{"templates/desk/partials.html"}
	for _, f := range files {
		paths = append(paths, "templates/desk/"+f+".html")
	}
	t, err := template.New(name).Funcs(h.funcs(lang)).Funcs(more).ParseFS(assets.FS, paths...)
	if err != nil {
		return fmt.Errorf("desk: parse template %s: %w", name, err)
	}
	h.tmpl[lang][name] = t
	return nil
}

// pages are the templates under assets/templates/desk/, each rendered inside layout.html.
var pages = []string{"login", "login_mfa", "mfa", "password", "mywork", "queue", "story_new", "story_edit", "error",
	"admin_users", "admin_sections", "admin_keys", "admin_targets", "admin_target_edit", "admin_secret", "admin_security", "admin_clock", "admin_audit", "distribution", "revisions", "search",
	"me_sessions", "me_tokens", "admin_tokens"}

// New parses the embedded templates and catalogues.
func New(d Deps) (*Handler, error) {
	if d.Users == nil || d.Stories == nil {
		return nil, fmt.Errorf("desk: the user and story services are required")
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	cat, err := loadCatalogues(assets.FS)
	if err != nil {
		return nil, err
	}
	h := &Handler{users: d.Users, stories: d.Stories, views: d.StoryViews, assets: d.Assets, partners: d.Partners, dist: d.Distribution, search: d.Search, log: d.Logger, cat: cat, check: d.SelfCheck, clock: d.Clock, audit: d.Audit,
		tmpl: map[string]map[string]*template.Template{}}
	for _, lang := range languages {
		h.tmpl[lang] = map[string]*template.Template{}
		for _, page := range pages {
			files := []string{"layout", page}
			if strings.HasPrefix(page, "admin_") {
				files = append(files, "admin_nav")
			}
			if strings.HasPrefix(page, "me_") {
				files = append(files, "me_nav")
			}
			if err := h.parse(lang, page, nil, files...); err != nil {
				return nil, err
			}
		}
		if err := h.parse(lang, "preview", nil, "preview"); err != nil {
			return nil, err
		}
	}
	static, err := fs.Sub(assets.FS, "static")
	if err != nil {
		return nil, fmt.Errorf("desk: static files: %w", err)
	}
	h.static = static
	if err := h.initBroadcast(d); err != nil {
		return nil, err
	}
	return h, nil
}

func (h *Handler) funcs(lang string) template.FuncMap {
	c := h.cat[lang]
	return template.FuncMap{
		"t":          c.T,
		"date":       vntime.Format,
		"stateLabel": func(s any) string { return c.T("state." + fmt.Sprint(s)) },
		"roleLabel":  func(r user.Role) string { return c.T("role." + string(r)) },
		"actionLabel": func(a any) string {
			return c.T("action." + fmt.Sprint(a))
		},
		"has": func(list []string, v string) bool {
			for _, x := range list {
				if x == v {
					return true
				}
			}
			return false
		},
		"join": strings.Join,
		// The password policy in words, and whether a user's password expired (auth.password_*).
		"passwordPolicy":    func() string { return h.users.PasswordPolicyText(lang) },
		"passwordMinLength": func() int { return h.users.Policy().MinLength },
		"passwordExpired":   func(u *user.User) bool { return u != nil && h.users.PasswordExpired(u) },
		"canWrite":          func(r user.Role) bool { return r.IsWriter() },
		"safeBody": func(b string) template.HTML {
			return template.HTML(richtext.Sanitize(b)) //nolint:gosec // sanitized by richtext, as on the public page
		},
		"emptyAsset": func() assetView { return assetView{ID: "__ID__", Role: "gallery"} },
		"jsMessages": func() map[string]string {
			m := map[string]string{}
			for k, v := range c {
				if strings.HasPrefix(k, "js.") {
					m[strings.TrimPrefix(k, "js.")] = v
				}
			}
			return m
		},
		"canBroadcast": h.canBroadcast,
		"dur":          dur,
	}
}

// Mount declares the desk under /desk.
func (h *Handler) Mount(r *server.Routes) {
	r.Group("").GET("/desk/static/*file", server.StaticFiles(h.static, "public, max-age=3600", h.staticNotFound))
	noAssets := h.errs().Require(h.assets != nil, apperr.Unavailable("desk.assets_unavailable"))
	// A photo upload streams to storage past the body cap: the asset service
	// enforces the per-kind limit. It passes the same checks as every page.
	h.routes(r.Stream("/desk", pageHeaders, h.session, h.checkCSRF, h.requireUser, answerJSON, noAssets)).POST("/stories/:id/assets", h.uploadAsset)
	g := h.routes(r.Group("/desk", pageHeaders, h.session, h.checkCSRF))
	g.GET("", h.home)
	g.GET("/login", h.loginPage)
	g.POST("/login", h.login)
	g.POST("/login/mfa", h.loginMFA)
	g.GET("/lang/:lang", h.switchLanguage)

	in := g.Group("", h.requireUser)
	in.POST("/logout", h.logout)
	in.GET("/password", h.passwordPage)
	in.POST("/password", h.changePassword)
	in.GET("/mfa", h.mfaPage)
	in.POST("/mfa/start", h.startMFA)
	in.POST("/mfa/confirm", h.confirmMFA)
	in.POST("/mfa/disable", h.disableMFA)
	in.GET("/queue", h.queue)
	in.GET("/stories/new", h.newStoryPage)
	in.POST("/stories", h.createStory)
	in.GET("/stories/:id", h.editStory)
	in.POST("/stories/:id", h.saveStory)
	in.POST("/stories/:id/autosave", h.autosave)
	in.POST("/stories/:id/actions", h.storyAction)
	in.POST("/stories/:id/comments", h.addComment)
	in.POST("/stories/:id/lock", h.lock)
	in.GET("/stories/:id/preview", h.preview)
	in.Group("", answerJSON, noAssets).POST("/assets/:id", h.updateAsset)
	in.Group("", noAssets).GET("/media/*key", h.media)
	in.Group("", h.errs().Require(h.search != nil, apperr.Unavailable("desk.search_unavailable"))).GET("/search", h.searchPage)
	in.GET("/stories/:id/revisions", h.revisions)
	dist := in.Group("", h.errs().Require(h.dist != nil, apperr.Unavailable("desk.dist_unavailable")))
	dist.GET("/stories/:id/distribution", h.distribution)
	dist.POST("/deliveries/:id/retry", h.retryDelivery)
	h.registerAdmin(in.Group("/admin", h.requireAdminAddress, h.requireAdmin))
	h.registerMe(in.Group("/me"))
	h.registerBroadcast(in)
}

// staticNotFound answers a missing static file or a folder (never listed)
// with the desk's 404 page.
func (h *Handler) staticNotFound(c *gin.Context) {
	h.errs().Error(c, apperr.NotFound("desk.no_such_file"))
}

// pageHeaders add the desk's own to the server's security headers: its pages
// run only their own scripts, are never framed and never cached, since they
// carry one person's view of the newsroom. No inline style is allowed: Trix
// injects its default stylesheet at run time with the per-response nonce it
// reads from <meta name="csp-nonce"> (see cspNonce).
func pageHeaders(c *gin.Context) {
	nonce := newNonce()
	c.Set(nonceKey, nonce)
	hd := c.Writer.Header()
	hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-"+nonce+"'; img-src 'self' data: blob:; "+
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	hd.Set("Cache-Control", "no-store")
	c.Next()
}

// nonceKey holds the response's style nonce in the gin context.
const nonceKey = "desk.csp_nonce"

// newNonce is 128 random bits, base64url (nothing for HTML to escape): a new
// one for every response.
func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// cspNonce is the nonce of this response's Content-Security-Policy.
func cspNonce(c *gin.Context) string { return c.GetString(nonceKey) }

// page is what layout.html renders.
type page struct {
	Lang   string
	Title  string
	CSRF   string
	User   *user.User
	Nav    string
	Flash  string
	Error  string
	Path   string
	Nonce  string // the style nonce, for <meta name="csp-nonce">
	Data   any
	Editor bool // load the editor's scripts
	// Scripts are a page's own scripts (after desk.js).
	Scripts []string
}

// render executes a page template with the layout.
func (h *Handler) render(c *gin.Context, status int, name string, p page) {
	lang := langOf(c)
	p.Lang = lang
	p.CSRF = csrfToken(c)
	p.Nonce = cspNonce(c)
	if au := authOf(c); au != nil && p.User == nil {
		p.User = au.User
	}
	p.Path = c.Request.URL.RequestURI()
	var buf bytes.Buffer
	tmplName := "layout"
	if name == "preview" {
		tmplName = "preview"
	}
	if err := h.tmpl[lang][name].ExecuteTemplate(&buf, tmplName, p); err != nil {
		h.log.Error("desk: render", "page", name, "err", err)
		c.String(http.StatusInternalServerError, "Internal error")
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}
