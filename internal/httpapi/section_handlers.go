package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/story"
)

// listSections lists every desk.
func (a *api) listSections(c *gin.Context) {
	items, err := a.stories.FindSections(c.Request.Context())
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, newList(items, ""))
}

// getSection returns one desk.
func (a *api) getSection(c *gin.Context) {
	id, err := pathUUID(c, "id")
	if err != nil {
		writeError(c, err)
		return
	}
	sec, err := a.stories.FindSectionByID(c.Request.Context(), id)
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, sec)
}

// createSection adds a desk (admin).
func (a *api) createSection(c *gin.Context) {
	var in story.SectionInput
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, err)
		return
	}
	sec, err := a.stories.CreateSection(c.Request.Context(), actor(c), in)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Header("Location", "/api/v1/sections/"+sec.ID)
	render(c, http.StatusCreated, sec)
}

// updateSection changes a desk's name or approval rule (admin).
func (a *api) updateSection(c *gin.Context) {
	id, err := pathUUID(c, "id")
	if err != nil {
		writeError(c, err)
		return
	}
	var in story.SectionInput
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, err)
		return
	}
	sec, err := a.stories.UpdateSection(c.Request.Context(), actor(c), id, in)
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, sec)
}
