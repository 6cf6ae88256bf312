// Package workflow is the story approval state machine: a transition table
// and the rules that decide, for one person and one story, which actions are
// possible now. It has no HTTP or database imports; the story service feeds
// it facts and obeys its answer.
package workflow

import (
	"slices"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// State is where a story is in its life.
type State string

// The states.
const (
	Draft     State = "draft"     // Nháp
	Submitted State = "submitted" // Chờ duyệt
	InEdit    State = "in_edit"   // Đang biên tập
	Approved  State = "approved"  // Đã duyệt
	Scheduled State = "scheduled" // Hẹn giờ
	Published State = "published" // Đã xuất bản
	Killed    State = "killed"    // Đã gỡ
)

// States lists every state in workflow order.
var States = []State{Draft, Submitted, InEdit, Approved, Scheduled, Published, Killed}

// Label returns the Vietnamese name of the state.
func (s State) Label() string {
	switch s {
	case Draft:
		return "Nháp"
	case Submitted:
		return "Chờ duyệt"
	case InEdit:
		return "Đang biên tập"
	case Approved:
		return "Đã duyệt"
	case Scheduled:
		return "Hẹn giờ"
	case Published:
		return "Đã xuất bản"
	case Killed:
		return "Đã gỡ"
	}
	return string(s)
}

// ParseState validates a state name.
func ParseState(s string) (State, bool) {
	st := State(s)
	return st, slices.Contains(States, st)
}

// Action moves a story between states.
type Action string

// The actions (their names are part of the API).
const (
	Submit     Action = "submit"
	Withdraw   Action = "withdraw"
	Claim      Action = "claim"
	Reject     Action = "reject"
	Approve    Action = "approve"
	Schedule   Action = "schedule"
	Unschedule Action = "unschedule"
	Publish    Action = "publish"
	Kill       Action = "kill"
	Correct    Action = "correct"
)

// Actions lists every action in a stable order.
var Actions = []Action{Submit, Withdraw, Claim, Reject, Approve, Schedule, Unschedule, Publish, Kill, Correct}

// ParseAction validates an action name.
func ParseAction(s string) (Action, bool) {
	a := Action(s)
	return a, slices.Contains(Actions, a)
}

// Who is the class of people a transition is open to.
type Who int

// The classes.
const (
	// Author is the story's own author (any role that writes stories).
	Author Who = iota
	// Desk is an editorial role acting on the story's section.
	Desk
	// Signer may sign the next unsigned approval level and has signed no other level.
	Signer
	// Publisher holds publish rights for the section: managing editor, editor-in-chief,
	// or a role that signs the section's final level.
	Publisher
)

// Transition is one row of the table.
type Transition struct {
	From           State
	Action         Action
	To             State
	Who            Who
	NeedsComment   bool
	NeedsPublishAt bool
}

// Table is the workflow. Approve's To is Approved only when the final level
// is signed; otherwise the story stays in_edit (see Decide).
var Table = []Transition{
	{From: Draft, Action: Submit, To: Submitted, Who: Author},
	{From: Submitted, Action: Withdraw, To: Draft, Who: Author},
	{From: Submitted, Action: Claim, To: InEdit, Who: Desk},
	{From: Submitted, Action: Reject, To: Draft, Who: Desk, NeedsComment: true},
	{From: InEdit, Action: Reject, To: Draft, Who: Desk, NeedsComment: true},
	{From: InEdit, Action: Approve, To: Approved, Who: Signer},
	{From: Approved, Action: Reject, To: Draft, Who: Desk, NeedsComment: true},
	{From: Approved, Action: Schedule, To: Scheduled, Who: Publisher, NeedsPublishAt: true},
	{From: Approved, Action: Publish, To: Published, Who: Publisher},
	{From: Scheduled, Action: Unschedule, To: Approved, Who: Publisher},
	{From: Scheduled, Action: Schedule, To: Scheduled, Who: Publisher, NeedsPublishAt: true},
	{From: Scheduled, Action: Publish, To: Published, Who: Publisher},
	{From: Published, Action: Correct, To: Published, Who: Publisher, NeedsComment: true},
	{From: Published, Action: Kill, To: Killed, Who: Publisher, NeedsComment: true},
}

// Facts are what the caller knows about the actor and the story.
type Facts struct {
	Actor      user.Actor
	AuthorID   string
	SectionID  string
	LevelRoles [][]user.Role // roles that may sign each level; len is the number of levels
	Signed     []string      // user ids who signed levels 1..len(Signed), in order
}

// NextLevel is the 1-based level the next approval signs, or 0 when all are signed.
func (f Facts) NextLevel() int {
	if len(f.Signed) >= len(f.LevelRoles) {
		return 0
	}
	return len(f.Signed) + 1
}

func (f Facts) isAuthor() bool {
	return f.Actor.UserID != "" && f.Actor.UserID == f.AuthorID && f.Actor.Role.IsWriter()
}

func (f Facts) isDesk() bool {
	return f.Actor.Role.IsEditorial() && f.Actor.InSection(f.SectionID)
}

// signerProblem explains why the actor cannot sign the next level, or a
// phrase with no key if they can.
func (f Facts) signerProblem() apperr.Phrase {
	lvl := f.NextLevel()
	if lvl == 0 {
		return apperr.T("workflow.all_levels_signed")
	}
	if !f.Actor.InSection(f.SectionID) || !slices.Contains(f.LevelRoles[lvl-1], f.Actor.Role) {
		return apperr.T("workflow.level_role_may_not_sign", lvl)
	}
	if slices.Contains(f.Signed, f.Actor.UserID) {
		return apperr.T("workflow.already_signed", lvl)
	}
	return apperr.Phrase{}
}

// IsPublisher reports whether the actor holds publish rights for the story's section.
func (f Facts) IsPublisher() bool {
	r := f.Actor.Role
	if r == user.RoleManagingEditor || r == user.RoleEditorInChief {
		return true
	}
	if len(f.LevelRoles) == 0 || !f.Actor.InSection(f.SectionID) {
		return false
	}
	return r.IsEditorial() && slices.Contains(f.LevelRoles[len(f.LevelRoles)-1], r)
}

func (f Facts) problem(w Who) apperr.Phrase {
	switch w {
	case Author:
		if !f.isAuthor() {
			return apperr.T("workflow.only_author")
		}
	case Desk:
		if !f.isDesk() {
			return apperr.T("workflow.only_section_editor")
		}
	case Signer:
		return f.signerProblem()
	case Publisher:
		if !f.IsPublisher() {
			return apperr.T("workflow.no_publish_rights")
		}
	}
	return apperr.Phrase{}
}

// Allowed lists the actions the actor may take on a story in state s now.
func Allowed(s State, f Facts) []Action {
	out := []Action{}
	for _, t := range Table {
		if t.From == s && f.problem(t.Who).Key == "" && !slices.Contains(out, t.Action) {
			out = append(out, t.Action)
		}
	}
	return out
}

// Decide checks an action. It returns the transition to apply, or a Conflict
// (not possible in this state, with details.allowed) or a Forbidden (possible,
// but not for this person).
func Decide(s State, a Action, f Facts) (Transition, error) {
	for _, t := range Table {
		if t.From != s || t.Action != a {
			continue
		}
		if p := f.problem(t.Who); p.Key != "" {
			return Transition{}, apperr.Forbidden(p.Key, p.Args...).WithDetails(map[string]any{"allowed": Allowed(s, f), "state": s})
		}
		if t.Action == Approve && f.NextLevel() < len(f.LevelRoles) {
			t.To = InEdit // more levels to sign
		}
		return t, nil
	}
	return Transition{}, apperr.Conflict("workflow.action_not_possible", a, apperr.ByLang(s.Label(), s)).
		WithDetails(map[string]any{"allowed": Allowed(s, f), "state": s})
}
