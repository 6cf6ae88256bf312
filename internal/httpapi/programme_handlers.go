package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

// errNoBroadcast answers the routes of an unconfigured service (503).
var errNoBroadcast = apperr.Unavailable("http.broadcast_not_configured")

// listProgrammes lists the programmes by name (?channel=radio|tv).
func (a *api) listProgrammes(c *gin.Context) error {
	ps, err := a.bcast.FindProgrammes(c.Request.Context(), actor(c), c.Query("channel"))
	if err != nil {
		return err
	}
	respond.JSON(c, http.StatusOK, respond.NewList(ps, ""))
	return nil
}

// createProgramme adds a programme (producers, admin).
func (a *api) createProgramme(c *gin.Context) error {
	var in broadcast.ProgrammeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := a.bcast.CreateProgramme(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/programmes/"+p.ID)
	c.Header("ETag", etag(p.Version))
	respond.JSON(c, http.StatusCreated, p)
	return nil
}

// getProgramme returns one programme with its ETag.
func (a *api) getProgramme(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	p, err := a.bcast.FindProgrammeByID(c.Request.Context(), actor(c), id)
	if err != nil {
		return err
	}
	c.Header("ETag", etag(p.Version))
	respond.JSON(c, http.StatusOK, p)
	return nil
}

// updateProgramme changes a programme (If-Match required).
func (a *api) updateProgramme(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	v, err := versionIfMatch(c, apperr.T("http.noun_programme"), a.programmeVersion(c, id))
	if err != nil {
		return err
	}
	var in broadcast.ProgrammeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := a.bcast.UpdateProgramme(c.Request.Context(), actor(c), id, in, v)
	if err != nil {
		return err
	}
	c.Header("ETag", etag(p.Version))
	respond.JSON(c, http.StatusOK, p)
	return nil
}

// deleteProgramme removes a programme without rundowns (If-Match required).
func (a *api) deleteProgramme(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	v, err := versionIfMatch(c, apperr.T("http.noun_programme"), a.programmeVersion(c, id))
	if err != nil {
		return err
	}
	if err := a.bcast.DeleteProgramme(c.Request.Context(), actor(c), id, v); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// programmeVersion is the current version of programme id, which an
// If-Match of "*" stands for.
func (a *api) programmeVersion(c *gin.Context, id string) func() (int, error) {
	return func() (int, error) {
		p, err := a.bcast.FindProgrammeByID(c.Request.Context(), actor(c), id)
		if err != nil {
			return 0, err
		}
		return p.Version, nil
	}
}
