package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
)

// listProgrammes lists the programmes by name (?channel=radio|tv).
func (a *api) listProgrammes(c *gin.Context) error {
	ps, err := a.bcast.FindProgrammes(c.Request.Context(), actor(c), c.Query("channel"))
	return answerList(c, ps, "", err)
}

// createProgramme adds a programme (producers, admin).
func (a *api) createProgramme(c *gin.Context) error {
	p, err := callWithBody(c, a.bcast.CreateProgramme)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/programmes/"+p.ID)
	return answerVersioned(c, http.StatusCreated, p, p.Version)
}

// getProgramme returns one programme with its ETag.
func (a *api) getProgramme(c *gin.Context) error {
	p, err := callByID(c, uuidID, a.bcast.FindProgrammeByID)
	if err != nil {
		return err
	}
	return answerVersioned(c, http.StatusOK, p, p.Version)
}

// updateProgramme changes a programme (If-Match required).
func (a *api) updateProgramme(c *gin.Context) error {
	id, v, err := a.programmeTarget(c)
	if err != nil {
		return err
	}
	in, err := decode[broadcast.ProgrammeInput](c)
	if err != nil {
		return err
	}
	p, err := a.bcast.UpdateProgramme(c.Request.Context(), actor(c), id, in, v)
	if err != nil {
		return err
	}
	return answerVersioned(c, http.StatusOK, p, p.Version)
}

// deleteProgramme removes a programme without rundowns (If-Match required).
func (a *api) deleteProgramme(c *gin.Context) error {
	id, v, err := a.programmeTarget(c)
	if err != nil {
		return err
	}
	return noContent(c, a.bcast.DeleteProgramme(c.Request.Context(), actor(c), id, v))
}

// programmeTarget reads the programme id and the required If-Match.
func (a *api) programmeTarget(c *gin.Context) (string, int, error) {
	return versionedTarget(c, apperr.T("http.noun_programme"), a.bcast.FindProgrammeByID, func(p *broadcast.Programme) int { return p.Version })
}
