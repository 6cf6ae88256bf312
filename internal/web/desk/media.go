package desk

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// media is /desk/media/{key}: originals and renditions for signed-in staff
// (the public /media answers only assets of published stories, and the
// browser sends the desk's cookie, not a bearer token).
func (h *Handler) media(c *gin.Context) error {
	key := strings.TrimPrefix(c.Param("key"), "/")
	m, err := h.assets.OpenMedia(c.Request.Context(), true, key)
	if err != nil {
		return err
	}
	defer m.Close()
	hd := c.Writer.Header()
	hd.Set("Cache-Control", "private, max-age=3600")
	hd.Set("ETag", `"`+key[strings.LastIndexByte(key, '/')+1:]+`"`)
	if m.Info.ContentType != "" {
		hd.Set("Content-Type", m.Info.ContentType)
	}
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(c.Writer, c.Request, "", m.Info.LastModified, m.Object)
	return nil
}
