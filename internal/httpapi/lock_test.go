package httpapi_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// TestEditLock covers taking, renewing, refusing, taking over and releasing the edit lock.
func TestEditLock(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		sec, reporter, editor := h.desk("Thế giới", 1)
		managing := h.user("thuky", user.RoleManagingEditor)
		st := h.newStory(reporter, map[string]any{"section_id": sec.ID, "headline": "Bầu cử"})
		path := "/api/v1/stories/" + st.ID
		h.expect(h.do(reporter.token, "POST", path+"/transitions", map[string]any{"action": "submit"}), 200, "submit")

		var lr lockResponse
		h.expect(h.do(editor.token, "GET", path+"/lock", nil), 200, "no lock").json(t, &lr)
		if lr.Lock != nil {
			t.Fatalf("lock before anyone took it: %+v", lr.Lock)
		}
		h.expect(h.do(editor.token, "POST", path+"/lock", nil), 200, "take").json(t, &lr)
		first := *lr.Lock
		if first.UserID != editor.ID || !first.ExpiresAt.After(first.AcquiredAt) {
			t.Fatalf("lock = %+v", first)
		}
		// Heartbeat keeps acquired_at and pushes expires_at.
		h.expect(h.do(editor.token, "POST", path+"/lock", rawBody(`{"takeover":false}`), "Content-Type", "application/json"), 200, "heartbeat").json(t, &lr)
		if !lr.Lock.AcquiredAt.Equal(first.AcquiredAt) || lr.Lock.ExpiresAt.Before(first.ExpiresAt) {
			t.Fatalf("heartbeat lock = %+v, first %+v", lr.Lock, first)
		}
		r := h.do(managing.token, "POST", path+"/lock", nil)
		e := r.err(t)
		if r.Code != 409 || !strings.Contains(e.Error.Message, "being edited by bientap") || e.Error.Details["lock"] == nil {
			t.Fatalf("second person locking: %d %s", r.Code, r.Body)
		}
		var seen storyJSON
		h.expect(h.do(reporter.token, "GET", path, nil), 200, "get").json(t, &seen)
		if seen.Lock == nil || seen.Lock.Username != "bientap" {
			t.Fatalf("story view lock = %+v", seen.Lock)
		}
		if r := h.do(reporter.token, "POST", path+"/lock", map[string]any{"takeover": true}); r.Code != 403 {
			t.Fatalf("author (not editing now) taking over: %d %s", r.Code, r.Body)
		}
		if r := h.do(managing.token, "POST", path+"/lock", map[string]any{"takeover": "yes"}); r.Code != 400 {
			t.Fatalf("takeover of the wrong type: %d", r.Code)
		}
		h.expect(h.do(managing.token, "POST", path+"/lock", map[string]any{"takeover": true}), 200, "takeover").json(t, &lr)
		if lr.Lock.UserID != managing.ID {
			t.Fatalf("after takeover: %+v", lr.Lock)
		}
		if r := h.do(reporter.token, "DELETE", path+"/lock", nil); r.Code != 403 {
			t.Fatalf("author releasing someone's lock: %d", r.Code)
		}
		h.expect(h.do(managing.token, "DELETE", path+"/lock", nil), 204, "release")
		h.expect(h.do(editor.token, "GET", path+"/lock", nil), 200, "after release").json(t, &lr)
		if lr.Lock != nil {
			t.Fatalf("lock after release: %+v", lr.Lock)
		}
		var events respond.List[struct {
			Action string `json:"action"`
		}]
		h.expect(h.do(h.adminToken, "GET", "/api/v1/audit?action=story.lock_takeover&target_id="+st.ID, nil), 200, "audit").json(t, &events)
		if len(events.Items) != 1 {
			t.Fatalf("takeover audit events = %+v", events.Items)
		}
	})
}

// TestAdministration covers the user and section endpoints.
func TestAdministration(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		sec, reporter, editor := h.desk("Sức khỏe", 1)

		var users respond.List[user.User]
		h.expect(h.do(h.adminToken, "GET", "/api/v1/users?role=editor", nil), 200, "list editors").json(t, &users)
		if len(users.Items) != 1 || users.Items[0].ID != editor.ID || users.NextCursor != "" {
			t.Fatalf("editors = %+v", users.Items)
		}
		if r := h.do(h.adminToken, "GET", "/api/v1/users?role=pope", nil); r.Code != 400 {
			t.Fatalf("unknown role filter: %d", r.Code)
		}
		if r := h.do(reporter.token, "GET", "/api/v1/users", nil); r.Code != 403 {
			t.Fatalf("reporter listing users: %d", r.Code)
		}
		h.expect(h.do(reporter.token, "GET", "/api/v1/users/"+reporter.ID, nil), 200, "own account")
		if r := h.do(reporter.token, "GET", "/api/v1/users/"+editor.ID, nil); r.Code != 403 {
			t.Fatalf("reporter reading another account: %d", r.Code)
		}
		if r := h.do(h.adminToken, "POST", "/api/v1/users", map[string]any{"username": "phongvien", "role": "reporter"}); r.Code != 409 {
			t.Fatalf("duplicate username: %d %s", r.Code, r.Body)
		}
		if r := h.do(h.adminToken, "POST", "/api/v1/users", map[string]any{"username": "x y", "role": "reporter"}); r.Code != 400 || r.err(t).Error.Details["field"] != "username" {
			t.Fatalf("bad username: %d %s", r.Code, r.Body)
		}
		var u user.User
		h.expect(h.do(h.adminToken, "PATCH", "/api/v1/users/"+editor.ID, map[string]any{"role": "managing_editor"}), 200, "promote").json(t, &u)
		if u.Role != user.RoleManagingEditor {
			t.Fatalf("promoted = %+v", u)
		}
		if r := h.do(editor.token, "GET", "/api/v1/me", nil); r.Code != 401 {
			t.Fatalf("session survived a role change: %d", r.Code)
		}
		if r := h.do(h.adminToken, "PATCH", "/api/v1/users/"+h.admin.ID, map[string]any{"active": false}); r.Code != 409 {
			t.Fatalf("admin deactivating themself: %d", r.Code)
		}

		var secs respond.List[story.Section]
		h.expect(h.do(reporter.token, "GET", "/api/v1/sections", nil), 200, "sections").json(t, &secs)
		if len(secs.Items) != 1 || secs.Items[0].ID != sec.ID {
			t.Fatalf("sections = %+v", secs.Items)
		}
		if r := h.do(reporter.token, "PATCH", "/api/v1/sections/"+sec.ID, map[string]any{"approval_levels": 3}); r.Code != 403 {
			t.Fatalf("reporter changing a section: %d", r.Code)
		}
		var changed story.Section
		h.expect(h.do(h.adminToken, "PATCH", "/api/v1/sections/"+sec.ID, map[string]any{"approval_levels": 3}), 200, "three levels").json(t, &changed)
		if changed.ApprovalLevels != 3 || len(changed.LevelRoles) != 3 {
			t.Fatalf("section = %+v", changed)
		}
		if r := h.do(h.adminToken, "PATCH", "/api/v1/sections/"+sec.ID, map[string]any{"approval_levels": 4}); r.Code != 400 || r.err(t).Error.Details["field"] != "approval_levels" {
			t.Fatalf("four levels: %d %s", r.Code, r.Body)
		}
		if r := h.do(h.adminToken, "POST", "/api/v1/sections", map[string]any{"name": "Sức khỏe"}); r.Code != 409 {
			t.Fatalf("duplicate section slug: %d %s", r.Code, r.Body)
		}
		if r := h.do(reporter.token, "GET", "/api/v1/sections/abc", nil); r.Code != 400 {
			t.Fatalf("bad section id: %d", r.Code)
		}
	})
}

// TestConcurrentEditsWithIfMatch: 20 writers append their own tag to the same
// story at once, each retrying on 412 with the story the 412 carries. No edit
// may be lost, and every save is exactly one version.
func TestConcurrentEditsWithIfMatch(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		sec := h.section("Kinh tế", 1)
		editors := []member{h.user("bientap1", user.RoleEditor, sec.ID), h.user("bientap2", user.RoleEditor, sec.ID),
			h.user("thuky", user.RoleManagingEditor), h.user("tongbien", user.RoleEditorInChief)}
		reporter := h.user("phongvien", user.RoleReporter, sec.ID)
		st := h.newStory(reporter, map[string]any{"section_id": sec.ID, "headline": "Giá vàng tăng"})
		h.expect(h.do(reporter.token, "POST", "/api/v1/stories/"+st.ID+"/transitions", map[string]any{"action": "submit"}), 200, "submit")
		h.expect(h.do(editors[0].token, "POST", "/api/v1/stories/"+st.ID+"/transitions", map[string]any{"action": "claim"}), 200, "claim")
		path := "/api/v1/stories/" + st.ID
		var base storyJSON
		h.expect(h.do(editors[0].token, "GET", path, nil), 200, "get").json(t, &base)
		baseVersion := base.Version // 3: create, submit, claim

		const writers = 20
		var stale, saved atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan string, writers)
		for i := 0; i < writers; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				m := editors[i%len(editors)]
				tag := fmt.Sprintf("tag-%02d", i)
				var cur storyJSON
				r := h.do(m.token, "GET", path, nil)
				if r.Code != 200 {
					errs <- fmt.Sprintf("writer %d: GET %d", i, r.Code)
					return
				}
				if err := json.Unmarshal(r.Body, &cur); err != nil {
					errs <- fmt.Sprintf("writer %d: %v", i, err)
					return
				}
				<-start
				for attempt := 0; attempt < 200; attempt++ {
					tags := append(slices.Clone(cur.Tags), tag)
					r := h.do(m.token, "PATCH", path, map[string]any{"tags": tags}, "If-Match", etag(cur.Version))
					switch r.Code {
					case 200:
						saved.Add(1)
						return
					case 412:
						stale.Add(1)
						var e struct {
							Error struct {
								Details struct {
									CurrentVersion int       `json:"current_version"`
									Story          storyJSON `json:"story"`
								} `json:"details"`
							} `json:"error"`
						}
						if err := json.Unmarshal(r.Body, &e); err != nil {
							errs <- fmt.Sprintf("writer %d: %v", i, err)
							return
						}
						if e.Error.Details.CurrentVersion <= cur.Version || e.Error.Details.Story.Version != e.Error.Details.CurrentVersion {
							errs <- fmt.Sprintf("writer %d: 412 details %+v after version %d", i, e.Error.Details.CurrentVersion, cur.Version)
							return
						}
						cur = e.Error.Details.Story
					default:
						errs <- fmt.Sprintf("writer %d: PATCH %d %s", i, r.Code, r.Body)
						return
					}
				}
				errs <- fmt.Sprintf("writer %d gave up", i)
			}(i)
		}
		close(start)
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		var final storyJSON
		h.expect(h.do(editors[0].token, "GET", path, nil), 200, "final get").json(t, &final)
		if final.Version != baseVersion+writers {
			t.Errorf("final version %d, want %d + %d", final.Version, baseVersion, writers)
		}
		for i := 0; i < writers; i++ {
			if !slices.Contains(final.Tags, fmt.Sprintf("tag-%02d", i)) {
				t.Errorf("tag-%02d lost; tags %v", i, final.Tags)
			}
		}
		if len(final.Tags) != writers || saved.Load() != writers {
			t.Errorf("%d tags, %d saves; want %d", len(final.Tags), saved.Load(), writers)
		}
		if stale.Load() == 0 {
			t.Error("no 412 observed: the writers did not overlap")
		}
		var revs respond.List[revisionSummary]
		h.expect(h.do(editors[0].token, "GET", path+"/revisions", nil), 200, "revisions").json(t, &revs)
		if len(revs.Items) != final.Version {
			t.Errorf("%d revisions for version %d", len(revs.Items), final.Version)
		}
		t.Logf("%d writers, %d stale answers", writers, stale.Load())
	})
}
