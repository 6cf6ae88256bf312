package workflow

import (
	"slices"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

var (
	twoLevels   = [][]user.Role{{user.RoleEditor}, {user.RoleManagingEditor, user.RoleEditorInChief}}
	oneLevel    = [][]user.Role{{user.RoleEditor}}
	threeLevels = [][]user.Role{{user.RoleEditor}, {user.RoleManagingEditor, user.RoleEditorInChief}, {user.RoleEditorInChief}}
)

func actor(id string, r user.Role, sections ...string) user.Actor {
	return user.Actor{UserID: id, Username: id, Role: r, SectionIDs: sections}
}

// The oracle: every (state, action) pair for a set of people, written out by hand.
func TestDecideOracle(t *testing.T) {
	author := actor("rep", user.RoleReporter)
	other := actor("rep2", user.RoleReporter)
	ed := actor("ed", user.RoleEditor, "sec")
	edOther := actor("ed2", user.RoleEditor, "other")
	me := actor("me", user.RoleManagingEditor)
	eic := actor("eic", user.RoleEditorInChief)
	prod := actor("prod", user.RoleProducer)
	adm := actor("adm", user.RoleAdmin)

	type row struct {
		state  State
		action Action
		who    user.Actor
		want   string // "ok", "403", "409"
	}
	rows := []row{
		{Draft, Submit, author, "ok"}, {Draft, Submit, other, "403"}, {Draft, Submit, ed, "403"}, {Draft, Submit, adm, "403"},
		{Draft, Claim, ed, "409"}, {Draft, Approve, eic, "409"}, {Draft, Publish, eic, "409"},
		{Submitted, Withdraw, author, "ok"}, {Submitted, Withdraw, ed, "403"},
		{Submitted, Claim, ed, "ok"}, {Submitted, Claim, edOther, "403"}, {Submitted, Claim, me, "ok"}, {Submitted, Claim, eic, "ok"},
		{Submitted, Claim, author, "403"}, {Submitted, Claim, prod, "403"}, {Submitted, Claim, adm, "403"},
		{Submitted, Reject, ed, "ok"}, {Submitted, Reject, author, "403"}, {Submitted, Approve, ed, "409"}, {Submitted, Submit, author, "409"},
		{InEdit, Approve, ed, "ok"}, {InEdit, Approve, edOther, "403"}, {InEdit, Approve, me, "403"}, {InEdit, Approve, eic, "403"},
		{InEdit, Approve, author, "403"}, {InEdit, Approve, adm, "403"}, {InEdit, Reject, ed, "ok"}, {InEdit, Reject, eic, "ok"},
		{InEdit, Withdraw, author, "409"}, {InEdit, Publish, eic, "409"},
		{Approved, Publish, eic, "ok"}, {Approved, Publish, me, "ok"}, {Approved, Publish, ed, "403"}, {Approved, Publish, adm, "403"},
		{Approved, Schedule, me, "ok"}, {Approved, Reject, ed, "ok"}, {Approved, Unschedule, eic, "409"}, {Approved, Kill, eic, "409"},
		{Scheduled, Unschedule, eic, "ok"}, {Scheduled, Publish, eic, "ok"}, {Scheduled, Schedule, me, "ok"}, {Scheduled, Unschedule, ed, "403"},
		{Scheduled, Reject, ed, "409"},
		{Published, Kill, eic, "ok"}, {Published, Correct, me, "ok"}, {Published, Kill, ed, "403"}, {Published, Kill, prod, "403"},
		{Published, Publish, eic, "409"}, {Published, Reject, ed, "409"},
		{Killed, Publish, eic, "409"}, {Killed, Correct, eic, "409"}, {Killed, Submit, author, "409"},
	}
	for _, r := range rows {
		f := Facts{Actor: r.who, AuthorID: "rep", SectionID: "sec", LevelRoles: twoLevels}
		_, err := Decide(r.state, r.action, f)
		got := "ok"
		switch {
		case apperr.Is(err, apperr.CodeForbidden):
			got = "403"
		case apperr.Is(err, apperr.CodeConflict):
			got = "409"
		case err != nil:
			got = err.Error()
		}
		if got != r.want {
			t.Errorf("%s %s by %s: got %s, want %s", r.state, r.action, r.who.Username, got, r.want)
		}
	}
}

func TestApprovalLevels(t *testing.T) {
	ed := actor("ed", user.RoleEditor)
	ed2 := actor("ed2", user.RoleEditor)
	eic := actor("eic", user.RoleEditorInChief)
	me := actor("me", user.RoleManagingEditor)

	// Level 1 of two keeps the story in edit; level 2 approves it.
	f := Facts{Actor: ed, AuthorID: "rep", SectionID: "s", LevelRoles: twoLevels}
	tr, err := Decide(InEdit, Approve, f)
	if err != nil || tr.To != InEdit {
		t.Fatalf("level 1 of 2: %v %v", tr.To, err)
	}
	f = Facts{Actor: eic, AuthorID: "rep", SectionID: "s", LevelRoles: twoLevels, Signed: []string{"ed"}}
	tr, err = Decide(InEdit, Approve, f)
	if err != nil || tr.To != Approved {
		t.Fatalf("level 2 of 2: %v %v", tr.To, err)
	}
	// An editor cannot sign level 2; the same person cannot sign twice.
	f = Facts{Actor: ed2, AuthorID: "rep", SectionID: "s", LevelRoles: twoLevels, Signed: []string{"ed"}}
	if _, err := Decide(InEdit, Approve, f); !apperr.Is(err, apperr.CodeForbidden) {
		t.Fatalf("editor on level 2: %v", err)
	}
	f = Facts{Actor: eic, AuthorID: "rep", SectionID: "s", LevelRoles: threeLevels, Signed: []string{"ed", "eic"}}
	if _, err := Decide(InEdit, Approve, f); !apperr.Is(err, apperr.CodeForbidden) {
		t.Fatalf("same person twice: %v", err)
	}
	f = Facts{Actor: eic, AuthorID: "rep", SectionID: "s", LevelRoles: threeLevels, Signed: []string{"ed", "me"}}
	if tr, err := Decide(InEdit, Approve, f); err != nil || tr.To != Approved {
		t.Fatalf("level 3 of 3: %v %v", tr.To, err)
	}
	// One level: the editor approves and, signing the final level, may publish.
	f = Facts{Actor: ed, AuthorID: "rep", SectionID: "s", LevelRoles: oneLevel}
	if tr, err := Decide(InEdit, Approve, f); err != nil || tr.To != Approved {
		t.Fatalf("single level: %v %v", tr.To, err)
	}
	if _, err := Decide(Approved, Publish, f); err != nil {
		t.Fatalf("editor publishes in a one-level section: %v", err)
	}
	// In a two-level section an editor has no publish rights; the managing editor does.
	f = Facts{Actor: ed, AuthorID: "rep", SectionID: "s", LevelRoles: twoLevels, Signed: []string{"ed", "eic"}}
	if _, err := Decide(Approved, Publish, f); !apperr.Is(err, apperr.CodeForbidden) {
		t.Fatalf("editor publish in two-level section: %v", err)
	}
	f.Actor = me
	if _, err := Decide(Approved, Publish, f); err != nil {
		t.Fatal(err)
	}
}

func TestRefusalListsAllowedActions(t *testing.T) {
	ed := actor("ed", user.RoleEditor)
	f := Facts{Actor: ed, AuthorID: "rep", SectionID: "s", LevelRoles: twoLevels}
	_, err := Decide(Submitted, Publish, f)
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeConflict {
		t.Fatalf("want conflict, got %v", err)
	}
	allowed := e.Details["allowed"].([]Action)
	if !slices.Equal(allowed, []Action{Claim, Reject}) {
		t.Fatalf("allowed = %v", allowed)
	}
	if got := Allowed(Draft, Facts{Actor: actor("rep", user.RoleReporter), AuthorID: "rep", LevelRoles: twoLevels}); !slices.Equal(got, []Action{Submit}) {
		t.Fatalf("author on draft: %v", got)
	}
	if got := Allowed(Killed, Facts{Actor: actor("eic", user.RoleEditorInChief), LevelRoles: twoLevels}); len(got) != 0 {
		t.Fatalf("killed is terminal: %v", got)
	}
}

// Every row of the table is reachable from draft and no state is a dead end but killed.
func TestTableShape(t *testing.T) {
	seen := map[State]bool{Draft: true}
	for changed := true; changed; {
		changed = false
		for _, tr := range Table {
			if seen[tr.From] && !seen[tr.To] {
				seen[tr.To] = true
				changed = true
			}
		}
	}
	for _, s := range States {
		if !seen[s] {
			t.Errorf("state %s unreachable", s)
		}
		out := false
		for _, tr := range Table {
			out = out || tr.From == s
		}
		if !out && s != Killed {
			t.Errorf("state %s has no way out", s)
		}
	}
	for _, a := range []Action{Reject, Kill, Correct} {
		for _, tr := range Table {
			if tr.Action == a && !tr.NeedsComment {
				t.Errorf("%s from %s must require a comment", a, tr.From)
			}
		}
	}
}
