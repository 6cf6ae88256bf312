package desk

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
)

// uploadAsset is POST /desk/stories/{id}/assets: the editor's drag-and-drop
// upload (multipart "file" part, CSRF in the header), streamed to storage by
// asset.Service.Upload. The answer is the new asset; the editor attaches it
// to the story with its next versioned save.
func (h *Handler) uploadAsset(c *gin.Context) error {
	if _, err := h.stories.FindStoryByID(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		return err
	}
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetReadDeadline(time.Time{})
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return apperr.UnsupportedMedia("desk.multipart")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return apperr.Invalid("desk.no_file")
		}
		if err != nil {
			return apperr.Invalid("desk.multipart")
		}
		if part.FormName() != "file" {
			continue
		}
		_, params, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		in := asset.Upload{Filename: params["filename"], DeclaredType: part.Header.Get("Content-Type")}
		as, err := h.assets.Upload(c.Request.Context(), actor(c), in, part)
		if err != nil {
			return err
		}
		c.JSON(http.StatusCreated, toAssetView(as, string(asset.RoleGallery)))
		return nil
	}
}

// assetMeta is what the assets panel edits.
type assetMeta struct {
	Caption *string `json:"caption"`
	Credit  *string `json:"credit"`
	Alt     *string `json:"alt"`
}

// updateAsset is POST /desk/assets/{id} (JSON): caption, credit and alt text
// through asset.Service.UpdateAsset.
func (h *Handler) updateAsset(c *gin.Context) error {
	var m assetMeta
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return apperr.Invalid("desk.bad_json", err.Error())
	}
	as, err := h.assets.UpdateAsset(c.Request.Context(), actor(c), c.Param("id"), asset.Meta{Caption: m.Caption, Credit: m.Credit, Alt: m.Alt})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, toAssetView(as, ""))
	return nil
}
