package httpapi_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/user"
)

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
