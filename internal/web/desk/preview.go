package desk

import (
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

type previewData struct {
	Headline, Sapo, Byline, Section, Date string
	Tags                                  []string
	Body                                  template.HTML
	Image                                 *assetView
}

// preview is /desk/stories/{id}/preview: the story as the public article
// page lays it out (same site.css and structure), whatever its state.
func (h *Handler) preview(c *gin.Context) error {
	ctx := c.Request.Context()
	st, err := h.stories.FindStoryByID(ctx, actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	secs, _, err := h.sectionNames(ctx)
	if err != nil {
		return err
	}
	d := previewData{Headline: st.Headline, Sapo: st.Sapo, Byline: st.Byline, Section: secs[st.SectionID].Name, Tags: st.Tags,
		Date: vntime.Format(st.UpdatedAt),
		Body: template.HTML(richtext.Sanitize(st.Body))} //nolint:gosec // sanitized by richtext, as on the public page
	if st.PublishedAt != nil {
		d.Date = vntime.Format(*st.PublishedAt)
	}
	if h.assets != nil {
		atts, err := h.assets.FindStoryAssets(ctx, st.ID)
		if err != nil {
			return err
		}
		for _, at := range atts {
			if at.Role == asset.RoleFeatured && at.Asset != nil {
				v := toAssetView(at.Asset, string(at.Role))
				v.Thumb = deskMediaURL(at.Asset.URL)
				d.Image = &v
			}
		}
	}
	h.render(c, http.StatusOK, "preview", page{Title: st.Headline, Data: d})
	return nil
}
