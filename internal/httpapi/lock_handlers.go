package httpapi

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story"
)

type lockResponse struct {
	Lock *story.Lock `json:"lock"` // null when nobody holds the story
}

// getLock says who is editing the story, if anyone.
func (a *api) getLock(c *gin.Context) {
	id, err := pathUUID(c, "id")
	if err != nil {
		writeError(c, err)
		return
	}
	l, err := a.stories.FindLock(c.Request.Context(), actor(c), id)
	if err != nil && !apperr.Is(err, apperr.CodeNotFound) {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, lockResponse{Lock: l})
}

type lockRequest struct {
	Takeover bool `json:"takeover"`
}

// acquireLock takes the edit lock or renews it (heartbeat); the body is optional.
func (a *api) acquireLock(c *gin.Context) {
	id, err := pathUUID(c, "id")
	if err != nil {
		writeError(c, err)
		return
	}
	var in lockRequest
	data, err := readBody(c)
	if err != nil {
		writeError(c, err)
		return
	}
	if len(bytes.TrimSpace(data)) > 0 {
		if err := requireJSON(c); err != nil {
			writeError(c, err)
			return
		}
		if err := decodeStrict(data, &in); err != nil {
			writeError(c, err)
			return
		}
	}
	l, err := a.stories.AcquireLock(c.Request.Context(), actor(c), id, in.Takeover)
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, lockResponse{Lock: l})
}

// releaseLock drops the edit lock.
func (a *api) releaseLock(c *gin.Context) {
	id, err := pathUUID(c, "id")
	if err != nil {
		writeError(c, err)
		return
	}
	if err := a.stories.ReleaseLock(c.Request.Context(), actor(c), id); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
