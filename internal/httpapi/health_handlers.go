package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// healthz answers while the process runs (liveness).
func (a *api) healthz(c *gin.Context) {
	render(c, http.StatusOK, gin.H{"status": "ok", "version": a.opts.Version})
}

// readyz answers 200 only when the backends do (readiness), so that a load
// balancer stops sending work to a process that lost its database.
func (a *api) readyz(c *gin.Context) {
	if a.ready != nil {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
		defer cancel()
		if err := a.ready(ctx); err != nil {
			writeError(c, apperr.Unavailable("Chưa sẵn sàng: %s (not ready: %s)", err.Error(), err.Error()).WithReason("not_ready"))
			return
		}
	}
	render(c, http.StatusOK, gin.H{"status": "ok"})
}
