package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// listUsers lists accounts (admin).
func (a *api) listUsers(c *gin.Context) error {
	var f user.Filter
	if s := c.Query("role"); s != "" {
		r, err := user.ParseRole(s)
		if err != nil {
			return apperr.InvalidField("role", "user.unknown_role", s)
		}
		f.Role = r
	}
	if s := c.Query("active"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return apperr.InvalidField("active", "http.active_not_bool")
		}
		f.Active = &b
	}
	f.Query = c.Query("q")
	limit, err := queryInt(c, "limit", 200, 1, 1000)
	if err != nil {
		return err
	}
	f.Limit = limit
	items, err := a.users.FindUsers(c.Request.Context(), actor(c), f)
	return answerList(c, items, "", err)
}

type createdUser struct {
	*user.User
	// OneTimePassword is set when the server generated the password; it is shown once.
	OneTimePassword string `json:"one_time_password,omitempty"`
}

// createUser adds an account (admin).
func (a *api) createUser(c *gin.Context) error {
	in, err := decode[user.NewUser](c)
	if err != nil {
		return err
	}
	u, otp, err := a.users.CreateUser(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	return answerCreated(c, "/api/v1/users/"+u.ID, createdUser{User: u, OneTimePassword: otp})
}

// getUser returns one account (admin, or the user themself).
func (a *api) getUser(c *gin.Context) error {
	return answerByID(c, http.StatusOK, uuidID, a.users.FindUserByID)
}

// updateUser changes an account (admin): role, sections, lock, password reset.
func (a *api) updateUser(c *gin.Context) error {
	u, err := callByIDWithBody(c, uuidID, a.users.UpdateUser)
	return answer(c, http.StatusOK, u, err)
}

// endUserSessions ends every session of a user (admin).
func (a *api) endUserSessions(c *gin.Context) error {
	return removeByID(c, uuidID, func(ctx context.Context, ac user.Actor, id string) error {
		_, err := a.users.EndAllSessions(ctx, ac, id)
		return err
	})
}
