package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listComments lists a story's editorial notes, oldest first.
func (a *api) listComments(c *gin.Context) {
	id, err := pathUUID(c, "id")
	if err != nil {
		writeError(c, err)
		return
	}
	items, err := a.stories.FindComments(c.Request.Context(), actor(c), id)
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusOK, newList(items, ""))
}

type commentRequest struct {
	Body string `json:"body"`
}

// addComment adds an editorial note.
func (a *api) addComment(c *gin.Context) {
	id, err := pathUUID(c, "id")
	if err != nil {
		writeError(c, err)
		return
	}
	var in commentRequest
	if err := decodeJSON(c, &in); err != nil {
		writeError(c, err)
		return
	}
	cm, err := a.stories.AddComment(c.Request.Context(), actor(c), id, in.Body)
	if err != nil {
		writeError(c, err)
		return
	}
	render(c, http.StatusCreated, cm)
}
