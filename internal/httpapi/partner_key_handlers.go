package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

// partnerKeyCreated is the one answer that carries the secret.
type partnerKeyCreated struct {
	*partner.Key
	Secret string `json:"key"`
}

// createPartnerKey makes a content API key; the secret `key` is shown this once.
func (a *api) createPartnerKey(c *gin.Context) error {
	in, err := decode[partner.NewKey](c)
	if err != nil {
		return err
	}
	k, secret, err := a.partners.CreateKey(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	respond.JSON(c, http.StatusCreated, partnerKeyCreated{Key: k, Secret: secret})
	return nil
}

// listPartnerKeys lists the keys with their usage counters (for billing).
func (a *api) listPartnerKeys(c *gin.Context) error {
	keys, err := a.partners.FindKeys(c.Request.Context(), actor(c))
	return answerList(c, keys, "", err)
}

// revokePartnerKey revokes a key at once.
func (a *api) revokePartnerKey(c *gin.Context) error {
	return removeByID(c, rawID, a.partners.RevokeKey)
}
