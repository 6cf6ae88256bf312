package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
)

// renderRundown answers with the rundown view and its ETag, or returns err
// when the call that gave the view failed.
func renderRundown(c *gin.Context, status int, v *broadcast.RundownView, err error) error {
	if err != nil {
		return err
	}
	return answerVersioned(c, status, v, v.Version)
}

// rundownTarget reads the rundown id and the required If-Match.
func (a *api) rundownTarget(c *gin.Context) (string, int, error) {
	return versionedTarget(c, apperr.T("http.noun_rundown"), a.bcast.FindRundownView, func(r *broadcast.RundownView) int { return r.Version })
}

// listRundowns lists rundowns by on-air time (?programme_id=&from=&to=&limit=&cursor=).
func (a *api) listRundowns(c *gin.Context) error {
	var f broadcast.RundownFilter
	var err error
	if f.ProgrammeID, err = queryUUID(c, "programme_id"); err != nil {
		return err
	}
	if f.From, f.To, err = queryPeriod(c, "from", "to"); err != nil {
		return err
	}
	if f.Limit, f.After, err = queryPage(c, rundownCursor, 50, 200); err != nil {
		return err
	}
	items, next, err := a.bcast.FindRundowns(c.Request.Context(), actor(c), f)
	return answerList(c, items, rundownCursor.Encode(next), err)
}

// createRundown starts the rundown of one airing (producers).
func (a *api) createRundown(c *gin.Context) error {
	v, err := callWithBody(c, a.bcast.CreateRundown)
	if err == nil {
		c.Header("Location", "/api/v1/rundowns/"+v.ID)
	}
	return renderRundown(c, http.StatusCreated, v, err)
}

// getRundown returns a rundown with its items, stories, flags and timings.
func (a *api) getRundown(c *gin.Context) error {
	v, err := callByID(c, uuidID, a.bcast.FindRundownView)
	return renderRundown(c, http.StatusOK, v, err)
}

// editRundown runs a rundown change whose JSON body is an In (If-Match
// required) and answers the whole rundown with status.
func editRundown[In any](a *api, c *gin.Context, status int, change func(ctx context.Context, id string, in In, ver int) (*broadcast.RundownView, error)) error {
	id, ver, err := a.rundownTarget(c)
	if err != nil {
		return err
	}
	in, err := decode[In](c)
	if err != nil {
		return err
	}
	v, err := change(c.Request.Context(), id, in, ver)
	return renderRundown(c, status, v, err)
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
	return noContent(c, a.bcast.DeleteRundown(c.Request.Context(), actor(c), id, ver))
}

// insertRundownItem places a story or a free item (If-Match required); it answers the whole rundown.
func (a *api) insertRundownItem(c *gin.Context) error {
	return editRundown(a, c, http.StatusCreated, func(ctx context.Context, id string, in broadcast.ItemInput, ver int) (*broadcast.RundownView, error) {
		return a.bcast.InsertItem(ctx, actor(c), id, in, ver)
	})
}

// rundownItemTarget reads the rundown id, the required If-Match and the
// item id of an item change.
func (a *api) rundownItemTarget(c *gin.Context) (id, itemID string, ver int, err error) {
	if id, ver, err = a.rundownTarget(c); err != nil {
		return "", "", 0, err
	}
	itemID, err = pathUUID(c, "item_id")
	return id, itemID, ver, err
}

// updateRundownItem moves an item or edits its duration, title, notes or script (If-Match required).
func (a *api) updateRundownItem(c *gin.Context) error {
	id, itemID, ver, err := a.rundownItemTarget(c)
	if err != nil {
		return err
	}
	in, err := decode[broadcast.ItemChange](c)
	if err != nil {
		return err
	}
	v, err := a.bcast.UpdateItem(c.Request.Context(), actor(c), id, itemID, in, ver)
	return renderRundown(c, http.StatusOK, v, err)
}

// deleteRundownItem removes an item (If-Match required); it answers the whole rundown.
func (a *api) deleteRundownItem(c *gin.Context) error {
	id, itemID, ver, err := a.rundownItemTarget(c)
	if err != nil {
		return err
	}
	v, err := a.bcast.RemoveItem(c.Request.Context(), actor(c), id, itemID, ver)
	return renderRundown(c, http.StatusOK, v, err)
}
