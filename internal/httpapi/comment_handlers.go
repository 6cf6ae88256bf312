package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

// listComments lists a story's editorial notes, oldest first.
func (a *api) listComments(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	items, err := a.stories.FindComments(c.Request.Context(), actor(c), id)
	if err != nil {
		return err
	}
	respond.JSON(c, http.StatusOK, respond.NewList(items, ""))
	return nil
}

type commentRequest struct {
	Body string `json:"body"`
}

// addComment adds an editorial note.
func (a *api) addComment(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	var in commentRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cm, err := a.stories.AddComment(c.Request.Context(), actor(c), id, in.Body)
	if err != nil {
		return err
	}
	respond.JSON(c, http.StatusCreated, cm)
	return nil
}
