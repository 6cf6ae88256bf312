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
	_, metrics := getPublic(t, srv.base+"/metrics")
	for _, name := range []string{"newsroom_distribution_deliveries_total", "newsroom_distribution_publish_to_delivered_seconds", "newsroom_jobs_queue_depth"} {
		if !strings.Contains(string(metrics), name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	srv.stop(t)
}
