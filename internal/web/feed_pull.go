package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/site"
)

// PullFeeds authenticates the per-target pull feeds (distribution.Service).
type PullFeeds interface {
	// FeedTarget returns the active rss target for a feed id and token:
	// Unauthenticated without a token, NotFound for an unknown target or a
	// wrong token alike, Gone for a switched-off target.
	FeedTarget(ctx context.Context, id, token string) (*distribution.Target, error)
}

// maxPullPages bounds how many pages of the latest stories a filtered pull
// feed reads to fill its 50 items (100 stories a page).
const maxPullPages = 20

// pullFeed is /feeds/{target-id}.rss?token=...: RSS 2.0 of the latest 50
// published stories that match the target's filter (sections, channels,
// tags), with the body in content:encoded when the target's format is full.
// The token is checked before the cache is looked at; the cached feed is
// keyed on the target (and its last change) and the site generation, so a
// kill or correction shows on the next pull.
func (h *Handler) pullFeed(c *gin.Context) error {
	id, ok := strings.CutSuffix(c.Param("file"), ".rss")
	if !ok || h.pull == nil {
		return apperr.NotFound("web.no_such_feed")
	}
	t, err := h.pull.FeedTarget(c.Request.Context(), id, c.Query("token"))
	if err != nil {
		return err
	}
	key := "pullfeed " + t.ID + " " + strconv.FormatInt(t.UpdatedAt.UnixNano(), 10)
	return h.serve(c, key, func(c *gin.Context) (*answer, error) {
		items, err := h.targetItems(c.Request.Context(), t)
		if err != nil {
			return nil, err
		}
		a, err := h.rssAnswer(items, t.Name+" - "+h.opts.Site.Name, "/", distribution.FeedPath(t.ID), t.Format == distribution.FormatFull)
		if a != nil {
			a.private = true
		}
		return a, err
	})
}

// targetItems lists the latest published stories the target wants. A
// single section or tag narrows the query itself; other filters are
// applied to the pages read.
func (h *Handler) targetItems(ctx context.Context, t *distribution.Target) ([]site.Article, error) {
	q := site.Query{Limit: site.MaxLimit}
	if len(t.Sections) == 1 {
		secs, err := h.site.Sections(ctx)
		if err != nil {
			return nil, err
		}
		q.SectionID = "-" // a section that no longer exists matches nothing
		for _, s := range secs {
			if s.ID == t.Sections[0] || s.Slug == t.Sections[0] {
				q.SectionID = s.ID
			}
		}
	}
	if len(t.Tags) == 1 {
		q.Tag = t.Tags[0]
	}
	out := []site.Article{}
	for range maxPullPages {
		items, next, err := h.site.Latest(ctx, q)
		if err != nil {
			return nil, err
		}
		for i := range items {
			if t.Matches(&items[i].Story, items[i].Section.Slug) {
				out = append(out, items[i])
				if len(out) == FeedItems {
					return out, nil
				}
			}
		}
		if next == nil {
			break
		}
		q.After = next
	}
	return out, nil
}
