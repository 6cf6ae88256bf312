// Package httpapi is the JSON API (/api/v1) for the staff's tools: thin Gin
// handlers, one file per resource, that bind input, call one domain service
// method and render its answer; apperr codes become HTTP statuses in
// statusFor and nowhere else.
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// DefaultMaxBodyBytes is the request body limit when Options.MaxBodyBytes is zero.
// It sits above story.MaxBodyBytes so that an oversize story body gets the
// service's field-specific answer.
const DefaultMaxBodyBytes = 4 << 20

// Deps are the services the API calls.
type Deps struct {
	Users   *user.Service
	Stories *story.Service
	Audit   audit.Repository
	// Search is staff search, related stories and tag suggestions; nil answers 503.
	Search *search.Service
	// Partners manages the content API's partner keys (/api/v1/api-keys); nil answers 503.
	Partners *partner.Service
	// Assets is uploads, asset metadata and /media; nil answers 503.
	Assets *asset.Service
	// NotFound answers unknown paths outside /api/ (the public site's HTML 404);
	// nil answers JSON 404 everywhere.
	NotFound gin.HandlerFunc
	// Ready reports whether the backends answer (a database ping); nil means always ready.
	Ready   func(ctx context.Context) error
	Logger  *slog.Logger
	Options Options
	// Distribution is targets, deliveries and redelivery; nil answers 503.
	Distribution *distribution.Service
	// Broadcast is programmes and rundowns; nil answers 503.
	Broadcast *broadcast.Service
	// Collectors are extra Prometheus collectors served at /metrics
	// (distribution outcomes and latency, job queue depth).
	Collectors []prometheus.Collector
}

// Options tune the HTTP layer.
type Options struct {
	// MaxBodyBytes limits every request body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// TrustedProxies are the addresses or CIDRs whose X-Forwarded-For is believed
	// when working out the client IP (for audit and lockout); empty trusts none.
	TrustedProxies []string
	// Version is the build version, reported by /healthz.
	Version string
}

// Validate checks the options, so that a bad proxy list stops the server at
// start instead of being noticed in the audit log.
func (o Options) Validate() error {
	if o.MaxBodyBytes < 0 {
		return fmt.Errorf("httpapi: max body bytes must not be negative, got %d", o.MaxBodyBytes)
	}
	for _, p := range o.TrustedProxies {
		if strings.Contains(p, "/") {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return fmt.Errorf("httpapi: trusted proxy %q is not an IP address or CIDR: %w", p, err)
			}
		} else if net.ParseIP(p) == nil {
			return fmt.Errorf("httpapi: trusted proxy %q is not an IP address or CIDR", p)
		}
	}
	return nil
}

// api carries the dependencies into the handlers.
type api struct {
	users    *user.Service
	stories  *story.Service
	audit    audit.Repository
	search   *search.Service
	partners *partner.Service
	assets   *asset.Service
	dist     *distribution.Service
	bcast    *broadcast.Service
	ready    func(ctx context.Context) error
	log      *slog.Logger
	opts     Options
}

// NewRouter builds the HTTP handler for the JSON API, health checks and metrics.
// Call Options.Validate first: an invalid TrustedProxies list is logged and
// replaced by "trust no proxy".
func NewRouter(d Deps) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Options.MaxBodyBytes <= 0 {
		d.Options.MaxBodyBytes = DefaultMaxBodyBytes
	}
	a := &api{users: d.Users, stories: d.Stories, audit: d.Audit, search: d.Search, partners: d.Partners, assets: d.Assets, dist: d.Distribution, bcast: d.Broadcast, ready: d.Ready, log: d.Logger, opts: d.Options}

	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	r.ContextWithFallback = true
	proxies := d.Options.TrustedProxies
	if err := d.Options.Validate(); err != nil {
		d.Logger.Error("ignoring trusted proxies", slog.String("error", err.Error()))
		proxies = nil
	}
	if err := r.SetTrustedProxies(proxies); err != nil {
		d.Logger.Error("ignoring trusted proxies", slog.String("error", err.Error()))
		_ = r.SetTrustedProxies(nil)
	}

	m := newMetrics()
	m.reg.MustRegister(d.Collectors...)
	r.Use(a.requestContext, m.observe, a.accessLog, a.recovery, securityHeaders, a.limitBody)
	r.NoRoute(func(c *gin.Context) {
		if d.NotFound != nil && c.Request.URL.Path != "/api" && !strings.HasPrefix(c.Request.URL.Path, "/api/") {
			d.NotFound(c)
			return
		}
		writeError(c, errNoRoute)
	})
	r.NoMethod(methodNotAllowed)

	r.GET("/healthz", a.healthz)
	r.GET("/readyz", a.readyz)
	r.GET("/metrics", m.handler())
	r.GET("/media/*key", a.serveMedia)
	r.HEAD("/media/*key", a.serveMedia)

	v1 := r.Group("/api/v1")
	v1.GET("/openapi.json", openAPIHandler)
	v1.POST("/auth/login", a.login)

	authed := v1.Group("", a.authenticate, requireMethodScope)
	authed.POST("/auth/logout", a.logout)
	authed.POST("/auth/password", a.changePassword)

	authed.GET("/me", a.me)
	authed.GET("/me/tokens", a.listTokens)
	authed.POST("/me/tokens", a.createToken)
	authed.DELETE("/me/tokens/:id", a.revokeToken)

	authed.GET("/sections", a.listSections)
	authed.GET("/sections/:id", a.getSection)

	authed.POST("/stories", a.createStory)
	authed.GET("/stories", a.listStories)
	authed.GET("/stories/:id", a.getStory)
	authed.PATCH("/stories/:id", a.updateStory)
	authed.POST("/stories/:id/transitions", a.transitionStory)
	authed.GET("/stories/:id/revisions", a.listRevisions)
	authed.GET("/stories/:id/revisions/:n", a.getRevision)
	authed.GET("/stories/:id/diff", a.diffRevisions)
	authed.GET("/stories/:id/comments", a.listComments)
	authed.POST("/stories/:id/comments", a.addComment)
	authed.GET("/stories/:id/approvals", a.listApprovals)
	authed.GET("/stories/:id/lock", a.getLock)
	authed.POST("/stories/:id/lock", a.acquireLock)
	authed.DELETE("/stories/:id/lock", a.releaseLock)
	authed.GET("/stories/:id/related", a.relatedStories)
	authed.GET("/stories/:id/tag-suggestions", a.tagSuggestions)
	authed.GET("/search", a.searchStories)
	authed.GET("/stories/:id/distribution", a.storyDistribution)
	authed.POST("/deliveries/:id/retry", a.retryDelivery)
	authed.GET("/deliveries/:id/attempts", a.listDeliveryAttempts)

	authed.POST(uploadRoute[len("/api/v1"):], a.uploadAsset)
	authed.POST("/assets/uploads", a.startUpload)
	authed.PUT(uploadPartRoute[len("/api/v1"):], a.putUploadPart)
	authed.POST("/assets/uploads/:id/complete", a.completeUpload)
	authed.DELETE("/assets/uploads/:id", a.abortUpload)
	authed.GET("/assets", a.listAssets)
	authed.GET("/assets/:id", a.getAsset)
	authed.PATCH("/assets/:id", a.updateAsset)
	authed.DELETE("/assets/:id", a.deleteAsset)
	authed.GET("/programmes", a.listProgrammes)
	authed.POST("/programmes", a.createProgramme)
	authed.GET("/programmes/:id", a.getProgramme)
	authed.PATCH("/programmes/:id", a.updateProgramme)
	authed.DELETE("/programmes/:id", a.deleteProgramme)
	authed.GET("/rundowns", a.listRundowns)
	authed.POST("/rundowns", a.createRundown)
	authed.GET("/rundowns/:id", a.getRundown)
	authed.PATCH("/rundowns/:id", a.updateRundown)
	authed.DELETE("/rundowns/:id", a.deleteRundown)
	authed.POST("/rundowns/:id/transitions", a.transitionRundown)
	authed.POST("/rundowns/:id/items", a.insertRundownItem)
	authed.PATCH("/rundowns/:id/items/:item_id", a.updateRundownItem)
	authed.DELETE("/rundowns/:id/items/:item_id", a.deleteRundownItem)

	admin := v1.Group("", a.authenticate, requireAdminScope)
	admin.GET("/users", a.listUsers)
	admin.POST("/users", a.createUser)
	admin.GET("/users/:id", a.getUser)
	admin.PATCH("/users/:id", a.updateUser)
	admin.POST("/sections", a.createSection)
	admin.PATCH("/sections/:id", a.updateSection)
	admin.GET("/audit", a.listAudit)
	admin.POST("/api-keys", a.createPartnerKey)
	admin.GET("/api-keys", a.listPartnerKeys)
	admin.DELETE("/api-keys/:id", a.revokePartnerKey)
	admin.GET("/targets", a.listTargets)
	admin.POST("/targets", a.createTarget)
	admin.GET("/targets/:id", a.getTarget)
	admin.PATCH("/targets/:id", a.updateTarget)
	admin.DELETE("/targets/:id", a.deleteTarget)
	admin.POST("/targets/:id/feed-token", a.rotateFeedToken)
	return r
}
