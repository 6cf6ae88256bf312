package desk

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

type attemptView struct {
	At, Error, Response string
	Status, LatencyMS   int
}

type deliveryView struct {
	ID, Where, Kind, State, LastError, ExternalID, Updated, Next string
	Version, Attempts                                            int
	CanRetry                                                     bool
	History                                                      []attemptView
}

type distributionData struct {
	Story      *story.Story
	Deliveries []deliveryView
	// Detail shows errors, receivers' ids and the attempt log
	// (distribution.SeesDeliveryDetail); the service blanks them for the others.
	Detail bool
}

// distribution is /desk/stories/{id}/distribution: where the story went,
// channel by channel and target by target (the latest delivery to each),
// with every attempt and a retry button for those the service allows them.
func (h *Handler) distribution(c *gin.Context) error {
	return h.distributionPage(c, c.Param("id"), http.StatusOK, "")
}

// storyWith finds the story of a page about one story and what list gives
// for it (its revisions, its deliveries), as the caller may see them.
func storyWith[T any](ctx context.Context, a user.Actor, stories *story.Service, storyID string,
	list func(context.Context, user.Actor, string) ([]T, error)) (*story.Story, []T, error) {
	st, err := stories.FindStoryByID(ctx, a, storyID)
	if err != nil {
		return nil, nil, err
	}
	items, err := list(ctx, a, st.ID)
	if err != nil {
		return nil, nil, err
	}
	return st, items, nil
}

func (h *Handler) distributionPage(c *gin.Context, storyID string, status int, errMsg string) error {
	ctx := c.Request.Context()
	a := actor(c)
	st, ds, err := storyWith(ctx, a, h.stories, storyID, h.dist.StoryDistribution)
	if err != nil {
		return err
	}
	d := distributionData{Story: st, Detail: distribution.SeesDeliveryDetail(a)}
	for _, dl := range ds {
		v := deliveryView{ID: dl.ID, State: string(dl.State), LastError: dl.LastError, ExternalID: dl.ExternalID,
			Updated: vntime.Format(dl.UpdatedAt), Version: dl.StoryVersion, Attempts: dl.Attempts,
			// Retry takes a dead or delivered delivery (distribution.Service.Retry);
			// one still pending or retrying is in the queue's hands.
			CanRetry: distribution.CanRedeliver(a) && (dl.State == distribution.StateDead || dl.State == distribution.StateDelivered)}
		if dl.Channel != "" {
			v.Kind, v.Where = "channel", h.tr(c, "channel."+dl.Channel)
		} else {
			v.Kind, v.Where = "target", dl.TargetName
			if v.Where == "" {
				v.Where = h.tr(c, "dist.deleted_target")
			}
		}
		v.Next = formatWhen(dl.NextAttemptAt)
		if d.Detail {
			at, err := h.dist.FindAttempts(ctx, a, dl.ID)
			if err != nil {
				return err
			}
			for _, x := range at {
				v.History = append(v.History, attemptView{At: vntime.Format(x.At), Error: x.Error, Response: x.Response, Status: x.StatusCode, LatencyMS: x.LatencyMS})
			}
		}
		d.Deliveries = append(d.Deliveries, v)
	}
	flash := ""
	if c.Query("ok") == "retry" {
		flash = h.tr(c, "dist.flash.retry")
	}
	h.render(c, status, "distribution", page{Title: h.tr(c, "dist.title", st.Headline), Nav: "story", Flash: flash, Error: errMsg, Data: d})
	return nil
}

// retryDelivery is POST /desk/deliveries/{id}/retry (distribution.Service.Retry);
// the form's story field says which panel to show again.
func (h *Handler) retryDelivery(c *gin.Context) error {
	storyID := c.PostForm("story")
	d, err := h.dist.Retry(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		if storyID == "" {
			return err
		}
		status, msg := h.explain(c, err)
		return h.distributionPage(c, storyID, status, msg)
	}
	c.Redirect(http.StatusSeeOther, "/desk/stories/"+d.StoryID+"/distribution?ok=retry")
	return nil
}
