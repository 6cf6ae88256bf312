package desk

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// searchLimit is how many hits the desk shows.
const searchLimit = 50

type hitView struct {
	ID, Headline, State, Section, Updated, URL string
	Snippet                                    template.HTML
}

type searchData struct {
	Q, Section, State string
	Sections          []sectionOption
	States            []string
	Hits              []hitView
	Searched, More    bool
}

// searchPage is /desk/search?q=&section=&state=: staff search
// (search.Service.Search) over the stories this person may read, with or
// without Vietnamese diacritics.
func (h *Handler) searchPage(c *gin.Context) error {
	ctx := c.Request.Context()
	secs, secList, err := h.sectionNames(ctx)
	if err != nil {
		return err
	}
	d := searchData{Q: strings.TrimSpace(c.Query("q")), Section: c.Query("section"), State: c.Query("state")}
	for _, s := range secList {
		d.Sections = append(d.Sections, sectionOption{ID: s.ID, Name: s.Name, Selected: s.ID == d.Section})
	}
	for _, s := range workflow.States {
		d.States = append(d.States, string(s))
	}
	render := func(status int, msg string) {
		h.render(c, status, "search", page{Title: h.tr(c, "search.title"), Nav: "queue", Error: msg, Data: d})
	}
	if d.Section != "" {
		if _, ok := secs[d.Section]; !ok {
			render(http.StatusBadRequest, h.tr(c, "queue.bad_section"))
			return nil
		}
	}
	f := search.Filter{SectionID: d.Section, Limit: searchLimit}
	if d.State != "" {
		st, ok := workflow.ParseState(d.State)
		if !ok {
			render(http.StatusBadRequest, h.tr(c, "queue.bad_state", d.State))
			return nil
		}
		f.States = []workflow.State{st}
	}
	if d.Q == "" {
		render(http.StatusOK, "")
		return nil
	}
	hits, next, err := h.search.Search(ctx, actor(c), d.Q, f)
	if err != nil {
		status, msg := h.explain(c, err)
		render(status, msg)
		return nil
	}
	d.Searched, d.More = true, next != nil
	for _, hit := range hits {
		d.Hits = append(d.Hits, hitView{ID: hit.ID, Headline: hit.Headline, State: string(hit.State), Section: secs[hit.SectionID].Name,
			Updated: vntime.Format(hit.UpdatedAt), URL: hit.URL,
			// search.Snippet is escaped text with <mark> around the matches.
			Snippet: template.HTML(hit.Snippet)}) //nolint:gosec // escaped by search.Snippet
	}
	render(http.StatusOK, "")
	return nil
}
