package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// listSections lists every desk.
func (a *api) listSections(c *gin.Context) error {
	items, err := a.stories.FindSections(c.Request.Context())
	if err != nil {
		return err
	}
	respond.JSON(c, http.StatusOK, respond.NewList(items, ""))
	return nil
}

// getSection returns one desk.
func (a *api) getSection(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	sec, err := a.stories.FindSectionByID(c.Request.Context(), id)
	if err != nil {
		return err
	}
	respond.JSON(c, http.StatusOK, sec)
	return nil
}

// createSection adds a desk (admin).
func (a *api) createSection(c *gin.Context) error {
	var in story.SectionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	sec, err := a.stories.CreateSection(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/sections/"+sec.ID)
	respond.JSON(c, http.StatusCreated, sec)
	return nil
}

// updateSection changes a desk's name or approval rule (admin).
func (a *api) updateSection(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	var in story.SectionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	sec, err := a.stories.UpdateSection(c.Request.Context(), actor(c), id, in)
	if err != nil {
		return err
	}
	respond.JSON(c, http.StatusOK, sec)
	return nil
}
