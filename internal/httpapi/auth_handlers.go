package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/user"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string     `json:"token"`
	ExpiresAt time.Time  `json:"expires_at"`
	User      *user.User `json:"user"`
}

// login opens a session.
func (a *api) login(c *gin.Context) error {
	in, err := decode[loginRequest](c)
	if err != nil {
		return err
	}
	res, err := a.users.Login(c.Request.Context(), in.Username, in.Password, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		return err
	}
	if res.MFARequired {
		respond.JSON(c, http.StatusOK, mfaLoginStep{MFARequired: true, MFAToken: res.MFAToken, ExpiresAt: res.ExpiresAt})
		return nil
	}
	respond.JSON(c, http.StatusOK, loginResponse{Token: res.Token, ExpiresAt: res.ExpiresAt, User: res.User})
	return nil
}

// passwordPolicyResponse is the password policy in force.
type passwordPolicyResponse struct {
	MinLength  int    `json:"min_length"`
	Classes    int    `json:"classes"`
	MaxAgeDays int    `json:"max_age_days"`
	History    int    `json:"history"`
	Text       string `json:"text"`
}

// passwordPolicy is GET /api/v1/auth/password-policy (no authentication:
// the forms of a client show it before login and at a forced change).
func (a *api) passwordPolicy(c *gin.Context) error {
	p := a.users.Policy()
	respond.JSON(c, http.StatusOK, passwordPolicyResponse{MinLength: p.MinLength, Classes: p.Classes, MaxAgeDays: p.MaxAgeDays(),
		History: p.History, Text: p.Text(respond.Lang(c))})
	return nil
}

// logout ends the session the request was made with.
func (a *api) logout(c *gin.Context) error {
	return noContent(c, a.users.Logout(c.Request.Context(), authOf(c)))
}

type passwordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// changePassword replaces the caller's own password.
func (a *api) changePassword(c *gin.Context) error {
	var in passwordRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	return noContent(c, a.users.ChangePassword(c.Request.Context(), authOf(c), in.CurrentPassword, in.NewPassword))
}
