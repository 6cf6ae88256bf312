package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// radioScript is /desk/rundowns/{id}/script: the announcer's printable
// script (large type, items in order with their on-air and read times, cues
// between the texts, one item per printed page). TV rundowns print the same
// way, segment by segment.
func (h *Handler) radioScript(c *gin.Context) error {
	v, err := h.bcast.FindRundownView(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	b, err := h.renderStandalone(c, "script", "script", page{Title: v.Programme.Name, Data: toScript(v)})
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", b)
	return nil
}
