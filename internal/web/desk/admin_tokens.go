package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/user"
)

// adminTokens is /desk/admin/tokens: every user's personal API tokens, each
// revocable (user.Service.ListAllAPITokens, RevokeAnyAPIToken).
func (h *Handler) adminTokens(c *gin.Context) error { return h.adminTokensPage(c, http.StatusOK, "") }

func (h *Handler) adminTokensPage(c *gin.Context, status int, errMsg string) error {
	ctx := c.Request.Context()
	a := actor(c)
	list, err := h.users.ListAllAPITokens(ctx, a)
	if err != nil {
		return err
	}
	users, err := h.users.FindUsers(ctx, a, user.Filter{})
	if err != nil {
		return err
	}
	owners := make(map[string]string, len(users))
	for _, u := range users {
		owners[u.ID] = u.Username
	}
	h.render(c, status, "admin_tokens", page{Title: h.tr(c, "admin.tokens.title"), Nav: "admin", Flash: h.adminFlash(c), Error: errMsg,
		Data: h.tokenRows(list, owners)})
	return nil
}

// adminRevokeToken is POST /desk/admin/tokens/{id}/revoke.
func (h *Handler) adminRevokeToken(c *gin.Context) error {
	err := h.users.RevokeAnyAPIToken(c.Request.Context(), actor(c), c.Param("id"))
	return h.afterPost(c, err, "/desk/admin/tokens?ok=revoked_token", func(status int, msg string) error {
		return h.adminTokensPage(c, status, msg)
	})
}

// adminEndSessions is POST /desk/admin/users/{id}/sessions/end: every
// session of the account ends (user.Service.EndAllSessions); its API tokens stay.
func (h *Handler) adminEndSessions(c *gin.Context) error {
	_, err := h.users.EndAllSessions(c.Request.Context(), actor(c), c.Param("id"))
	return h.afterPost(c, err, "/desk/admin/users?ok=sessions_ended", func(status int, msg string) error {
		return h.usersPage(c, status, msg, nil)
	})
}
