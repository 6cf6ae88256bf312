package story

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/textvi"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// TransitionInput is one workflow request.
type TransitionInput struct {
	Action    string     `json:"action"`
	Comment   string     `json:"comment"`
	PublishAt *time.Time `json:"publish_at"`
	// Changes are content edits made with a correction (correct only).
	Changes *Content `json:"changes"`
}

func (s *Service) facts(ctx context.Context, a user.Actor, st *Story) (workflow.Facts, *Section, []Approval, error) {
	sec, err := s.repo.FindSectionByID(ctx, st.SectionID)
	if err != nil {
		return workflow.Facts{}, nil, nil, err
	}
	apps, err := s.repo.FindApprovals(ctx, st.ID)
	if err != nil {
		return workflow.Facts{}, nil, nil, err
	}
	signed := make([]string, 0, len(apps))
	for _, ap := range apps {
		signed = append(signed, ap.UserID)
	}
	return workflow.Facts{Actor: a, AuthorID: st.AuthorID, SectionID: st.SectionID,
		LevelRoles: sec.levelRoles(), Signed: signed}, sec, apps, nil
}

// levelRoles is who signs each of the section's levels, filling levels that
// have no stored role list with the defaults.
func (sec *Section) levelRoles() [][]user.Role {
	out := make([][]user.Role, sec.ApprovalLevels)
	for i := range out {
		if i < len(sec.LevelRoles) && len(sec.LevelRoles[i]) > 0 {
			out[i] = sec.LevelRoles[i]
		} else if i < len(DefaultLevelRoles) {
			out[i] = DefaultLevelRoles[i]
		}
	}
	return out
}

// AllowedActions lists the workflow actions the actor may take on the story now.
func (s *Service) AllowedActions(ctx context.Context, a user.Actor, st *Story) ([]workflow.Action, error) {
	f, _, _, err := s.facts(ctx, a, st)
	if err != nil {
		return nil, err
	}
	return workflow.Allowed(st.State, f), nil
}

// FindApprovals returns the live signatures on a story the actor may read.
func (s *Service) FindApprovals(ctx context.Context, a user.Actor, id string) ([]Approval, error) {
	if _, err := s.FindStoryByID(ctx, a, id); err != nil {
		return nil, err
	}
	return s.repo.FindApprovals(ctx, id)
}

// Transition applies a workflow action. ifVersion, when not nil, must match.
func (s *Service) Transition(ctx context.Context, a user.Actor, id string, in TransitionInput, ifVersion *int) (*Story, error) {
	// The id is checked first (loadForChange checks it again) so that a bad
	// id is reported before a bad action, as the API always did.
	if err := checkStoryID(id); err != nil {
		return nil, err
	}
	action, ok := workflow.ParseAction(in.Action)
	if !ok {
		return nil, apperr.InvalidField("action", "story.unknown_action", in.Action, workflow.Actions)
	}
	comment := strings.TrimSpace(textvi.NFC(in.Comment))
	if utf8.RuneCountInString(comment) > MaxComment {
		return nil, apperr.InvalidField("comment", "story.transition_comment_too_long", MaxComment)
	}
	if in.Changes != nil && action != workflow.Correct {
		return nil, apperr.InvalidField("changes", "story.only_correct_takes_changes")
	}
	var out *Story
	err := s.loadForChange(ctx, a, id, true, func(ctx context.Context, st *Story) error {
		if ifVersion != nil && *ifVersion != st.Version {
			return stale(st)
		}
		f, sec, apps, err := s.facts(ctx, a, st)
		if err != nil {
			return err
		}
		t, err := workflow.Decide(st.State, action, f)
		if err != nil {
			return err
		}
		if t.NeedsComment && comment == "" {
			return apperr.InvalidField("comment", "story.comment_required", action)
		}
		now := s.now()
		before := st.Version
		details := map[string]any{"from": st.State, "to": t.To}
		switch action {
		case workflow.Submit, workflow.Withdraw:
			if err := s.repo.VoidApprovals(ctx, st.ID, now); err != nil {
				return err
			}
		case workflow.Claim:
			uid := a.UserID
			st.AssigneeID = &uid
		case workflow.Reject:
			if err := s.repo.VoidApprovals(ctx, st.ID, now); err != nil {
				return err
			}
			st.PublishAt = nil
		case workflow.Approve:
			if err := s.retime(ctx, st, true, true); err != nil {
				return err
			}
			if err := checkVersions(st, apperr.T("story.before_approving")); err != nil {
				return err
			}
			lvl := f.NextLevel()
			ap := &Approval{ID: uuid.NewString(), StoryID: st.ID, Level: lvl, UserID: a.UserID, Username: a.Username,
				Role: a.Role, Version: st.Version + 1, At: now}
			if err := s.repo.CreateApproval(ctx, ap); err != nil {
				return err
			}
			details["level"] = lvl
			details["levels"] = sec.ApprovalLevels
		case workflow.Schedule:
			if in.PublishAt == nil {
				return apperr.InvalidField("publish_at", "story.publish_at_required")
			}
			at := in.PublishAt.UTC().Truncate(time.Second)
			if !at.After(now) {
				return apperr.InvalidField("publish_at", "story.publish_at_past")
			}
			st.PublishAt = &at
			details["publish_at"] = at
		case workflow.Unschedule:
			st.PublishAt = nil
		case workflow.Publish:
			if len(apps) < sec.ApprovalLevels {
				return apperr.Conflict("story.approvals_missing", sec.ApprovalLevels, len(apps)).WithDetails(map[string]any{"allowed": workflow.Allowed(st.State, f)})
			}
			if err := checkVersions(st, apperr.T("story.before_publishing")); err != nil {
				return err
			}
			if s.attachments != nil {
				if err := s.attachments.CheckPublishable(ctx, st.ID); err != nil {
					return err
				}
			}
			if st.PublishedAt == nil {
				p := now
				st.PublishedAt = &p
			}
			st.PublishAt = nil
		case workflow.Correct:
			if in.Changes != nil {
				changed, err := s.apply(ctx, st, *in.Changes)
				if err != nil {
					return err
				}
				if changed {
					if err := s.assignSlug(ctx, st); err != nil {
						return err
					}
				}
				details["fields"] = audit.ChangedFields(in.Changes)
			}
			st.Correction = comment
			c := now
			st.CorrectedAt = &c
		case workflow.Kill:
			k := now
			st.KilledAt = &k
			st.KillReason = comment
		}
		st.State = t.To
		st.Version = before + 1
		st.UpdatedAt = now
		if err := s.repo.UpdateStory(ctx, st, before); err != nil {
			return err
		}
		if comment != "" {
			if err := s.repo.CreateComment(ctx, &Comment{ID: uuid.NewString(), StoryID: st.ID, AuthorID: a.UserID,
				Author: a.Username, Action: string(action), Body: comment, CreatedAt: now}); err != nil {
				return err
			}
			details["comment"] = comment
		}
		if err := s.snapshot(ctx, a, st, string(action), comment); err != nil {
			return err
		}
		if err := s.record(ctx, a, "story.transition."+string(action), "story", st.ID, before, st.Version, details); err != nil {
			return err
		}
		if err := emitTransitioned(ctx, s.listeners, st, t); err != nil {
			return err
		}
		out = st
		return nil
	})
	return out, err
}

// PublishDue publishes scheduled stories whose time has come, as the system.
// The version check in the store makes it safe to run in several processes at
// once: a story is published exactly once. It returns how many it published.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	due, err := s.repo.FindDueStories(ctx, s.now(), 100)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, st := range due {
		v := st.Version
		_, err := s.Transition(ctx, user.System, st.ID, TransitionInput{Action: string(workflow.Publish)}, &v)
		switch {
		case err == nil:
			n++
		case apperr.Is(err, apperr.CodePreconditionFailed), apperr.Is(err, apperr.CodeConflict):
			// Another process published or someone unscheduled it meanwhile.
		default:
			return n, fmt.Errorf("story: publish due %s: %w", st.ID, err)
		}
	}
	return n, nil
}
