package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// passwordPage is /desk/password: the forced change at first login, or any time.
func (h *Handler) passwordPage(c *gin.Context) error {
	h.render(c, http.StatusOK, "password", page{Title: h.tr(c, "password.title")})
	return nil
}

// changePassword calls user.Service.ChangePassword; other sessions end, this one goes on.
func (h *Handler) changePassword(c *gin.Context) error {
	cur, next, confirm := c.PostForm("current_password"), c.PostForm("new_password"), c.PostForm("confirm_password")
	if next != confirm {
		h.render(c, http.StatusBadRequest, "password", page{Title: h.tr(c, "password.title"), Error: h.tr(c, "password.mismatch")})
		return nil
	}
	if err := h.users.ChangePassword(c.Request.Context(), authOf(c), cur, next); err != nil {
		status, msg := h.explain(c, err)
		h.render(c, status, "password", page{Title: h.tr(c, "password.title"), Error: msg})
		return nil
	}
	c.Redirect(http.StatusSeeOther, "/desk?ok=password")
	return nil
}
