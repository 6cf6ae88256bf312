// Package httpapi is the JSON API (/api/v1) for the staff's tools, with the
// health checks and /media: thin Gin handlers, one file per resource, that
// bind input, call one domain service method and render its answer. Handlers
// return their errors; respond.JSONErrors maps apperr codes to statuses and
// writes the error body, once, for every route.
package httpapi

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/search"
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
	// Version is the build version, reported by /healthz.
	Version string
	// Distribution is targets, deliveries and redelivery; nil answers 503.
	Distribution *distribution.Service
	// Broadcast is programmes and rundowns; nil answers 503.
	Broadcast *broadcast.Service
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
	ready    func(ctx context.Context) error
	version  string
}

// New returns the API face, to be mounted by server.New.
func New(d Deps) server.Face {
	return &api{users: d.Users, stories: d.Stories, views: d.StoryViews, audit: d.Audit, search: d.Search, partners: d.Partners, assets: d.Assets,
		dist: d.Distribution, bcast: d.Broadcast, ready: d.Ready, version: d.Version}
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

	authedGroup := v1.Group("", a.authenticate, requireMethodScope)
	authed := respond.With(authedGroup, js)
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

	search := respond.With(authedGroup.Group("", js.Require(a.search != nil, errNoSearch)), js)
	search.GET("/stories/:id/related", a.relatedStories)
	search.GET("/stories/:id/tag-suggestions", a.tagSuggestions)
	search.GET("/search", a.searchStories)

	dist := respond.With(authedGroup.Group("", js.Require(a.dist != nil, errNoDistribution)), js)
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
	assets.GET("/assets", a.listAssets)
	assets.GET("/assets/:id", a.getAsset)
	assets.PATCH("/assets/:id", a.updateAsset)
	assets.DELETE("/assets/:id", a.deleteAsset)

	bc := respond.With(authedGroup.Group("", js.Require(a.bcast != nil, errNoBroadcast)), js)
	bc.GET("/programmes", a.listProgrammes)
	bc.POST("/programmes", a.createProgramme)
	bc.GET("/programmes/:id", a.getProgramme)
	bc.PATCH("/programmes/:id", a.updateProgramme)
	bc.DELETE("/programmes/:id", a.deleteProgramme)
	bc.GET("/rundowns", a.listRundowns)
	bc.POST("/rundowns", a.createRundown)
	bc.GET("/rundowns/:id", a.getRundown)
	bc.PATCH("/rundowns/:id", a.updateRundown)
	bc.DELETE("/rundowns/:id", a.deleteRundown)
	bc.POST("/rundowns/:id/transitions", a.transitionRundown)
	bc.POST("/rundowns/:id/items", a.insertRundownItem)
	bc.PATCH("/rundowns/:id/items/:item_id", a.updateRundownItem)
	bc.DELETE("/rundowns/:id/items/:item_id", a.deleteRundownItem)

	adminGroup := v1.Group("", a.authenticate, requireAdminScope)
	admin := respond.With(adminGroup, js)
	admin.GET("/users", a.listUsers)
	admin.POST("/users", a.createUser)
	admin.GET("/users/:id", a.getUser)
	admin.PATCH("/users/:id", a.updateUser)
	admin.POST("/sections", a.createSection)
	admin.PATCH("/sections/:id", a.updateSection)
	admin.GET("/audit", a.listAudit)
	keys := respond.With(adminGroup.Group("", js.Require(a.partners != nil, errNoPartners)), js)
	keys.POST("/api-keys", a.createPartnerKey)
	keys.GET("/api-keys", a.listPartnerKeys)
	keys.DELETE("/api-keys/:id", a.revokePartnerKey)
	targets := respond.With(adminGroup.Group("", js.Require(a.dist != nil, errNoDistribution)), js)
	targets.GET("/targets", a.listTargets)
	targets.POST("/targets", a.createTarget)
	targets.GET("/targets/:id", a.getTarget)
	targets.PATCH("/targets/:id", a.updateTarget)
	targets.DELETE("/targets/:id", a.deleteTarget)
	targets.POST("/targets/:id/feed-token", a.rotateFeedToken)
}
