package httpapi

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// searchFilter reads the search query parameters other than q.
func searchFilter(c *gin.Context) (search.Filter, error) {
	var f search.Filter
	var err error
	if f.States, f.SectionID, f.AuthorID, err = queryStoryScope(c); err != nil {
		return f, err
	}
	f.Tag = strings.TrimSpace(c.Query("tag"))
	if ch := c.Query("channel"); ch != "" {
		valid := false
		for _, k := range story.Channels {
			valid = valid || string(k) == ch
		}
		if !valid {
			return f, apperr.InvalidField("channel", "http.channel_unknown", ch, story.Channels)
		}
		f.Channel = story.Channel(ch)
	}
	if f.From, f.To, err = queryPeriod(c, "from", "to"); err != nil {
		return f, err
	}
	f.Limit, f.After, err = queryPage(c, searchCursor, search.DefaultLimit, search.MaxLimit)
	return f, err
}

// searchStories is staff search over every story the caller may read.
func (a *api) searchStories(c *gin.Context) error {
	f, err := searchFilter(c)
	if err != nil {
		return err
	}
	hits, next, err := a.search.Search(c.Request.Context(), actor(c), c.Query("q"), f)
	return answerList(c, hits, searchCursor.Encode(next), err)
}

// relatedStories lists published stories related to one the caller may read.
func (a *api) relatedStories(c *gin.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	limit, err := queryInt(c, "limit", 5, 1, 20)
	if err != nil {
		return err
	}
	hits, err := a.search.RelatedFor(c.Request.Context(), actor(c), id, limit)
	return answerList(c, hits, "", err)
}

// tagSuggestions proposes tags for a story the caller may read.
func (a *api) tagSuggestions(c *gin.Context) error {
	return listByID(c, uuidID, a.search.SuggestTags)
}
