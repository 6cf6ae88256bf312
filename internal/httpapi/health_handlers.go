package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

// healthz answers while the process runs (liveness).
func (a *api) healthz(c *gin.Context) error {
	respond.JSON(c, http.StatusOK, gin.H{"status": "ok", "version": a.version})
	return nil
}

// readyz answers 200 only when the backends do (readiness), so that a load
// balancer stops sending work to a process that lost its database.
func (a *api) readyz(c *gin.Context) error {
	if a.ready != nil {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
		defer cancel()
		if err := a.ready(ctx); err != nil {
			return apperr.Unavailable("http.not_ready", err.Error()).WithReason("not_ready")
		}
	}
	respond.JSON(c, http.StatusOK, gin.H{"status": "ok"})
	return nil
}
