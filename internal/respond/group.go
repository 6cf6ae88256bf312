package respond

import "github.com/gin-gonic/gin"

// Group registers HandlerFuncs on a gin route group, each wrapped once with
// the face's ErrorRenderer, so that route tables stay one line per route.
type Group struct {
	r      gin.IRoutes
	render ErrorRenderer
}

// With returns the Group that registers on r and answers errors with render.
func With(r gin.IRoutes, render ErrorRenderer) Group { return Group{r: r, render: render} }

// Handle registers h for method and path.
func (g Group) Handle(method, path string, h HandlerFunc) {
	g.r.Handle(method, path, g.render.Handle(h))
}

// GET registers h for GET path.
func (g Group) GET(path string, h HandlerFunc) { g.r.GET(path, g.render.Handle(h)) }

// HEAD registers h for HEAD path.
func (g Group) HEAD(path string, h HandlerFunc) { g.r.HEAD(path, g.render.Handle(h)) }

// POST registers h for POST path.
func (g Group) POST(path string, h HandlerFunc) { g.r.POST(path, g.render.Handle(h)) }

// PUT registers h for PUT path.
func (g Group) PUT(path string, h HandlerFunc) { g.r.PUT(path, g.render.Handle(h)) }

// PATCH registers h for PATCH path.
func (g Group) PATCH(path string, h HandlerFunc) { g.r.PATCH(path, g.render.Handle(h)) }

// DELETE registers h for DELETE path.
func (g Group) DELETE(path string, h HandlerFunc) { g.r.DELETE(path, g.render.Handle(h)) }
