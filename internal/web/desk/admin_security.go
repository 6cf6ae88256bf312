package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/selfcheck"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

type securityData struct {
	Controls         []selfcheck.Control
	CheckedAt        string
	Pass, Warn, Fail int
}

// adminSecurity is /desk/admin/security: the security self-check, one row
// per control with its verdict, in the desk's language.
func (h *Handler) adminSecurity(c *gin.Context) error {
	facts := selfcheck.FactsOf(c.Request, respond.Secure(c), respond.ViaTrustedProxy(c), langOf(c))
	r, err := h.check.Check(c.Request.Context(), actor(c), facts)
	if err != nil {
		return err
	}
	d := securityData{Controls: r.Controls, CheckedAt: vntime.Format(r.CheckedAt),
		Pass: r.Count(selfcheck.Pass), Warn: r.Count(selfcheck.Warn), Fail: r.Count(selfcheck.Fail)}
	h.render(c, http.StatusOK, "admin_security", page{Title: h.tr(c, "admin.security.title"), Nav: "admin", Data: d})
	return nil
}
