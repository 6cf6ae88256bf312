package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// revisionSummary is a revision in the list, without its snapshot: the list
// is the story's history, and a snapshot is one request away.
type revisionSummary struct {
	Number   int            `json:"number"`
	At       time.Time      `json:"at"`
	ActorID  string         `json:"actor_id"`
	Actor    string         `json:"actor_username,omitempty"`
	Action   string         `json:"action"`
	Comment  string         `json:"comment"`
	State    workflow.State `json:"state"`
	Headline string         `json:"headline"`
}

// listRevisions lists a story's revisions, newest first.
func (a *api) listRevisions(c *gin.Context) error {
	revs, err := callByID(c, uuidID, a.stories.FindRevisions)
	if err != nil {
		return err
	}
	items := make([]revisionSummary, 0, len(revs))
	for _, r := range revs {
		items = append(items, revisionSummary{Number: r.Number, At: r.At, ActorID: r.ActorID, Actor: r.Actor, Action: r.Action,
			Comment: r.Comment, State: r.Snapshot.State, Headline: r.Snapshot.Headline})
	}
	return answerList(c, items, "", nil)
}

// getRevision returns one revision with its full snapshot.
func (a *api) getRevision(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	n, err := pathInt(c, "n")
	if err != nil {
		return err
	}
	rev, err := a.stories.FindRevision(c.Request.Context(), actor(c), id, n)
	return answer(c, http.StatusOK, rev, err)
}

// diffRevisions compares two revisions field by field.
func (a *api) diffRevisions(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	from, err := revisionParam(c, "from")
	if err != nil {
		return err
	}
	to, err := revisionParam(c, "to")
	if err != nil {
		return err
	}
	d, err := a.stories.DiffRevisions(c.Request.Context(), actor(c), id, from, to)
	return answer(c, http.StatusOK, d, err)
}

// revisionParam reads a required revision number from the query.
func revisionParam(c *gin.Context, name string) (int, error) {
	n, err := strconv.Atoi(c.Query(name))
	if err != nil || n < 1 {
		return 0, apperr.InvalidField(name, "http.revision_not_positive", name)
	}
	return n, nil
}

// listApprovals lists a story's live signatures.
func (a *api) listApprovals(c *gin.Context) error {
	return listByID(c, uuidID, a.stories.FindApprovals)
}
