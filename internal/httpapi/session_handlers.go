package httpapi

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/user"
)

// listSessions lists the caller's own open sessions; current marks the one
// the request came with.
func (a *api) listSessions(c *gin.Context) error {
	items, err := a.users.ListSessions(c.Request.Context(), authOf(c))
	return answerList(c, items, "", err)
}

// endSession ends one of the caller's sessions (404 for another user's).
func (a *api) endSession(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	return noContent(c, a.users.EndSession(c.Request.Context(), authOf(c), id))
}

// endOtherSessions ends every session of the caller but the current one.
func (a *api) endOtherSessions(c *gin.Context) error {
	_, err := a.users.EndOtherSessions(c.Request.Context(), authOf(c))
	return noContent(c, err)
}

// endUserSessions ends every session of a user (admin).
func (a *api) endUserSessions(c *gin.Context) error {
	return removeByID(c, uuidID, func(ctx context.Context, ac user.Actor, id string) error {
		_, err := a.users.EndAllSessions(ctx, ac, id)
		return err
	})
}
