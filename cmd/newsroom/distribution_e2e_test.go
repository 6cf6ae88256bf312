package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// TestDistributionThroughTheServer runs the built binary with the SSRF guard
// opened for 127.0.0.1, creates a webhook target over the API and checks
// that publishing reaches it, signed, and shows in the story's distribution.
func TestDistributionThroughTheServer(t *testing.T) {
	t.Parallel()
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	var mu sync.Mutex
	var got []map[string]any
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		body["_valid"] = distribution.Verify(secret, r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), raw, r.Header.Get("webhook-signature"))
		mu.Lock()
		got = append(got, body)
		mu.Unlock()
		_, _ = w.Write([]byte(`{"id":"doi-tac-42"}`))
	}))
	defer recv.Close()

	env := append(fastEnv(filepath.Join(t.TempDir(), "dist.db")), "NEWSROOM_DISTRIBUTION_ALLOW_HOSTS=127.0.0.1",
		"NEWSROOM_DISTRIBUTION_SECRET_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	srv := startServer(t, env, "--demo")
	admin, rep, ed, eic := srv.demoLogin(t, "quantri"), srv.demoLogin(t, "phongvien"), srv.demoLogin(t, "bientap"), srv.demoLogin(t, "tongbientap")

	for _, bad := range []map[string]any{
		{"name": "Thiếu loại", "url": recv.URL},
		{"name": "Nội bộ", "kind": "webhook", "url": "http://10.0.0.5/hook"},
		{"name": "Metadata", "kind": "webhook", "url": "http://169.254.169.254/"},
		{"name": "Sai định dạng", "kind": "webhook", "url": recv.URL, "format": "xml"},
	} {
		admin.must(400, "POST", "/api/v1/targets", bad, nil)
	}
	rep.must(403, "GET", "/api/v1/targets", nil, nil)
	tg := admin.must(201, "POST", "/api/v1/targets", map[string]any{"name": "Báo Mới", "kind": "webhook", "url": recv.URL + "/hook", "secret": secret}, nil)
	if tg["has_secret"] != true || tg["secret"] != nil {
		t.Fatalf("target answer: %v", tg)
	}

	st := rep.must(201, "POST", "/api/v1/stories", map[string]any{"section_id": eic.sectionID("Xã hội"), "headline": "Phát gạo cứu đói dịp Tết",
		"body": "<p>Nội dung.</p>", "channels": []string{"web", "radio"},
		"radio": map[string]any{"script": "Kính thưa quý vị, gạo cứu đói đã về tới các xã vùng lũ."}}, nil)
	id := st["id"].(string)
	approve(id, rep, ed)
	eic.transition(id, "publish")
	var items []any
	waitFor(t, time.Minute, "the story's 3 deliveries delivered", func() bool {
		items = eic.must(200, "GET", "/api/v1/stories/"+id+"/distribution", nil, nil)["items"].([]any)
		done := 0
		for _, it := range items {
			if it.(map[string]any)["state"] == "delivered" {
				done++
			}
		}
		return len(items) == 3 && done == 3
	}, func() string { return fmt.Sprintf("distribution not delivered: %v\n%s", items, srv.stderr.String()) })
	var delivery string
	for _, it := range items {
		m := it.(map[string]any)
		if m["target_name"] == "Báo Mới" {
			delivery = m["id"].(string)
			if m["external_id"] != "doi-tac-42" || m["attempts"].(float64) != 1 {
				t.Fatalf("target entry: %v", m)
			}
		}
	}
	mu.Lock()
	if len(got) != 1 || got[0]["_valid"] != true || got[0]["pubStatus"] != "usable" {
		t.Fatalf("receiver got %v", got)
	}
	mu.Unlock()
	eic.must(400, "POST", "/api/v1/deliveries/khong-phai-uuid/retry", nil, nil)
	rep.must(403, "POST", "/api/v1/deliveries/"+delivery+"/retry", nil, nil)
	eic.must(202, "POST", "/api/v1/deliveries/"+delivery+"/retry", nil, nil)
	attempts := eic.must(200, "GET", "/api/v1/deliveries/"+delivery+"/attempts", nil, nil)["items"].([]any)
	if len(attempts) < 1 || attempts[0].(map[string]any)["status_code"].(float64) != 200 {
		t.Fatalf("attempts: %v", attempts)
	}
	if code, _ := getPublic(t, srv.base+"/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on http.addr = %d, want 404 (metrics live on metrics.addr only)", code)
	}
	srv.mu.Lock()
	metricsBase := srv.metrics
	srv.mu.Unlock()
	if metricsBase == "" {
		t.Fatalf("serve did not print its metrics address:\n%s", srv.output())
	}
	_, metrics := getPublic(t, metricsBase+"/metrics")
	for _, name := range []string{"newsroom_distribution_deliveries_total", "newsroom_distribution_publish_to_delivered_seconds", "newsroom_jobs_queue_depth"} {
		if !strings.Contains(string(metrics), name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	srv.stop(t)
}

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
