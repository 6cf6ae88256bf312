package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// storyItem is a story in a list, with its public URL when published.
type storyItem struct {
	story.Story
	URL string `json:"url,omitempty"`
}

// publicPath is the story's public page path, or "" when it is not published.
func publicPath(st *story.Story, sections map[string]string) string {
	if st.State != workflow.Published {
		return ""
	}
	return story.PublicPath(sections[st.SectionID], st.Slug, st.ID)
}

// sectionSlugs maps section ids to slugs, for public URLs.
func (a *api) sectionSlugs(ctx context.Context) (map[string]string, error) {
	secs, err := a.stories.FindSections(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(secs))
	for _, s := range secs {
		m[s.ID] = s.Slug
	}
	return m, nil
}

// renderStory answers with the story view and its ETag, or returns err when
// the call that gave the story failed.
func (a *api) renderStory(c *gin.Context, status int, st *story.Story, err error) error {
	if err != nil {
		return err
	}
	v, err := a.views.ViewOf(c.Request.Context(), actor(c), st)
	if err != nil {
		return err
	}
	return answerVersioned(c, status, v, v.Version)
}

// createStory starts a draft.
func (a *api) createStory(c *gin.Context) error {
	st, err := callWithBody(c, a.stories.CreateStory)
	if err == nil {
		c.Header("Location", "/api/v1/stories/"+st.ID)
	}
	return a.renderStory(c, http.StatusCreated, st, err)
}

// queryStates reads the repeatable, comma-separated state parameter.
func queryStates(c *gin.Context) ([]workflow.State, error) {
	var out []workflow.State
	for _, v := range c.QueryArray("state") {
		for _, s := range strings.Split(v, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			st, ok := workflow.ParseState(s)
			if !ok {
				return nil, apperr.InvalidField("state", "http.state_unknown", s, workflow.States)
			}
			out = append(out, st)
		}
	}
	return out, nil
}

// queryStoryScope reads the parameters that the story list and search
// share: ?state=, ?section= and ?author=.
func queryStoryScope(c *gin.Context) (states []workflow.State, sectionID, authorID string, err error) {
	if states, err = queryStates(c); err != nil {
		return nil, "", "", err
	}
	if sectionID, err = queryUUID(c, "section"); err != nil {
		return nil, "", "", err
	}
	authorID, err = queryUUID(c, "author")
	return states, sectionID, authorID, err
}

// storyFilter reads the list's query parameters.
func storyFilter(c *gin.Context) (story.Filter, error) {
	var f story.Filter
	var err error
	if f.States, f.SectionID, f.AuthorID, err = queryStoryScope(c); err != nil {
		return f, err
	}
	if f.AssigneeID, err = queryUUID(c, "assignee"); err != nil {
		return f, err
	}
	if f.UpdatedFrom, f.UpdatedTo, err = queryPeriod(c, "updated_from", "updated_to"); err != nil {
		return f, err
	}
	f.Limit, f.After, err = queryPage(c, storyCursor, 50, 200)
	return f, err
}

// listStories lists the stories the caller may read, newest change first.
func (a *api) listStories(c *gin.Context) error {
	f, err := storyFilter(c)
	if err != nil {
		return err
	}
	items, next, err := a.stories.FindStories(c.Request.Context(), actor(c), f)
	if err != nil {
		return err
	}
	slugs, err := a.sectionSlugs(c.Request.Context())
	if err != nil {
		return err
	}
	out := make([]storyItem, len(items))
	for i := range items {
		out[i] = storyItem{Story: items[i], URL: publicPath(&items[i], slugs)}
	}
	return answerList(c, out, storyCursor.Encode(next), nil)
}

// getStory returns one story with the caller's allowed actions and its lock.
func (a *api) getStory(c *gin.Context) error {
	v, err := callByID(c, uuidID, a.views.FindStoryView)
	if err != nil {
		return err
	}
	return answerVersioned(c, http.StatusOK, v, v.Version)
}

// editStory runs a story change whose JSON body is an In and answers the
// changed story. If-Match is required (the version the editor loaded) or
// optional; version is nil when it is optional and absent or "*".
func editStory[In any](a *api, c *gin.Context, required bool, change func(ctx context.Context, id string, in In, version *int) (*story.Story, error)) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(c, required, currentVersion(c, id, a.stories.FindStoryByID, func(st *story.Story) int { return st.Version }))
	if err != nil {
		return err
	}
	in, err := decode[In](c)
	if err != nil {
		return err
	}
	st, err := change(c.Request.Context(), id, in, version)
	return a.renderStory(c, http.StatusOK, st, err)
}

// updateStory saves an edit; If-Match must carry the version the editor loaded.
func (a *api) updateStory(c *gin.Context) error {
	return editStory(a, c, true, func(ctx context.Context, id string, in story.Content, version *int) (*story.Story, error) {
		return a.stories.UpdateStory(ctx, actor(c), id, in, *version)
	})
}

// transitionStory applies a workflow action; If-Match is optional here.
func (a *api) transitionStory(c *gin.Context) error {
	return editStory(a, c, false, func(ctx context.Context, id string, in story.TransitionInput, version *int) (*story.Story, error) {
		return a.stories.Transition(ctx, actor(c), id, in, version)
	})
}
