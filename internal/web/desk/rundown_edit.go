package desk

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// The rundown changes: each is one broadcast.Service call at the version the
// producer saw (If-Match from the page's script, else the form's hidden
// version). Scripts get the new live part of the page as JSON; plain forms
// go back to the page. A stale version answers 412 with the service's
// message and, for scripts, the fresh rundown.

// rundownVersion reads If-Match, else the form's version field.
func (h *Handler) rundownVersion(c *gin.Context) (int, bool) {
	s := strings.Trim(strings.TrimPrefix(strings.TrimSpace(c.GetHeader("If-Match")), "W/"), `"`)
	if s == "" {
		s = c.PostForm("version")
	}
	if s == "" {
		h.rundownError(c, http.StatusPreconditionRequired, h.tr(c, "error.if_match"))
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		h.rundownError(c, http.StatusBadRequest, h.tr(c, "error.version"))
		return 0, false
	}
	return v, true
}

// rundownError answers a refused change: JSON for scripts (with the fresh
// rundown after a 412), the rundown page with the message otherwise.
func (h *Handler) rundownError(c *gin.Context, status int, msg string) {
	if wantsJSON(c) {
		body := gin.H{"error": gin.H{"message": msg}}
		if status == http.StatusPreconditionFailed {
			if v, err := h.bcast.FindRundownView(c.Request.Context(), actor(c), c.Param("id")); err == nil {
				if html, err := h.fragment(c, v); err == nil {
					body["version"], body["html"] = v.Version, html
				}
			}
		}
		c.AbortWithStatusJSON(status, body)
		return
	}
	if status == http.StatusNotFound || status == http.StatusForbidden {
		h.fail(c, status, msg)
		return
	}
	if err := h.renderRundown(c, status, msg, nil); err != nil {
		h.errs().Error(c, err)
	}
	c.Abort()
}

// rundownChanged answers a change that went through.
func (h *Handler) rundownChanged(c *gin.Context, v *broadcast.RundownView, err error, ok string) error {
	if err != nil {
		status, msg := h.explain(c, err)
		h.rundownError(c, status, msg)
		return nil
	}
	if wantsJSON(c) {
		c.Header("X-Rundown-Version", strconv.Itoa(v.Version))
		return h.answerFragment(c, http.StatusOK, v, h.tr(c, "rundown.flash."+ok))
	}
	c.Redirect(http.StatusSeeOther, "/desk/rundowns/"+v.ID+"?ok="+ok)
	return nil
}

// changeRundown reads the version a change is made against, runs change
// with it and answers what it gives; what names the change in the flash
// message. Insert and update, which may refuse a form field after reading
// the version, take these steps themselves.
func (h *Handler) changeRundown(c *gin.Context, what string, change func(ctx context.Context, a user.Actor, ver int) (*broadcast.RundownView, error)) error {
	ver, ok := h.rundownVersion(c)
	if !ok {
		return nil
	}
	v, err := change(c.Request.Context(), actor(c), ver)
	return h.rundownChanged(c, v, err, what)
}

// seconds reads an optional duration field; ok is false (and the answer sent) when it is not one.
func (h *Handler) optSeconds(c *gin.Context, field string) (*int, bool) {
	s := strings.TrimSpace(c.PostForm(field))
	if s == "" {
		return nil, true
	}
	n, ok := parseDur(s)
	if !ok {
		h.rundownError(c, http.StatusBadRequest, h.tr(c, "rundown.bad_duration", s))
		return nil, false
	}
	return &n, true
}

func optText(c *gin.Context, field string) *string {
	if v, ok := c.GetPostForm(field); ok {
		return &v
	}
	return nil
}

// insertRundownItem is POST /desk/rundowns/{id}/items: a story (story_id) or a free item (kind, title, planned, script).
func (h *Handler) insertRundownItem(c *gin.Context) error {
	ver, ok := h.rundownVersion(c)
	if !ok {
		return nil
	}
	in := broadcast.ItemInput{Kind: c.PostForm("kind"), StoryID: strings.TrimSpace(c.PostForm("story_id")), Notes: optText(c, "notes")}
	if in.Kind == "" {
		in.Kind = string(broadcast.KindStory)
	}
	if in.Kind != string(broadcast.KindStory) {
		if t := strings.TrimSpace(c.PostForm("title")); t != "" {
			in.Title = &t
		}
		in.Script = optText(c, "script")
	}
	if in.PlannedSeconds, ok = h.optSeconds(c, "planned"); !ok {
		return nil
	}
	v, err := h.bcast.InsertItem(c.Request.Context(), actor(c), c.Param("id"), in, ver)
	return h.rundownChanged(c, v, err, "added")
}

// updateRundownItem is POST /desk/rundowns/{id}/items/{item}: position (move) and/or planned (duration).
func (h *Handler) updateRundownItem(c *gin.Context) error {
	ver, ok := h.rundownVersion(c)
	if !ok {
		return nil
	}
	var ch broadcast.ItemChange
	if s := strings.TrimSpace(c.PostForm("position")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			h.rundownError(c, http.StatusBadRequest, h.tr(c, "rundown.bad_position", s))
			return nil
		}
		ch.Position = &n
	}
	if ch.PlannedSeconds, ok = h.optSeconds(c, "planned"); !ok {
		return nil
	}
	if t := optText(c, "title"); t != nil {
		ch.Title = t
	}
	ch.Notes = optText(c, "notes")
	what := "saved"
	if ch.Position != nil {
		what = "moved"
	}
	v, err := h.bcast.UpdateItem(c.Request.Context(), actor(c), c.Param("id"), c.Param("item"), ch, ver)
	return h.rundownChanged(c, v, err, what)
}

// removeRundownItem is POST /desk/rundowns/{id}/items/{item}/remove.
func (h *Handler) removeRundownItem(c *gin.Context) error {
	return h.changeRundown(c, "removed", func(ctx context.Context, a user.Actor, ver int) (*broadcast.RundownView, error) {
		return h.bcast.RemoveItem(ctx, a, c.Param("id"), c.Param("item"), ver)
	})
}

// transitionRundown is POST /desk/rundowns/{id}/state with to=ready|on_air|done|planned.
func (h *Handler) transitionRundown(c *gin.Context) error {
	return h.changeRundown(c, "state", func(ctx context.Context, a user.Actor, ver int) (*broadcast.RundownView, error) {
		return h.bcast.TransitionRundown(ctx, a, c.Param("id"), c.PostForm("to"), ver)
	})
}
