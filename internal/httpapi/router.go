// Package httpapi is the JSON API (/api/v1) for the staff's tools, with the
// health checks and /media: thin Gin handlers, one file per resource, that
// bind input, call one domain service method and render its answer. Handlers
// return their errors; respond.JSONErrors maps apperr codes to statuses and
// writes the error body, once, for every route.
package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/clock"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/selfcheck"
	"github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/storyview"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Deps are the services the API calls.
type Deps struct {
	Users   *user.Service
	Stories *story.Service
	// StoryViews is the story read model (storyview.Service).
	StoryViews *storyview.Service
	Audit      *audit.Service
	// Search is staff search, related stories and tag suggestions; nil answers 503.
	Search *search.Service
	// Partners manages the content API's partner keys (/api/v1/api-keys); nil answers 503.
	Partners *partner.Service
	// Assets is uploads, asset metadata and /media; nil answers 503.
	Assets *asset.Service
	// Ready reports whether the backends answer (a database ping); nil means always ready.
	Ready func(ctx context.Context) error
	// Clock compares this process's clock with the database's, for /readyz; nil reports nothing.
	Clock func(ctx context.Context) (clock.Reading, error)
	// Version is the build version, reported by /healthz.
	Version string
	// Distribution is targets, deliveries and redelivery; nil answers 503.
	Distribution *distribution.Service
	// Broadcast is programmes and rundowns; nil answers 503.
	Broadcast *broadcast.Service
	// SelfCheck is the security self-check (/admin/security); nil answers 503.
	SelfCheck *selfcheck.Service
}

// api carries the dependencies into the handlers.
type api struct {
	users    *user.Service
	stories  *story.Service
	views    *storyview.Service
	audit    *audit.Service
	search   *search.Service
	partners *partner.Service
	assets   *asset.Service
	dist     *distribution.Service
	bcast    *broadcast.Service
	check    *selfcheck.Service
	ready    func(ctx context.Context) error
	clock    func(ctx context.Context) (clock.Reading, error)
	version  string
}

// New returns the API face, to be mounted by server.New.
func New(d Deps) server.Face {
	return &api{users: d.Users, stories: d.Stories, views: d.StoryViews, audit: d.Audit, search: d.Search, partners: d.Partners, assets: d.Assets,
		dist: d.Distribution, bcast: d.Broadcast, check: d.SelfCheck, ready: d.Ready, clock: d.Clock, version: d.Version}
}

// Mount declares the API's routes. Every route is registered whatever is
// configured (the OpenAPI document lists them all); the routes of an optional
// service that is nil answer 503 through their group's guard, after
// authentication.
func (a *api) Mount(r *server.Routes) {
	js := respond.JSONErrors
	root := respond.With(r.Group(""), js)
	root.GET("/healthz", a.healthz)
	root.GET("/readyz", a.readyz)
	media := respond.With(r.Group("/media", js.Require(a.assets != nil, errNoAssets)), js)
	media.GET("/*key", a.serveMedia)
	media.HEAD("/*key", a.serveMedia)

	v1 := r.Group("/api/v1")
	v1.GET("/openapi.json", openAPIHandler)
	respond.With(v1, js).POST("/auth/login", a.login)
	respond.With(v1, js).GET("/auth/password-policy", a.passwordPolicy)
	respond.With(v1, js).POST("/auth/mfa", a.loginMFA)

	authedGroup := v1.Group("", a.authenticate, requireMethodScope)
	authed := respond.With(authedGroup, js)
	authed.POST("/auth/logout", a.logout)
	authed.POST("/auth/password", a.changePassword)

	authed.GET("/me", a.me)
	resource{list: a.listTokens, create: a.createToken, remove: a.revokeToken}.mount(authed, "/me/tokens")
	resource{list: a.listSessions, remove: a.endSession}.mount(authed, "/me/sessions")
	authed.DELETE("/me/sessions", a.endOtherSessions)
	authed.GET("/me/mfa", a.mfaStatus)
	authed.POST("/me/mfa/totp", a.startTOTP)
	authed.POST("/me/mfa/totp/confirm", a.confirmTOTP)
	authed.POST("/me/mfa/totp/disable", a.disableTOTP)

	resource{list: a.listSections, get: a.getSection}.mount(authed, "/sections")

	resource{list: a.listStories, create: a.createStory, get: a.getStory, update: a.updateStory}.mount(authed, "/stories")
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

	search := guarded(authedGroup, a.search != nil, errNoSearch)
	search.GET("/stories/:id/related", a.relatedStories)
	search.GET("/stories/:id/tag-suggestions", a.tagSuggestions)
	search.GET("/search", a.searchStories)

	dist := guarded(authedGroup, a.dist != nil, errNoDistribution)
	dist.GET("/stories/:id/distribution", a.storyDistribution)
	dist.POST("/deliveries/:id/retry", a.retryDelivery)
	dist.GET("/deliveries/:id/attempts", a.listDeliveryAttempts)

	assetGuard := js.Require(a.assets != nil, errNoAssets)
	// Uploads stream to storage: the asset service enforces the per-kind
	// limit (and a direct upload's part size), not http.max_body_bytes.
	upload := respond.With(r.Stream("/api/v1", a.authenticate, requireMethodScope, assetGuard), js)
	upload.POST("/assets", a.uploadAsset)
	upload.PUT("/assets/uploads/:id/parts/:n", a.putUploadPart)
	assets := respond.With(authedGroup.Group("", assetGuard), js)
	assets.POST("/assets/uploads", a.startUpload)
	assets.POST("/assets/uploads/:id/complete", a.completeUpload)
	assets.DELETE("/assets/uploads/:id", a.abortUpload)
	resource{list: a.listAssets, get: a.getAsset, update: a.updateAsset, remove: a.deleteAsset}.mount(assets, "/assets")

	bc := guarded(authedGroup, a.bcast != nil, errNoBroadcast)
	resource{list: a.listProgrammes, create: a.createProgramme, get: a.getProgramme, update: a.updateProgramme, remove: a.deleteProgramme}.mount(bc, "/programmes")
	resource{list: a.listRundowns, create: a.createRundown, get: a.getRundown, update: a.updateRundown, remove: a.deleteRundown}.mount(bc, "/rundowns")
	bc.POST("/rundowns/:id/transitions", a.transitionRundown)
	bc.POST("/rundowns/:id/items", a.insertRundownItem)
	bc.PATCH("/rundowns/:id/items/:item_id", a.updateRundownItem)
	bc.DELETE("/rundowns/:id/items/:item_id", a.deleteRundownItem)

	adminGroup := v1.Group("", a.authenticate, a.requireAdminAddress, requireAdminScope)
	admin := respond.With(adminGroup, js)
	resource{list: a.listUsers, create: a.createUser, get: a.getUser, update: a.updateUser}.mount(admin, "/users")
	admin.DELETE("/users/:id/sessions", a.endUserSessions)
	admin.DELETE("/users/:id/mfa", a.resetMFA)
	resource{create: a.createSection, update: a.updateSection}.mount(admin, "/sections")
	admin.GET("/audit", a.listAudit)
	guarded(adminGroup, a.check != nil, errNoSelfCheck).GET("/admin/security", a.securitySelfCheck)
	keys := guarded(adminGroup, a.partners != nil, errNoPartners)
	resource{list: a.listPartnerKeys, create: a.createPartnerKey, remove: a.revokePartnerKey}.mount(keys, "/api-keys")
	targets := guarded(adminGroup, a.dist != nil, errNoDistribution)
	resource{list: a.listTargets, create: a.createTarget, get: a.getTarget, update: a.updateTarget, remove: a.deleteTarget}.mount(targets, "/targets")
	targets.POST("/targets/:id/feed-token", a.rotateFeedToken)
}

// The answers of the routes of an optional service that is not configured (503).
var (
	errNoAssets       = apperr.Unavailable("http.assets_not_configured")
	errNoBroadcast    = apperr.Unavailable("http.broadcast_not_configured")
	errNoDistribution = apperr.Unavailable("http.distribution_not_configured")
	errNoPartners     = apperr.Unavailable("http.partners_not_configured")
	errNoSearch       = apperr.Unavailable("http.search_not_configured")
	errNoSelfCheck    = apperr.Unavailable("http.selfcheck_not_configured")
)

// guarded is the group of parent's routes that need an optional service:
// while it is not available they answer err (503) instead of calling it.
func guarded(parent *gin.RouterGroup, available bool, err error) respond.Group {
	return respond.With(parent.Group("", respond.JSONErrors.Require(available, err)), respond.JSONErrors)
}

// resource is the handlers of a REST collection: list (GET) and create
// (POST) on its path, get (GET), update (PATCH) and remove (DELETE) on
// path/:id. A nil handler is a method the collection does not offer.
type resource struct {
	list, create, get, update, remove respond.HandlerFunc
}

// mount registers the resource's routes under path on g.
func (res resource) mount(g respond.Group, path string) {
	routes := []struct {
		method, path string
		h            respond.HandlerFunc
	}{
		{http.MethodGet, path, res.list},
		{http.MethodPost, path, res.create},
		{http.MethodGet, path + "/:id", res.get},
		{http.MethodPatch, path + "/:id", res.update},
		{http.MethodDelete, path + "/:id", res.remove},
	}
	for _, rt := range routes {
		if rt.h != nil {
			g.Handle(rt.method, rt.path, rt.h)
		}
	}
}
