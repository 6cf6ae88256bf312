package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
)

// uploadPartRoute is the server's part route of direct uploads (local
// backend); its body is bounded by the part size, not http.max_body_bytes.
const uploadPartRoute = "/api/v1/assets/uploads/:id/parts/:n"

// startUpload opens a direct upload and answers where to send each part.
func (a *api) startUpload(c *gin.Context) {
	if a.assets == nil {
		writeError(c, errNoAssets)
		return
	}
	var req asset.StartUploadRequest
	if err := decodeJSON(c, &req); err != nil {
		writeError(c, err)
		return
	}
	u, err := a.assets.StartUpload(c.Request.Context(), actor(c), req)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Header("Location", "/api/v1/assets/uploads/"+u.ID)
	render(c, http.StatusCreated, u)
}

// putUploadPart receives one part through the server.
func (a *api) putUploadPart(c *gin.Context) {
	if a.assets == nil {
		writeError(c, errNoAssets)
		return
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil {
		writeError(c, apperr.InvalidField("n", "Số thứ tự phần %q không hợp lệ (part number must be an integer)", c.Param("n")))
		return
	}
	if c.Request.ContentLength < 0 {
		writeError(c, apperr.InvalidField("Content-Length", "Cần tiêu đề Content-Length bằng kích thước phần (send Content-Length with the part's size)"))
		return
	}
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetReadDeadline(time.Time{})
	etag, err := a.assets.PutUploadPart(c.Request.Context(), actor(c), c.Param("id"), n, c.Request.ContentLength, c.Request.Body)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Header("ETag", `"`+etag+`"`)
	render(c, http.StatusOK, gin.H{"part_number": n, "etag": etag})
}

// completeUpload joins the parts, checks them and registers the asset.
func (a *api) completeUpload(c *gin.Context) {
	if a.assets == nil {
		writeError(c, errNoAssets)
		return
	}
	var req struct {
		Parts []asset.CompletedPart `json:"parts"`
	}
	if err := decodeJSON(c, &req); err != nil {
		writeError(c, err)
		return
	}
	// Reading a multi-gigabyte object back to hash it outlives http.write_timeout.
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Time{})
	as, err := a.assets.CompleteUpload(c.Request.Context(), actor(c), c.Param("id"), req.Parts)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Header("Location", "/api/v1/assets/"+as.ID)
	render(c, http.StatusCreated, as)
}

// abortUpload cancels an unfinished direct upload and removes its parts.
func (a *api) abortUpload(c *gin.Context) {
	if a.assets == nil {
		writeError(c, errNoAssets)
		return
	}
	if err := a.assets.AbortUpload(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
