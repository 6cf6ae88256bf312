package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listComments lists a story's editorial notes, oldest first.
func (a *api) listComments(c *gin.Context) error {
	return listByID(c, uuidID, a.stories.FindComments)
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
	in, err := decode[commentRequest](c)
	if err != nil {
		return err
	}
	cm, err := a.stories.AddComment(c.Request.Context(), actor(c), id, in.Body)
	return answer(c, http.StatusCreated, cm, err)
}
