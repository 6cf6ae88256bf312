package desk

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// awaitingSignoff is the queue's name for a story in edit that has at least
// one approval signed and waits for the next level ("Chờ ký duyệt").
const awaitingSignoff = "awaiting_signoff"

// storyRow is a story in a list.
type storyRow struct {
	ID, Headline, Byline, Section string
	State                         string // workflow state or awaitingSignoff
	Updated                       string
	PublicURL                     string
	LockedBy                      string
	Returned                      bool
	ReturnNote                    string
}

// sectionNames maps section ids to names and slugs.
func (h *Handler) sectionNames(ctx context.Context) (map[string]story.Section, []story.Section, error) {
	secs, err := h.stories.FindSections(ctx)
	if err != nil {
		return nil, nil, err
	}
	m := make(map[string]story.Section, len(secs))
	for _, s := range secs {
		m[s.ID] = s
	}
	return m, secs, nil
}

// displayState is the state the desk shows: in_edit with a signature is "awaiting sign-off".
func (h *Handler) displayState(ctx context.Context, a user.Actor, st *story.Story) (string, error) {
	if st.State != workflow.InEdit {
		return string(st.State), nil
	}
	apps, err := h.stories.FindApprovals(ctx, a, st.ID)
	if err != nil {
		return "", err
	}
	if len(apps) > 0 {
		return awaitingSignoff, nil
	}
	return string(st.State), nil
}

func (h *Handler) row(ctx context.Context, a user.Actor, st *story.Story, secs map[string]story.Section) (storyRow, error) {
	state, err := h.displayState(ctx, a, st)
	if err != nil {
		return storyRow{}, err
	}
	r := storyRow{ID: st.ID, Headline: st.Headline, Byline: st.Byline, Section: secs[st.SectionID].Name, State: state,
		Updated: vntime.Format(st.UpdatedAt)}
	if st.State == workflow.Published {
		r.PublicURL = story.PublicPath(secs[st.SectionID].Slug, st.Slug, st.ID)
	}
	if l, err := h.stories.FindLock(ctx, a, st.ID); err == nil && l.UserID != a.UserID {
		r.LockedBy = l.Username
	}
	return r, nil
}

// rows are the list rows of stories, in their order.
func (h *Handler) rows(ctx context.Context, a user.Actor, list []story.Story, secs map[string]story.Section) ([]storyRow, error) {
	var out []storyRow
	for i := range list {
		r, err := h.row(ctx, a, &list[i], secs)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// startOfToday is midnight in Vietnam.
func startOfToday(now time.Time) time.Time {
	t := now.In(vntime.Location)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, vntime.Location)
}

// formatWhen is an optional time as the desk shows it, "" when there is none.
func formatWhen(t *time.Time) string {
	if t == nil {
		return ""
	}
	return vntime.Format(*t)
}
