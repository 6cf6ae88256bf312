package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listSections lists every desk.
func (a *api) listSections(c *gin.Context) error {
	items, err := a.stories.FindSections(c.Request.Context())
	return answerList(c, items, "", err)
}

// getSection returns one desk.
func (a *api) getSection(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	sec, err := a.stories.FindSectionByID(c.Request.Context(), id)
	return answer(c, http.StatusOK, sec, err)
}

// createSection adds a desk (admin).
func (a *api) createSection(c *gin.Context) error {
	sec, err := callWithBody(c, a.stories.CreateSection)
	if err != nil {
		return err
	}
	return answerCreated(c, "/api/v1/sections/"+sec.ID, sec)
}

// updateSection changes a desk's name or approval rule (admin).
func (a *api) updateSection(c *gin.Context) error {
	sec, err := callByIDWithBody(c, uuidID, a.stories.UpdateSection)
	return answer(c, http.StatusOK, sec, err)
}
