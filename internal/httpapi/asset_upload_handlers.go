package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

// startUpload opens a direct upload and answers where to send each part.
func (a *api) startUpload(c *gin.Context) error {
	u, err := callWithBody(c, a.assets.StartUpload)
	if err != nil {
		return err
	}
	return answerCreated(c, "/api/v1/assets/uploads/"+u.ID, u)
}

// putUploadPart receives one part through the server.
func (a *api) putUploadPart(c *gin.Context) error {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil {
		return apperr.InvalidField("n", "http.part_number_invalid", c.Param("n"))
	}
	if c.Request.ContentLength < 0 {
		return apperr.InvalidField("Content-Length", "http.content_length_required")
	}
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetReadDeadline(time.Time{})
	etag, err := a.assets.PutUploadPart(c.Request.Context(), actor(c), c.Param("id"), n, c.Request.ContentLength, c.Request.Body)
	if err != nil {
		return err
	}
	c.Header("ETag", `"`+etag+`"`)
	respond.JSON(c, http.StatusOK, gin.H{"part_number": n, "etag": etag})
	return nil
}

// completeUpload joins the parts, checks them and registers the asset.
func (a *api) completeUpload(c *gin.Context) error {
	var req struct {
		Parts []asset.CompletedPart `json:"parts"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	// Reading a multi-gigabyte object back to hash it outlives http.write_timeout.
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Time{})
	as, err := a.assets.CompleteUpload(c.Request.Context(), actor(c), c.Param("id"), req.Parts)
	if err != nil {
		return err
	}
	return answerCreated(c, "/api/v1/assets/"+as.ID, as)
}

// abortUpload cancels an unfinished direct upload and removes its parts.
func (a *api) abortUpload(c *gin.Context) error {
	return removeByID(c, rawID, a.assets.AbortUpload)
}
