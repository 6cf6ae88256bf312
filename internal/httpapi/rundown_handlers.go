package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

// versionIfMatch reads the required If-Match of a programme or rundown
// change (what: the name of the thing, translated with the message); current gives the
// version that "*" stands for.
func versionIfMatch(c *gin.Context, what apperr.Phrase, current func() (int, error)) (int, error) {
	if strings.TrimSpace(c.GetHeader("If-Match")) == "" {
		return 0, apperr.PreconditionRequired("http.if_match_required", what)
	}
	v, err := ifMatch(c, true, current)
	if err != nil {
		return 0, err
	}
	return *v, nil
}

// renderRundown answers with the rundown view and its ETag.
func renderRundown(c *gin.Context, status int, v *broadcast.RundownView) {
	c.Header("ETag", etag(v.Version))
	respond.JSON(c, status, v)
}

// rundownTarget reads the rundown id and the required If-Match.
func (a *api) rundownTarget(c *gin.Context) (string, int, error) {
	id, err := pathUUID(c, "id")
	if err != nil {
		return "", 0, err
	}
	v, err := versionIfMatch(c, apperr.T("http.noun_rundown"), func() (int, error) {
		r, err := a.bcast.FindRundownView(c.Request.Context(), actor(c), id)
		if err != nil {
			return 0, err
		}
		return r.Version, nil
	})
	return id, v, err
}

// listRundowns lists rundowns by on-air time (?programme_id=&from=&to=&limit=&cursor=).
func (a *api) listRundowns(c *gin.Context) error {
	var f broadcast.RundownFilter
	var err error
	if f.ProgrammeID, err = queryUUID(c, "programme_id"); err != nil {
		return err
	}
	if f.From, err = queryTime(c, "from"); err != nil {
		return err
	}
	if f.To, err = queryTime(c, "to"); err != nil {
		return err
	}
	if f.Limit, err = queryInt(c, "limit", 50, 1, 200); err != nil {
		return err
	}
	if f.After, err = rundownCursor.Query(c); err != nil {
		return err
	}
	items, next, err := a.bcast.FindRundowns(c.Request.Context(), actor(c), f)
	if err != nil {
		return err
	}
	respond.JSON(c, http.StatusOK, respond.NewList(items, rundownCursor.Encode(next)))
	return nil
}

// createRundown starts the rundown of one airing (producers).
func (a *api) createRundown(c *gin.Context) error {
	var in broadcast.RundownInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := a.bcast.CreateRundown(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/rundowns/"+v.ID)
	renderRundown(c, http.StatusCreated, v)
	return nil
}

// getRundown returns a rundown with its items, stories, flags and timings.
func (a *api) getRundown(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	v, err := a.bcast.FindRundownView(c.Request.Context(), actor(c), id)
	if err != nil {
		return err
	}
	renderRundown(c, http.StatusOK, v)
	return nil
}

// editRundown runs a rundown change whose JSON body is an In (If-Match
// required) and answers the whole rundown with status.
func editRundown[In any](a *api, c *gin.Context, status int, change func(ctx context.Context, id string, in In, ver int) (*broadcast.RundownView, error)) error {
	id, ver, err := a.rundownTarget(c)
	if err != nil {
		return err
	}
	var in In
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := change(c.Request.Context(), id, in, ver)
	if err != nil {
		return err
	}
	renderRundown(c, status, v)
	return nil
}

// updateRundown changes the on-air time or planned length (If-Match required).
func (a *api) updateRundown(c *gin.Context) error {
	return editRundown(a, c, http.StatusOK, func(ctx context.Context, id string, in broadcast.RundownChange, ver int) (*broadcast.RundownView, error) {
		return a.bcast.UpdateRundown(ctx, actor(c), id, in, ver)
	})
}

// rundownTransition is the body of POST /rundowns/{id}/transitions.
type rundownTransition struct {
	To string `json:"to"`
}

// transitionRundown moves a rundown to another state (If-Match required).
func (a *api) transitionRundown(c *gin.Context) error {
	return editRundown(a, c, http.StatusOK, func(ctx context.Context, id string, in rundownTransition, ver int) (*broadcast.RundownView, error) {
		return a.bcast.TransitionRundown(ctx, actor(c), id, in.To, ver)
	})
}

// deleteRundown removes a rundown that has not gone on air (If-Match required).
func (a *api) deleteRundown(c *gin.Context) error {
	id, ver, err := a.rundownTarget(c)
	if err != nil {
		return err
	}
	if err := a.bcast.DeleteRundown(c.Request.Context(), actor(c), id, ver); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// insertRundownItem places a story or a free item (If-Match required); it answers the whole rundown.
func (a *api) insertRundownItem(c *gin.Context) error {
	return editRundown(a, c, http.StatusCreated, func(ctx context.Context, id string, in broadcast.ItemInput, ver int) (*broadcast.RundownView, error) {
		return a.bcast.InsertItem(ctx, actor(c), id, in, ver)
	})
}

// updateRundownItem moves an item or edits its duration, title, notes or script (If-Match required).
func (a *api) updateRundownItem(c *gin.Context) error {
	id, ver, err := a.rundownTarget(c)
	if err != nil {
		return err
	}
	itemID, err := pathUUID(c, "item_id")
	if err != nil {
		return err
	}
	var in broadcast.ItemChange
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := a.bcast.UpdateItem(c.Request.Context(), actor(c), id, itemID, in, ver)
	if err != nil {
		return err
	}
	renderRundown(c, http.StatusOK, v)
	return nil
}

// deleteRundownItem removes an item (If-Match required); it answers the whole rundown.
func (a *api) deleteRundownItem(c *gin.Context) error {
	id, ver, err := a.rundownTarget(c)
	if err != nil {
		return err
	}
	itemID, err := pathUUID(c, "item_id")
	if err != nil {
		return err
	}
	v, err := a.bcast.RemoveItem(c.Request.Context(), actor(c), id, itemID, ver)
	if err != nil {
		return err
	}
	renderRundown(c, http.StatusOK, v)
	return nil
}
