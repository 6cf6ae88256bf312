package desk

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// lock is POST /desk/stories/{id}/lock: the editor's heartbeat (JSON) or the
// "take over" button of the lock banner (form, takeover=1, editors only).
// story.Service.AcquireLock decides who may.
func (h *Handler) lock(c *gin.Context) error {
	id := c.Param("id")
	takeover := c.PostForm("takeover") == "1"
	l, err := h.stories.AcquireLock(c.Request.Context(), actor(c), id, takeover)
	if wantsJSON(c) {
		if err != nil {
			status, msg := h.explain(c, err)
			body := gin.H{"error": gin.H{"message": msg}}
			if e, ok := apperr.As(err); ok && e.Reason == "locked_by_other" {
				body["locked_by"] = h.tr(c, "lock.banner", lockHolder(e.Details))
			}
			c.AbortWithStatusJSON(status, body)
			return nil
		}
		c.JSON(http.StatusOK, gin.H{"username": l.Username, "expires_at": vntime.Format(l.ExpiresAt)})
		return nil
	}
	return h.afterPost(c, err, "/desk/stories/"+id+"?ok=takeover", func(status int, msg string) error {
		return h.editPage(c, status, msg, nil)
	})
}

func lockHolder(d map[string]any) string {
	if l, ok := d["lock"].(*story.Lock); ok {
		return l.Username
	}
	return "?"
}
