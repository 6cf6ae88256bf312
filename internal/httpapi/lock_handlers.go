package httpapi

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/story"
)

type lockResponse struct {
	Lock *story.Lock `json:"lock"` // null when nobody holds the story
}

// getLock says who is editing the story, if anyone.
func (a *api) getLock(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	l, err := a.stories.FindLock(c.Request.Context(), actor(c), id)
	if err != nil && !apperr.Is(err, apperr.CodeNotFound) {
		return err
	}
	respond.JSON(c, http.StatusOK, lockResponse{Lock: l})
	return nil
}

type lockRequest struct {
	Takeover bool `json:"takeover"`
}

// acquireLock takes the edit lock or renews it (heartbeat); the body is optional.
func (a *api) acquireLock(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	var in lockRequest
	data, err := readBody(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) > 0 {
		if err := requireJSON(c); err != nil {
			return err
		}
		if err := decodeStrict(data, &in); err != nil {
			return err
		}
	}
	l, err := a.stories.AcquireLock(c.Request.Context(), actor(c), id, in.Takeover)
	if err != nil {
		return err
	}
	respond.JSON(c, http.StatusOK, lockResponse{Lock: l})
	return nil
}

// releaseLock drops the edit lock.
func (a *api) releaseLock(c *gin.Context) error {
	return removeByID(c, uuidID, a.stories.ReleaseLock)
}
