package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
)

func (a *api) broadcastOrUnavailable(c *gin.Context) bool {
	if a.bcast == nil {
		writeError(c, apperr.Unavailable("Chương trình phát thanh, truyền hình chưa được cấu hình (broadcast is not configured)"))
		return false
	}
	return true
}

// listProgrammes lists the programmes by name (?channel=radio|tv).
func (a *api) listProgrammes(c *gin.Context) {
	if !a.broadcastOrUnavailable(c) {
		return
	}
	ps, err := a.bcast.FindProgrammes(c.Request.Context(), actor(c), c.Query("channel"))
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, newList(ps, ""))
}

// createProgramme adds a programme (producers, admin).
func (a *api) createProgramme(c *gin.Context) {
	if !a.broadcastOrUnavailable(c) {
		return
	}
	var in broadcast.ProgrammeInput
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, err)
		return
	}
	p, err := a.bcast.CreateProgramme(c.Request.Context(), actor(c), in)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Header("Location", "/api/v1/programmes/"+p.ID)
	c.Header("ETag", etag(p.Version))
	render(c, http.StatusCreated, p)
}

// getProgramme returns one programme with its ETag.
func (a *api) getProgramme(c *gin.Context) {
	if !a.broadcastOrUnavailable(c) {
		return
	}
	id, err := pathUUID(c, "id")
	if err != nil {
		writeError(c, err)
		return
	}
	p, err := a.bcast.FindProgrammeByID(c.Request.Context(), actor(c), id)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Header("ETag", etag(p.Version))
	render(c, http.StatusOK, p)
}

// updateProgramme changes a programme (If-Match required).
func (a *api) updateProgramme(c *gin.Context) {
	if !a.broadcastOrUnavailable(c) {
		return
	}
	id, err := pathUUID(c, "id")
	if err != nil {
		writeError(c, err)
		return
	}
	v, err := versionIfMatch(c, "chương trình", "programme")
	if err != nil {
		writeError(c, err)
		return
	}
	var in broadcast.ProgrammeInput
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, err)
		return
	}
	p, err := a.bcast.UpdateProgramme(c.Request.Context(), actor(c), id, in, v)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Header("ETag", etag(p.Version))
	render(c, http.StatusOK, p)
}

// deleteProgramme removes a programme without rundowns (If-Match required).
func (a *api) deleteProgramme(c *gin.Context) {
	if !a.broadcastOrUnavailable(c) {
		return
	}
	id, err := pathUUID(c, "id")
	if err != nil {
		writeError(c, err)
		return
	}
	v, err := versionIfMatch(c, "chương trình", "programme")
	if err != nil {
		writeError(c, err)
		return
	}
	if err := a.bcast.DeleteProgramme(c.Request.Context(), actor(c), id, v); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
