package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/partner"
)

// partnerKeyCreated is the one answer that carries the secret.
type partnerKeyCreated struct {
	*partner.Key
	Secret string `json:"key"`
}

func (a *api) partnersOrUnavailable(c *gin.Context) bool {
	if a.partners == nil {
		writeError(c, apperr.Unavailable("Khóa API đối tác chưa được cấu hình (partner keys are not configured)"))
		return false
	}
	return true
}

// createPartnerKey makes a content API key; the secret `key` is shown this once.
func (a *api) createPartnerKey(c *gin.Context) {
	if !a.partnersOrUnavailable(c) {
		return
	}
	var in partner.NewKey
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, err)
		return
	}
	k, secret, err := a.partners.CreateKey(c.Request.Context(), actor(c), in)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	render(c, http.StatusCreated, partnerKeyCreated{Key: k, Secret: secret})
}

// listPartnerKeys lists the keys with their usage counters (for billing).
func (a *api) listPartnerKeys(c *gin.Context) {
	if !a.partnersOrUnavailable(c) {
		return
	}
	keys, err := a.partners.FindKeys(c.Request.Context(), actor(c))
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, newList(keys, ""))
}

// revokePartnerKey revokes a key at once.
func (a *api) revokePartnerKey(c *gin.Context) {
	if !a.partnersOrUnavailable(c) {
		return
	}
	if err := a.partners.RevokeKey(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
