package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listTargets lists the distribution targets (admin).
func (a *api) listTargets(c *gin.Context) error {
	ts, err := a.dist.FindTargets(c.Request.Context(), actor(c))
	return answerList(c, ts, "", err)
}

// createTarget adds a distribution target (admin); its secret is stored sealed and never shown.
func (a *api) createTarget(c *gin.Context) error {
	t, err := callWithBody(c, a.dist.CreateTarget)
	return answer(c, http.StatusCreated, t, err)
}

// getTarget returns one target (admin).
func (a *api) getTarget(c *gin.Context) error {
	return answerByID(c, http.StatusOK, rawID, a.dist.FindTargetByID)
}

// updateTarget changes a target (admin); absent fields stay as they are.
func (a *api) updateTarget(c *gin.Context) error {
	t, err := callByIDWithBody(c, rawID, a.dist.UpdateTarget)
	return answer(c, http.StatusOK, t, err)
}

// deleteTarget removes a target (admin).
func (a *api) deleteTarget(c *gin.Context) error {
	return removeByID(c, rawID, a.dist.DeleteTarget)
}

// storyDistribution lists one entry per channel and target of a story.
func (a *api) storyDistribution(c *gin.Context) error {
	return listByID(c, rawID, a.dist.StoryDistribution)
}

// retryDelivery sends a dead or delivered delivery again (same webhook-id).
func (a *api) retryDelivery(c *gin.Context) error {
	return answerByID(c, http.StatusAccepted, rawID, a.dist.Retry)
}

// listDeliveryAttempts lists every attempt of a delivery (time, status, latency, first 1 KB of the answer).
func (a *api) listDeliveryAttempts(c *gin.Context) error {
	return listByID(c, rawID, a.dist.FindAttempts)
}

// rotateFeedToken gives an rss target a new feed token (admin); the answer
// shows it this once, the old token stops working at once.
func (a *api) rotateFeedToken(c *gin.Context) error {
	return answerByID(c, http.StatusOK, rawID, a.dist.RotateFeedToken)
}
