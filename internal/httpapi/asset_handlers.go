package httpapi

import (
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
)

// maxFormField is the largest metadata field accepted beside an upload.
const maxFormField = 16 << 10

// uploadAsset streams one file (the "file" part of a multipart/form-data
// body) into storage. Metadata fields must come before the file part; the
// file is never held whole in memory.
func (a *api) uploadAsset(c *gin.Context) error {
	// A large upload over a slow link outlives http.read_timeout; the size
	// limit of its kind bounds it instead.
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return apperr.UnsupportedMedia("http.multipart_required", err)
	}
	var in asset.Upload
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return apperr.InvalidField("file", "http.file_part_missing")
		}
		if err != nil {
			return apperr.Invalid("http.multipart_malformed", err).WithReason("upload_interrupted")
		}
		name := part.FormName()
		if name == "file" {
			_, params, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
			in.Filename = params["filename"] // raw: Part.FileName would hide path separators
			in.DeclaredType = part.Header.Get("Content-Type")
			as, err := a.assets.Upload(c.Request.Context(), actor(c), in, part)
			if err != nil {
				return err
			}
			return answerCreated(c, "/api/v1/assets/"+as.ID, as)
		}
		v, err := io.ReadAll(io.LimitReader(part, maxFormField+1))
		if err != nil {
			return apperr.Invalid("http.multipart_truncated", err).WithReason("upload_interrupted")
		}
		if len(v) > maxFormField {
			return apperr.InvalidField(name, "http.form_field_too_long", name, maxFormField)
		}
		if err := setFormMeta(&in.Meta, name, string(v)); err != nil {
			return err
		}
	}
}

// setFormMeta reads one metadata field of the upload form.
func setFormMeta(m *asset.Meta, name, v string) error {
	str := func(dst **string) { *dst = &v }
	switch name {
	case "title":
		str(&m.Title)
	case "caption":
		str(&m.Caption)
	case "credit":
		str(&m.Credit)
	case "copyright":
		str(&m.Copyright)
	case "usage_terms":
		str(&m.UsageTerms)
	case "alt":
		str(&m.Alt)
	case "source":
		s := asset.Source(v)
		m.Source = &s
	case "keywords":
		kw := []string{}
		if m.Keywords != nil {
			kw = *m.Keywords
		}
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k != "" {
				kw = append(kw, k)
			}
		}
		m.Keywords = &kw
	default:
		return apperr.InvalidField(name, "http.form_field_unknown", name)
	}
	return nil
}

// getAsset answers one asset with its renditions.
func (a *api) getAsset(c *gin.Context) error {
	return answerByID(c, http.StatusOK, rawID, a.assets.FindAssetByID)
}

// updateAsset changes an asset's description.
func (a *api) updateAsset(c *gin.Context) error {
	as, err := callByIDWithBody(c, rawID, a.assets.UpdateAsset)
	return answer(c, http.StatusOK, as, err)
}

// deleteAsset removes an asset (409 while a published story uses it).
func (a *api) deleteAsset(c *gin.Context) error {
	return removeByID(c, rawID, a.assets.DeleteAsset)
}

// listAssets searches assets, newest first, with keyset pagination.
func (a *api) listAssets(c *gin.Context) error {
	var f asset.Filter
	var err error
	f.Query = c.Query("q")
	if k := c.Query("kind"); k != "" {
		f.Kind = asset.Kind(k)
		if !containsKind(f.Kind) {
			return apperr.InvalidField("kind", "http.asset_kind_unknown", k)
		}
	}
	if f.UploaderID, err = queryUUID(c, "uploader"); err != nil {
		return err
	}
	if f.From, f.To, err = queryPeriod(c, "created_from", "created_to"); err != nil {
		return err
	}
	if f.Limit, f.After, err = queryPage(c, assetCursor, 50, 200); err != nil {
		return err
	}
	items, next, err := a.assets.FindAssets(c.Request.Context(), actor(c), f)
	return answerList(c, items, assetCursor.Encode(next), err)
}

func containsKind(k asset.Kind) bool {
	for _, v := range asset.Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// serveMedia serves an original or a rendition with Range, ETag and
// Last-Modified. Assets not attached to a published story are for staff only
// (a valid Authorization header); the public gets 404.
func (a *api) serveMedia(c *gin.Context) error {
	staff := false
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") {
			return apperr.Unauthenticated("http.bearer_required")
		}
		if _, err := a.users.Authenticate(c.Request.Context(), strings.TrimSpace(token), c.ClientIP()); err != nil {
			return err
		}
		staff = true
	}
	key := strings.TrimPrefix(c.Param("key"), "/")
	m, err := a.assets.OpenMedia(c.Request.Context(), staff, key)
	if err != nil {
		return err
	}
	defer m.Close()
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Time{})
	h := c.Writer.Header()
	// The key names the content (its SHA-256), so the bytes under it never change.
	h.Set("ETag", `"`+key[strings.LastIndexByte(key, '/')+1:]+`"`)
	if m.Public {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "private, max-age=3600")
		h.Set("Vary", "Authorization")
	}
	if m.Info.ContentType != "" {
		h.Set("Content-Type", m.Info.ContentType)
	}
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(c.Writer, c.Request, "", m.Info.LastModified, m.Object)
	return nil
}
