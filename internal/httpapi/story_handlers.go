package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/storyview"
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

// renderStory answers with the story view and its ETag.
func (a *api) renderStory(c *gin.Context, status int, st *story.Story) error {
	v, err := a.views.ViewOf(c.Request.Context(), actor(c), st)
	if err != nil {
		return err
	}
	return a.renderView(c, status, v)
}

func (a *api) renderView(c *gin.Context, status int, v *storyview.View) error {
	c.Header("ETag", etag(v.Version))
	respond.JSON(c, status, v)
	return nil
}

// createStory starts a draft.
func (a *api) createStory(c *gin.Context) error {
	var in story.Content
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	st, err := a.stories.CreateStory(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/stories/"+st.ID)
	return a.renderStory(c, http.StatusCreated, st)
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

// storyFilter reads the list's query parameters.
func storyFilter(c *gin.Context) (story.Filter, error) {
	var f story.Filter
	var err error
	if f.States, err = queryStates(c); err != nil {
		return f, err
	}
	if f.SectionID, err = queryUUID(c, "section"); err != nil {
		return f, err
	}
	if f.AuthorID, err = queryUUID(c, "author"); err != nil {
		return f, err
	}
	if f.AssigneeID, err = queryUUID(c, "assignee"); err != nil {
		return f, err
	}
	if f.UpdatedFrom, err = queryTime(c, "updated_from"); err != nil {
		return f, err
	}
	if f.UpdatedTo, err = queryTime(c, "updated_to"); err != nil {
		return f, err
	}
	if f.Limit, err = queryInt(c, "limit", 50, 1, 200); err != nil {
		return f, err
	}
	f.After, err = storyCursor.Query(c)
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
	respond.JSON(c, http.StatusOK, respond.NewList(out, storyCursor.Encode(next)))
	return nil
}

// getStory returns one story with the caller's allowed actions and its lock.
func (a *api) getStory(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	v, err := a.views.FindStoryView(c.Request.Context(), actor(c), id)
	if err != nil {
		return err
	}
	return a.renderView(c, http.StatusOK, v)
}

// updateStory saves an edit; If-Match must carry the version the editor loaded.
func (a *api) updateStory(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(c, true, a.storyVersion(c, id))
	if err != nil {
		return err
	}
	var in story.Content
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	st, err := a.stories.UpdateStory(c.Request.Context(), actor(c), id, in, *version)
	if err != nil {
		return err
	}
	return a.renderStory(c, http.StatusOK, st)
}

// transitionStory applies a workflow action; If-Match is optional here.
func (a *api) transitionStory(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	version, err := ifMatch(c, false, a.storyVersion(c, id))
	if err != nil {
		return err
	}
	var in story.TransitionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	st, err := a.stories.Transition(c.Request.Context(), actor(c), id, in, version)
	if err != nil {
		return err
	}
	return a.renderStory(c, http.StatusOK, st)
}

// storyVersion is the current version of story id, which an If-Match of "*"
// (or a list of versions) is compared with.
func (a *api) storyVersion(c *gin.Context, id string) func() (int, error) {
	return func() (int, error) {
		st, err := a.stories.FindStoryByID(c.Request.Context(), actor(c), id)
		if err != nil {
			return 0, err
		}
		return st.Version, nil
	}
}
