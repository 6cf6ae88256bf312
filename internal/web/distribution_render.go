package web

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/newsroom-vn/newsroom/internal/distribution"
)

// DistributionRenderer returns the representations webhooks send: the same
// ninjs 3.1 item and compact JSON as the content API (a killed story comes
// out with pubStatus canceled), built without an HTTP request.
func (h *Handler) DistributionRenderer() distribution.Renderer { return renderer{h} }

type renderer struct{ h *Handler }

// Render writes the story (published or killed) in the format.
func (r renderer) Render(ctx context.Context, storyID string, f distribution.Format) ([]byte, error) {
	a, err := r.h.site.ArticleByKey(ctx, storyID)
	if err != nil {
		return nil, err
	}
	var v any = r.h.toContent(a, true)
	if f == distribution.FormatNinjs {
		n := r.h.toNinjs(a)
		n.Version = fmt.Sprint(a.Version)
		v = n
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("web: render story %s: %w", storyID, err)
	}
	return b, nil
}
