package desk

import (
	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/respond"
)

// routes registers the desk's handlers (respond.HandlerFunc) on a gin route
// group; the error a handler returns is answered once, by h.errorPage.
type routes struct {
	g    *gin.RouterGroup
	with respond.Group
	h    *Handler
}

// routes wraps a gin group for the desk's handlers.
func (h *Handler) routes(g *gin.RouterGroup) routes {
	return routes{g: g, with: respond.With(g, h.errs()), h: h}
}

// GET registers fn for GET path.
func (r routes) GET(path string, fn respond.HandlerFunc) { r.with.GET(path, fn) }

// POST registers fn for POST path.
func (r routes) POST(path string, fn respond.HandlerFunc) { r.with.POST(path, fn) }

// Group is a subgroup under path behind middleware (sign-in, a role, the
// guard of an optional service).
func (r routes) Group(path string, middleware ...gin.HandlerFunc) routes {
	return r.h.routes(r.g.Group(path, middleware...))
}
