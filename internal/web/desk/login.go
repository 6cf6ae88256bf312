package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type loginData struct {
	Username, Next string
}

// loginPage is /desk/login.
func (h *Handler) loginPage(c *gin.Context) error {
	if authOf(c) != nil {
		c.Redirect(http.StatusSeeOther, "/desk")
		return nil
	}
	h.render(c, http.StatusOK, "login", page{Title: h.tr(c, "login.title"), Data: loginData{Next: localPath(c.Query("next"))}})
	return nil
}

// login checks the password through user.Service.Login (with the client IP
// gin derives through http.trusted_proxies, for throttling) and opens the
// session cookie; a throttled login answers 429 with Retry-After; a first login with a one-time password goes to /desk/password.
func (h *Handler) login(c *gin.Context) error {
	username, password := c.PostForm("username"), c.PostForm("password")
	next := localPath(c.PostForm("next"))
	res, err := h.users.Login(c.Request.Context(), username, password, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		status, msg := h.explain(c, err)
		h.render(c, status, "login", page{Title: h.tr(c, "login.title"), Error: msg, Data: loginData{Username: username, Next: next}})
		return nil
	}
	setCookie(c, sessionCookie, res.Token, 0)
	if res.User.MustChangePassword {
		c.Redirect(http.StatusSeeOther, "/desk/password")
		return nil
	}
	c.Redirect(http.StatusSeeOther, next)
	return nil
}

// logout ends the session (user.Service.Logout) and drops the cookie.
func (h *Handler) logout(c *gin.Context) error {
	if err := h.users.Logout(c.Request.Context(), authOf(c)); err != nil {
		return err
	}
	setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/desk/login")
	return nil
}
