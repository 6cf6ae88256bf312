package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/distribution"
)

func (a *api) distOrUnavailable(c *gin.Context) bool {
	if a.dist == nil {
		writeError(c, apperr.Unavailable("Phân phối chưa được cấu hình (distribution is not configured)"))
		return false
	}
	return true
}

// listTargets lists the distribution targets (admin).
func (a *api) listTargets(c *gin.Context) {
	if !a.distOrUnavailable(c) {
		return
	}
	ts, err := a.dist.FindTargets(c.Request.Context(), actor(c))
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, newList(ts, ""))
}

// createTarget adds a distribution target (admin); its secret is stored sealed and never shown.
func (a *api) createTarget(c *gin.Context) {
	if !a.distOrUnavailable(c) {
		return
	}
	var in distribution.TargetInput
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, err)
		return
	}
	t, err := a.dist.CreateTarget(c.Request.Context(), actor(c), in)
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusCreated, t)
}

// getTarget returns one target (admin).
func (a *api) getTarget(c *gin.Context) {
	if !a.distOrUnavailable(c) {
		return
	}
	t, err := a.dist.FindTargetByID(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, t)
}

// updateTarget changes a target (admin); absent fields stay as they are.
func (a *api) updateTarget(c *gin.Context) {
	if !a.distOrUnavailable(c) {
		return
	}
	var in distribution.TargetInput
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, err)
		return
	}
	t, err := a.dist.UpdateTarget(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, t)
}

// deleteTarget removes a target (admin).
func (a *api) deleteTarget(c *gin.Context) {
	if !a.distOrUnavailable(c) {
		return
	}
	if err := a.dist.DeleteTarget(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// storyDistribution lists one entry per channel and target of a story.
func (a *api) storyDistribution(c *gin.Context) {
	if !a.distOrUnavailable(c) {
		return
	}
	ds, err := a.dist.StoryDistribution(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, newList(ds, ""))
}

// retryDelivery sends a dead or delivered delivery again (same webhook-id).
func (a *api) retryDelivery(c *gin.Context) {
	if !a.distOrUnavailable(c) {
		return
	}
	d, err := a.dist.Retry(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusAccepted, d)
}

// listDeliveryAttempts lists every attempt of a delivery (time, status, latency, first 1 KB of the answer).
func (a *api) listDeliveryAttempts(c *gin.Context) {
	if !a.distOrUnavailable(c) {
		return
	}
	at, err := a.dist.FindAttempts(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, newList(at, ""))
}

// rotateFeedToken gives an rss target a new feed token (admin); the answer
// shows it this once, the old token stops working at once.
func (a *api) rotateFeedToken(c *gin.Context) {
	if !a.distOrUnavailable(c) {
		return
	}
	t, err := a.dist.RotateFeedToken(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, t)
}
