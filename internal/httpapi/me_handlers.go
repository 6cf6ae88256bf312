package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/user"
)

type meResponse struct {
	User      *user.User `json:"user"`
	ExpiresAt *time.Time `json:"expires_at"` // session end, or the API token's capped expiry
}

// me describes the caller.
func (a *api) me(c *gin.Context) error {
	au := authOf(c)
	out := meResponse{User: au.User}
	if !au.ExpiresAt.IsZero() {
		t := au.ExpiresAt
		out.ExpiresAt = &t
	}
	respond.JSON(c, http.StatusOK, out)
	return nil
}

// listTokens lists the caller's personal API tokens.
func (a *api) listTokens(c *gin.Context) error {
	items, err := a.users.FindAPITokens(c.Request.Context(), authOf(c))
	return answerList(c, items, "", err)
}

type createdToken struct {
	*user.APIToken
	Token string `json:"token"` // shown once; only its hash is stored
}

// createToken issues a personal API token.
func (a *api) createToken(c *gin.Context) error {
	in, err := decode[user.NewAPIToken](c)
	if err != nil {
		return err
	}
	t, plain, err := a.users.CreateAPIToken(c.Request.Context(), authOf(c), in)
	if err != nil {
		return err
	}
	respond.JSON(c, http.StatusCreated, createdToken{APIToken: t, Token: plain})
	return nil
}

// revokeToken revokes one of the caller's tokens.
func (a *api) revokeToken(c *gin.Context) error { return removeOwn(c, a.users.RevokeAPIToken) }

// removeOwn answers 204 once m has removed (ended, revoked) the caller's own
// resource under the path id, a UUID.
func removeOwn(c *gin.Context, m func(context.Context, *user.Auth, string) error) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	return noContent(c, m(c.Request.Context(), authOf(c), id))
}

// listSessions lists the caller's own open sessions; current marks the one
// the request came with.
func (a *api) listSessions(c *gin.Context) error {
	items, err := a.users.ListSessions(c.Request.Context(), authOf(c))
	return answerList(c, items, "", err)
}

// endSession ends one of the caller's sessions (404 for another user's).
func (a *api) endSession(c *gin.Context) error { return removeOwn(c, a.users.EndSession) }

// endOtherSessions ends every session of the caller but the current one.
func (a *api) endOtherSessions(c *gin.Context) error {
	_, err := a.users.EndOtherSessions(c.Request.Context(), authOf(c))
	return noContent(c, err)
}
