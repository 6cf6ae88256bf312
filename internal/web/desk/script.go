package desk

import "github.com/gin-gonic/gin"

// radioScript is /desk/rundowns/{id}/script: the announcer's printable
// script (large type, items in order with their on-air and read times, cues
// between the texts, one item per printed page). TV rundowns print the same
// way, segment by segment.
func (h *Handler) radioScript(c *gin.Context) error {
	return h.scriptPage(c, "script")
}
