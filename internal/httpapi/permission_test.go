package httpapi_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// The people of the permission matrix, in the column order of the oracle.
var matrixRoles = []string{"author", "reporter2", "editorA", "editorB", "managing", "chief", "producer", "admin"}

// matrixStates are the rows of each endpoint's table.
var matrixStates = []workflow.State{workflow.Draft, workflow.Submitted, workflow.InEdit, workflow.Approved,
	workflow.Scheduled, workflow.Published, workflow.Killed}

// readable is who may see the story in each state (see the 404 rule below);
// the oracle's tables for the same rule share it. Columns as in permissionOracle.
var readable = map[workflow.State]string{
	workflow.Draft:     "200 404 404 404 404 404 404 404",
	workflow.Submitted: "200 404 200 404 200 200 404 200",
	workflow.InEdit:    "200 404 200 404 200 200 404 200",
	workflow.Approved:  "200 404 200 404 200 200 200 200",
	workflow.Scheduled: "200 404 200 404 200 200 200 200",
	workflow.Published: "200 200 200 200 200 200 200 200",
	workflow.Killed:    "200 404 200 404 200 200 404 200",
}

// editable is who may change the story now.
var editable = map[workflow.State]string{
	workflow.Draft:     "200 404 404 404 404 404 404 404",
	workflow.Submitted: "403 404 200 404 200 200 404 403",
	workflow.InEdit:    "403 404 200 404 200 200 404 403",
	workflow.Approved:  "403 404 403 404 403 403 403 403",
	workflow.Scheduled: "403 404 403 404 403 403 403 403",
	workflow.Published: "403 403 403 403 403 403 403 403",
	workflow.Killed:    "403 404 403 404 403 403 404 403",
}

// releasable is who may schedule or publish a story.
var releasable = map[workflow.State]string{
	workflow.Draft:     "409 404 404 404 404 404 404 404",
	workflow.Submitted: "409 404 409 404 409 409 404 409",
	workflow.InEdit:    "409 404 409 404 409 409 404 409",
	workflow.Approved:  "403 404 403 404 200 200 403 403",
	workflow.Scheduled: "403 404 403 404 200 200 403 403",
	workflow.Published: "409 409 409 409 409 409 409 409",
	workflow.Killed:    "409 404 409 404 409 409 404 409",
}

// amendable is who may correct or kill a story: the managing editor and the
// editor-in-chief, once it is published.
var amendable = map[workflow.State]string{
	workflow.Draft:     "409 404 404 404 404 404 404 404",
	workflow.Submitted: "409 404 409 404 409 409 404 409",
	workflow.InEdit:    "409 404 409 404 409 409 404 409",
	workflow.Approved:  "409 404 409 404 409 409 409 409",
	workflow.Scheduled: "409 404 409 404 409 409 409 409",
	workflow.Published: "403 403 403 403 200 200 403 403",
	workflow.Killed:    "409 404 409 404 409 409 404 409",
}

// permissionOracle is written by hand from the newsroom's rules, not derived
// from the policy code. Section A has two approval levels: level 1 signed by
// an editor, level 2 by the managing editor or the editor-in-chief (who alone
// may schedule, publish, correct and kill). Columns:
//
//	author     reporter who wrote the story (section A)
//	reporter2  another reporter of section A
//	editorA    editor of section A
//	editorB    editor of section B only
//	managing   managing editor (all sections)
//	chief      editor-in-chief (all sections)
//	producer   radio/TV producer
//	admin      account administrator
//
// 404: the person may not see the story at all (drafts are private to their
// author; editors see their own sections after submission; producers see
// what is approved or on air; everybody sees what is published).
// 409: the action does not exist in this state. 403: it exists, but not for this person.
var permissionOracle = map[string]map[workflow.State]string{
	//                           author reporter2 editorA editorB managing chief producer admin
	"GET story":   readable,
	"PATCH story": editable,
	"submit": {
		workflow.Draft:     "200 404 404 404 404 404 404 404",
		workflow.Submitted: "409 404 409 404 409 409 404 409",
		workflow.InEdit:    "409 404 409 404 409 409 404 409",
		workflow.Approved:  "409 404 409 404 409 409 409 409",
		workflow.Scheduled: "409 404 409 404 409 409 409 409",
		workflow.Published: "409 409 409 409 409 409 409 409",
		workflow.Killed:    "409 404 409 404 409 409 404 409",
	},
	"withdraw": {
		workflow.Draft:     "409 404 404 404 404 404 404 404",
		workflow.Submitted: "200 404 403 404 403 403 404 403",
		workflow.InEdit:    "409 404 409 404 409 409 404 409",
		workflow.Approved:  "409 404 409 404 409 409 409 409",
		workflow.Scheduled: "409 404 409 404 409 409 409 409",
		workflow.Published: "409 409 409 409 409 409 409 409",
		workflow.Killed:    "409 404 409 404 409 409 404 409",
	},
	"claim": {
		workflow.Draft:     "409 404 404 404 404 404 404 404",
		workflow.Submitted: "403 404 200 404 200 200 404 403",
		workflow.InEdit:    "409 404 409 404 409 409 404 409",
		workflow.Approved:  "409 404 409 404 409 409 409 409",
		workflow.Scheduled: "409 404 409 404 409 409 409 409",
		workflow.Published: "409 409 409 409 409 409 409 409",
		workflow.Killed:    "409 404 409 404 409 409 404 409",
	},
	"reject": {
		workflow.Draft:     "409 404 404 404 404 404 404 404",
		workflow.Submitted: "403 404 200 404 200 200 404 403",
		workflow.InEdit:    "403 404 200 404 200 200 404 403",
		workflow.Approved:  "403 404 200 404 200 200 403 403",
		workflow.Scheduled: "409 404 409 404 409 409 409 409",
		workflow.Published: "409 409 409 409 409 409 409 409",
		workflow.Killed:    "409 404 409 404 409 409 404 409",
	},
	"approve": {
		workflow.Draft:     "409 404 404 404 404 404 404 404",
		workflow.Submitted: "409 404 409 404 409 409 404 409",
		workflow.InEdit:    "403 404 200 404 403 403 404 403",
		workflow.Approved:  "409 404 409 404 409 409 409 409",
		workflow.Scheduled: "409 404 409 404 409 409 409 409",
		workflow.Published: "409 409 409 409 409 409 409 409",
		workflow.Killed:    "409 404 409 404 409 409 404 409",
	},
	"schedule": releasable,
	"unschedule": {
		workflow.Draft:     "409 404 404 404 404 404 404 404",
		workflow.Submitted: "409 404 409 404 409 409 404 409",
		workflow.InEdit:    "409 404 409 404 409 409 404 409",
		workflow.Approved:  "409 404 409 404 409 409 409 409",
		workflow.Scheduled: "403 404 403 404 200 200 403 403",
		workflow.Published: "409 409 409 409 409 409 409 409",
		workflow.Killed:    "409 404 409 404 409 409 404 409",
	},
	"publish": releasable,
	"kill":    amendable,
	"correct": amendable,
	// Comments are readable exactly where the story is.
	"GET comments": readable,
	// The account administrator reads but does not take part in editing.
	"POST comment": {
		workflow.Draft:     "201 404 404 404 404 404 404 404",
		workflow.Submitted: "201 404 201 404 201 201 404 403",
		workflow.InEdit:    "201 404 201 404 201 201 404 403",
		workflow.Approved:  "201 404 201 404 201 201 201 403",
		workflow.Scheduled: "201 404 201 404 201 201 201 403",
		workflow.Published: "201 201 201 201 201 201 201 403",
		workflow.Killed:    "201 404 201 404 201 201 404 403",
	},
	// Locking is for those who may edit now.
	"POST lock": editable,
}

// matrixWorld is the newsroom the matrix runs in.
type matrixWorld struct {
	h      *harness
	secA   story.Section
	people map[string]member
}

// storyIn drives the real workflow (the story service, as the people who
// would do it) until a new story of the author's reaches state.
func (w *matrixWorld) storyIn(t *testing.T, state workflow.State) string {
	t.Helper()
	ctx := context.Background()
	s := w.h.app.Stories
	author, editor, managing := w.people["author"].actor(), w.people["editorA"].actor(), w.people["managing"].actor()
	st, err := s.CreateStory(ctx, author, story.Content{SectionID: &w.secA.ID, Headline: strp("Bài thử quyền " + string(state))})
	if err != nil {
		t.Fatal(err)
	}
	steps := map[workflow.State][]struct {
		who    user.Actor
		action workflow.Action
	}{
		workflow.Draft:     {},
		workflow.Submitted: {{author, workflow.Submit}},
		workflow.InEdit:    {{author, workflow.Submit}, {editor, workflow.Claim}},
		workflow.Approved:  {{author, workflow.Submit}, {editor, workflow.Claim}, {editor, workflow.Approve}, {managing, workflow.Approve}},
		workflow.Scheduled: {{author, workflow.Submit}, {editor, workflow.Claim}, {editor, workflow.Approve}, {managing, workflow.Approve}, {managing, workflow.Schedule}},
		workflow.Published: {{author, workflow.Submit}, {editor, workflow.Claim}, {editor, workflow.Approve}, {managing, workflow.Approve}, {managing, workflow.Publish}},
		workflow.Killed:    {{author, workflow.Submit}, {editor, workflow.Claim}, {editor, workflow.Approve}, {managing, workflow.Approve}, {managing, workflow.Publish}, {managing, workflow.Kill}},
	}[state]
	for _, step := range steps {
		in := story.TransitionInput{Action: string(step.action), Comment: "Bước dựng dữ liệu thử"}
		if step.action == workflow.Schedule {
			at := future()
			in.PublishAt = &at
		}
		if st, err = s.Transition(ctx, step.who, st.ID, in, nil); err != nil {
			t.Fatalf("build %s story: %s: %v", state, step.action, err)
		}
	}
	if st.State != state {
		t.Fatalf("built story is %s, want %s", st.State, state)
	}
	return st.ID
}

// TestPermissionMatrix checks every story endpoint × role × state against
// the hand-written oracle above.
func TestPermissionMatrix(t *testing.T) {
	transitions := map[string]bool{}
	for _, a := range workflow.Actions {
		transitions[string(a)] = true
	}
	for endpoint, rows := range permissionOracle {
		if len(rows) != len(matrixStates) {
			t.Fatalf("oracle %s has %d states", endpoint, len(rows))
		}
	}
	for _, a := range workflow.Actions {
		if permissionOracle[string(a)] == nil {
			t.Fatalf("oracle lacks action %s", a)
		}
	}
	forEachHarness(t, func(t *testing.T, h *harness) {
		w := &matrixWorld{h: h, secA: h.section("Xã hội", 2), people: map[string]member{}}
		secB := h.section("Thể thao", 1)
		w.people["author"] = h.user("tacgia", user.RoleReporter, w.secA.ID)
		w.people["reporter2"] = h.user("phongvien2", user.RoleReporter, w.secA.ID)
		w.people["editorA"] = h.user("bientapa", user.RoleEditor, w.secA.ID)
		w.people["editorB"] = h.user("bientapb", user.RoleEditor, secB.ID)
		w.people["managing"] = h.user("thuky", user.RoleManagingEditor)
		w.people["chief"] = h.user("tongbien", user.RoleEditorInChief)
		w.people["producer"] = h.user("sanxuat", user.RoleProducer)
		w.people["admin"] = member{User: h.admin, token: h.adminToken}

		// One shared story per state for every request that must not change it.
		shared := map[workflow.State]string{}
		for _, s := range matrixStates {
			shared[s] = w.storyIn(t, s)
		}
		endpoints := make([]string, 0, len(permissionOracle))
		for e := range permissionOracle {
			endpoints = append(endpoints, e)
		}
		cells := 0
		for _, endpoint := range endpoints {
			for _, state := range matrixStates {
				want := strings.Fields(permissionOracle[endpoint][state])
				if len(want) != len(matrixRoles) {
					t.Fatalf("oracle %s/%s has %d columns", endpoint, state, len(want))
				}
				for i, role := range matrixRoles {
					wantCode, _ := strconv.Atoi(want[i])
					m := w.people[role]
					id := shared[state]
					// A transition that succeeds moves the story: give it a story of its own.
					if transitions[endpoint] && wantCode < 300 {
						id = w.storyIn(t, state)
					}
					before := h.current(id)
					got := w.request(t, endpoint, m, id)
					cells++
					if got.Code != wantCode {
						t.Errorf("%s on a %s story by %s: status %d, want %d: %s", endpoint, state, role, got.Code, wantCode, got.Body)
						continue
					}
					after := h.current(id)
					if got.Code >= 300 && (after.Version != before.Version || after.State != before.State) {
						t.Errorf("%s on a %s story by %s refused with %d but changed it: v%d %s -> v%d %s",
							endpoint, state, role, got.Code, before.Version, before.State, after.Version, after.State)
					}
				}
			}
		}
		if cells != len(permissionOracle)*len(matrixStates)*len(matrixRoles) {
			t.Fatalf("ran %d cells", cells)
		}
	})
}

// request sends one matrix request and cleans up what a success leaves behind
// (a lock), so that the shared stories stay as they were built.
func (w *matrixWorld) request(t *testing.T, endpoint string, m member, id string) resp {
	t.Helper()
	h := w.h
	path := "/api/v1/stories/" + id
	switch endpoint {
	case "GET story":
		return h.do(m.token, "GET", path, nil)
	case "PATCH story":
		v := h.current(id).Version
		return h.do(m.token, "PATCH", path, map[string]any{"sapo": "Sapo sửa bởi " + m.Username}, "If-Match", fmt.Sprintf(`"%d"`, v))
	case "GET comments":
		return h.do(m.token, "GET", path+"/comments", nil)
	case "POST comment":
		return h.do(m.token, "POST", path+"/comments", map[string]any{"body": "Góp ý của " + m.Username})
	case "POST lock":
		r := h.do(m.token, "POST", path+"/lock", nil)
		if r.Code == 200 {
			h.expect(h.do(m.token, "DELETE", path+"/lock", nil), 204, "release lock")
		}
		return r
	}
	body := map[string]any{"action": endpoint, "comment": "Lý do của " + m.Username}
	if endpoint == "schedule" {
		body["publish_at"] = future()
	}
	return h.do(m.token, "POST", path+"/transitions", body)
}
