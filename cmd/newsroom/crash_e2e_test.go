package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// TestSIGKILLDuringFanoutLosesNothing publishes 100 stories to one webhook
// target through the API, kills the server with SIGKILL while deliveries
// are in flight (the receiver holds the requests after the first ones),
// restarts it, and checks that every (story, target) pair is received at
// least once and that every repeat of a pair carries the same webhook-id.
// distribution.stuck_after is a few seconds so the jobs the dead process
// was running are taken up again within the test.
func TestSIGKILLDuringFanoutLosesNothing(t *testing.T) {
	for _, dialect := range testutil.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			const stories, before = 100, 30
			var mu sync.Mutex
			seen := map[string]map[string]int{} // story uri -> webhook-id -> requests
			arrived := 0
			gate := make(chan struct{})
			recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				raw, _ := io.ReadAll(r.Body)
				var body struct {
					URI string `json:"uri"`
				}
				_ = json.Unmarshal(raw, &body)
				id := r.Header.Get("webhook-id")
				mu.Lock()
				if seen[body.URI] == nil {
					seen[body.URI] = map[string]int{}
				}
				seen[body.URI][id]++
				arrived++
				hold := arrived > before
				mu.Unlock()
				if hold {
					// In flight when the server dies: its answer is lost.
					<-gate
				}
				_, _ = w.Write([]byte(`{"id":"ext-` + id + `"}`))
			}))
			defer recv.Close()
			released := false
			release := func() {
				if !released {
					released = true
					close(gate)
				}
			}
			defer release()
			count := func() int {
				mu.Lock()
				defer mu.Unlock()
				return arrived
			}

			env := append(fastEnv(testutil.EmptyDatabaseURL(t, dialect)), "NEWSROOM_DISTRIBUTION_ALLOW_HOSTS=127.0.0.1",
				"NEWSROOM_DISTRIBUTION_STUCK_AFTER=2s")
			srv := startServer(t, env, "--demo")
			passwords := map[string]string{} // kept: a second start with --demo prints none
			for _, u := range []string{"quantri", "phongvien", "bientap", "tongbientap"} {
				passwords[u] = srv.demoPassword(t, u)
			}
			admin := login(t, srv.base, "quantri", passwords["quantri"])
			rep := login(t, srv.base, "phongvien", passwords["phongvien"])
			ed := login(t, srv.base, "bientap", passwords["bientap"])
			eic := login(t, srv.base, "tongbientap", passwords["tongbientap"])
			admin.must(201, "POST", "/api/v1/targets", map[string]any{"name": "Báo Mới", "kind": "webhook", "url": recv.URL + "/hook", "format": "ninjs"}, nil)
			secID := eic.sectionID("Xã hội")

			// 100 approved stories, then 100 publishes in a row.
			ids := make([]string, 0, stories)
			for i := range stories {
				st := rep.must(201, "POST", "/api/v1/stories", map[string]any{"section_id": secID,
					"headline": fmt.Sprintf("Tin phát hành hàng loạt số %d", i+1), "body": "<p>Nội dung.</p>", "channels": []string{"web"}}, nil)
				id := st["id"].(string)
				approve(id, rep, ed)
				ids = append(ids, id)
			}
			for _, id := range ids {
				eic.transition(id, "publish")
			}

			// Kill as soon as requests are being held (failure bound, not a timing check).
			waitFor(t, time.Minute, "the receiver to hold requests", func() bool { return count() > before },
				func() string { return fmt.Sprintf("receiver got only %d requests\n%s", count(), srv.stderr.String()) })
			if err := srv.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			<-srv.exited
			atKill := count()
			release()

			srv = startServer(t, env, "--demo")
			eic = login(t, srv.base, "tongbientap", passwords["tongbientap"])
			keys := map[string]string{} // story id -> idempotency key of its target delivery
			waitFor(t, 90*time.Second, "every target delivery finished after the restart", func() bool {
				for _, id := range ids {
					if keys[id] != "" {
						continue
					}
					for _, it := range eic.must(200, "GET", "/api/v1/stories/"+id+"/distribution", nil, nil)["items"].([]any) {
						m := it.(map[string]any)
						if m["target_name"] != "Báo Mới" {
							continue
						}
						switch m["state"] {
						case "delivered":
							keys[id] = m["idempotency_key"].(string)
						case "dead":
							t.Fatalf("delivery of %s dead: %v", id, m)
						}
					}
				}
				return len(keys) == stories
			}, func() string {
				return fmt.Sprintf("%d of %d deliveries finished after the restart (%d requests before the kill)\n%s",
					len(keys), stories, atKill, srv.stderr.String())
			})
			srv.stop(t)

			mu.Lock()
			defer mu.Unlock()
			repeats := 0
			for _, id := range ids {
				got := seen["urn:uuid:"+id]
				if len(got) != 1 || got[keys[id]] < 1 {
					t.Errorf("story %s: webhook-ids received %v, want only its delivery's key %s", id, got, keys[id])
				}
				repeats += got[keys[id]] - 1
			}
			if len(seen) != stories {
				var extra []string
				for uri := range seen {
					extra = append(extra, uri)
				}
				t.Errorf("receiver saw %d stories, want %d: %s", len(seen), stories, strings.Join(extra, " "))
			}
			t.Logf("%s: %d requests before the kill, %d in all, %d repeats (same webhook-id)", dialect, atKill, arrived, repeats)
		})
	}
}
