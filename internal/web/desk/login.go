package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/user"
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
	if res.MFARequired {
		h.render(c, http.StatusOK, "login_mfa", page{Title: h.tr(c, "mfa.login_title"), Data: mfaLoginData{MFAToken: res.MFAToken, Next: next}})
		return nil
	}
	h.openSession(c, res, next)
	return nil
}

// openSession sets the session cookie of a login and goes on: to the
// password change or the MFA enrolment the account still owes, else to next.
func (h *Handler) openSession(c *gin.Context, res *user.LoginResult, next string) {
	setCookie(c, sessionCookie, res.Token, 0)
	switch {
	case res.User.MustChangePassword:
		next = "/desk/password"
	case h.users.MFARequired(res.User.Role):
		if st, err := h.users.MFAStatus(c.Request.Context(), &user.Auth{User: res.User}); err == nil && !st.Enrolled {
			next = "/desk/mfa"
		}
	}
	c.Redirect(http.StatusSeeOther, next)
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
