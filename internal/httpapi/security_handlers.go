package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/selfcheck"
)

// securitySelfCheck is GET /admin/security: the security self-check (admin),
// with the details in the answer's language.
func (a *api) securitySelfCheck(c *gin.Context) error {
	facts := selfcheck.FactsOf(c.Request, respond.Secure(c), respond.ViaTrustedProxy(c), respond.Lang(c))
	r, err := a.check.Check(c.Request.Context(), actor(c), facts)
	return answer(c, http.StatusOK, r, err)
}
