package desk

import (
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

type myWorkData struct {
	Drafts, Submitted, PublishedToday []storyRow
	CanWrite                          bool
}

// home is /desk: visitors go to the login page, reporters see their work,
// everyone else lands on the queue.
func (h *Handler) home(c *gin.Context) error {
	au := authOf(c)
	if au == nil {
		c.Redirect(http.StatusSeeOther, "/desk/login")
		return nil
	}
	if au.User.MustChangePassword {
		c.Redirect(http.StatusSeeOther, "/desk/password")
		return nil
	}
	if au.MFAEnrolmentOnly {
		c.Redirect(http.StatusSeeOther, "/desk/mfa")
		return nil
	}
	if au.User.Role.IsEditorial() || !au.User.Role.IsWriter() {
		c.Redirect(http.StatusSeeOther, "/desk/queue")
		return nil
	}
	return h.myWork(c)
}

// myWork lists the reporter's drafts (those returned with comments first and
// highlighted), stories in the workflow and stories published today.
func (h *Handler) myWork(c *gin.Context) error {
	ctx := c.Request.Context()
	a := actor(c)
	secs, _, err := h.sectionNames(ctx)
	if err != nil {
		return err
	}
	list := func(states ...workflow.State) ([]story.Story, error) {
		items, _, err := h.stories.FindStories(ctx, a, story.Filter{AuthorID: a.UserID, States: states, Limit: 100})
		return items, err
	}
	var d myWorkData
	d.CanWrite = story.CanCreate(a)
	drafts, err := list(workflow.Draft)
	if err != nil {
		return err
	}
	rows, err := h.rows(ctx, a, drafts, secs)
	if err != nil {
		return err
	}
	var returned, plain []storyRow
	for _, r := range rows {
		comments, err := h.stories.FindComments(ctx, a, r.ID)
		if err != nil {
			return err
		}
		for j := len(comments) - 1; j >= 0; j-- {
			if comments[j].Action == string(workflow.Reject) {
				r.Returned, r.ReturnNote = true, comments[j].Body
				break
			}
		}
		if r.Returned {
			returned = append(returned, r)
		} else {
			plain = append(plain, r)
		}
	}
	d.Drafts = append(returned, plain...)
	inFlow, err := list(workflow.Submitted, workflow.InEdit, workflow.Approved, workflow.Scheduled)
	if err != nil {
		return err
	}
	if d.Submitted, err = h.rows(ctx, a, inFlow, secs); err != nil {
		return err
	}
	today := startOfToday(time.Now())
	pub, _, err := h.stories.FindStories(ctx, a, story.Filter{AuthorID: a.UserID, States: []workflow.State{workflow.Published}, UpdatedFrom: today, Limit: 100})
	if err != nil {
		return err
	}
	pub = slices.DeleteFunc(pub, func(st story.Story) bool { return st.PublishedAt == nil || st.PublishedAt.Before(today) })
	if d.PublishedToday, err = h.rows(ctx, a, pub, secs); err != nil {
		return err
	}
	h.render(c, http.StatusOK, "mywork", page{Title: h.tr(c, "mywork.title"), Nav: "mywork", Flash: h.flash(c), Data: d})
	return nil
}

// flash is the message of a finished action (?ok=...), from the catalogue.
func (h *Handler) flash(c *gin.Context) string {
	switch ok := c.Query("ok"); ok {
	case "":
		return ""
	case "password", "saved", "created", "comment", "takeover":
		return h.tr(c, "flash."+ok)
	default:
		if _, valid := workflow.ParseAction(ok); valid {
			return h.tr(c, "flash.action", h.tr(c, "action."+ok))
		}
	}
	return ""
}
