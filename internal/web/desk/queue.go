package desk

import (
	"net/http"
	"sort"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// queueStates are the queue's state filters in workflow order, with the
// desk's "awaiting sign-off" between in edit and approved.
var queueStates = []string{string(workflow.Draft), string(workflow.Submitted), string(workflow.InEdit), awaitingSignoff,
	string(workflow.Approved), string(workflow.Scheduled), string(workflow.Published), string(workflow.Killed)}

// activeStates are shown when no state filter is chosen: the work in hand.
var activeStates = []string{string(workflow.Submitted), string(workflow.InEdit), awaitingSignoff, string(workflow.Approved), string(workflow.Scheduled)}

// countCap is how many stories per state the queue counts before showing "200+".
const countCap = 200

type stateCount struct {
	State  string
	Count  int
	More   bool
	Active bool
}

type sectionOption struct {
	ID, Name string
	Selected bool
}

type queueData struct {
	Counts   []stateCount
	Sections []sectionOption
	State    string
	Section  string
	Rows     []storyRow
	CanWrite bool
}

// queue is /desk/queue?section=&state=: the stories this person may read, by
// state, with counts per state and who is editing what.
func (h *Handler) queue(c *gin.Context) error {
	ctx := c.Request.Context()
	a := actor(c)
	secs, secList, err := h.sectionNames(ctx)
	if err != nil {
		return err
	}
	d := queueData{Section: c.Query("section"), State: c.Query("state"), CanWrite: story.CanCreate(a)}
	if d.Section != "" {
		if _, ok := secs[d.Section]; !ok {
			return apperr.Invalid("desk.bad_section")
		}
	}
	if d.State != "" && !contains(queueStates, d.State) {
		return apperr.Invalid("desk.bad_state", d.State)
	}
	for _, s := range secList {
		d.Sections = append(d.Sections, sectionOption{ID: s.ID, Name: s.Name, Selected: s.ID == d.Section})
	}
	byState := map[string][]story.Story{}
	more := map[string]bool{}
	for _, st := range workflow.States {
		items, next, err := h.stories.FindStories(ctx, a, story.Filter{States: []workflow.State{st}, SectionID: d.Section, Limit: countCap})
		if err != nil {
			return err
		}
		if st != workflow.InEdit {
			byState[string(st)], more[string(st)] = items, next != nil
			continue
		}
		for _, it := range items {
			ds, err := h.displayState(ctx, a, &it)
			if err != nil {
				return err
			}
			byState[ds] = append(byState[ds], it)
		}
		more[string(st)] = next != nil
	}
	show := activeStates
	if d.State != "" {
		show = []string{d.State}
	}
	var list []story.Story
	for _, s := range queueStates {
		d.Counts = append(d.Counts, stateCount{State: s, Count: len(byState[s]), More: more[s], Active: s == d.State})
		if contains(show, s) {
			list = append(list, byState[s]...)
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].UpdatedAt.After(list[j].UpdatedAt) })
	if len(list) > 100 {
		list = list[:100]
	}
	if d.Rows, err = h.rows(ctx, a, list, secs); err != nil {
		return err
	}
	h.render(c, http.StatusOK, "queue", page{Title: h.tr(c, "queue.title"), Nav: "queue", Flash: h.flash(c), Data: d})
	return nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
