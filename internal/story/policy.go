package story

import (
	"slices"

	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// This file is the permission table for everything that is not a workflow
// transition (those live in workflow.Table). The HTTP permission-matrix test
// checks every endpoint × role × state against an oracle of its own.

// Visibility says which stories a person may read: their own, in any state;
// stories in States within SectionIDs (nil: every section); and, when
// PublishedEverywhere, every published story.
type Visibility struct {
	UserID              string
	States              []workflow.State
	SectionIDs          []string // nil means all sections
	PublishedEverywhere bool
}

var (
	afterSubmit = []workflow.State{workflow.Submitted, workflow.InEdit, workflow.Approved, workflow.Scheduled, workflow.Published, workflow.Killed}
	onAir       = []workflow.State{workflow.Approved, workflow.Scheduled, workflow.Published}
	deskEdit    = []workflow.State{workflow.Submitted, workflow.InEdit}
)

// visibleStates is the table: which states (beyond their own stories) each role reads,
// and whether the role's section assignment narrows it.
var visibleStates = map[user.Role]struct {
	states        []workflow.State
	sectionScoped bool
}{
	user.RoleReporter:       {states: nil},
	user.RoleEditor:         {states: afterSubmit, sectionScoped: true},
	user.RoleManagingEditor: {states: afterSubmit},
	user.RoleEditorInChief:  {states: afterSubmit},
	user.RoleProducer:       {states: onAir},
	user.RoleAdmin:          {states: afterSubmit},
}

// VisibilityFor returns what the actor may read.
func VisibilityFor(a user.Actor) Visibility {
	rule := visibleStates[a.Role]
	v := Visibility{UserID: a.UserID, States: rule.states, PublishedEverywhere: true}
	if rule.sectionScoped && len(a.SectionIDs) > 0 {
		v.SectionIDs = a.SectionIDs
	}
	return v
}

// Allows reports whether the visibility covers the story.
func (v Visibility) Allows(s *Story) bool {
	if v.UserID != "" && s.AuthorID == v.UserID {
		return true
	}
	if v.PublishedEverywhere && s.State == workflow.Published {
		return true
	}
	if !slices.Contains(v.States, s.State) {
		return false
	}
	return v.SectionIDs == nil || slices.Contains(v.SectionIDs, s.SectionID)
}

// CanRead reports whether the actor may read the story.
func CanRead(a user.Actor, s *Story) bool { return VisibilityFor(a).Allows(s) }

// CanCreate reports whether the actor may write new stories.
func CanCreate(a user.Actor) bool { return a.Role.IsWriter() }

// CanEdit reports whether the actor may change the story's content now:
// the author while it is a draft; the section's editors while it is submitted or in edit.
// Published stories change only through the correct action.
func CanEdit(a user.Actor, s *Story) bool {
	if s.State == workflow.Draft {
		return s.AuthorID == a.UserID && a.Role.IsWriter()
	}
	return a.Role.IsEditorial() && a.InSection(s.SectionID) && slices.Contains(deskEdit, s.State)
}

// CanComment reports whether the actor may add an editorial note: anyone who
// reads the story and works on content (not the account administrator).
func CanComment(a user.Actor, s *Story) bool {
	return a.Role != user.RoleAdmin && CanRead(a, s)
}

// CanTakeOverLock reports whether the actor may break someone else's edit lock.
func CanTakeOverLock(a user.Actor, s *Story) bool {
	return a.Role.IsEditorial() && a.InSection(s.SectionID)
}
