package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Oracles of the delivery detail: the receiver's path and answer, and a
// target whose dial fails with its URL and resolved address in the error.
const (
	receiverPath   = "/nhan-bai-9931"
	receiverAnswer = "kho-nhan-tu-choi-7731"
	unreachableURL = "http://localhost:9/duong-dan-noi-bo-5150"
)

// failedDeliveries publishes a story to two webhook targets that both fail
// (a receiver answering 502 with receiverAnswer, and unreachableURL), makes
// one attempt at each delivery, and returns the story id and, by target
// name, the deliveries.
func failedDeliveries(t *testing.T, h *harness, receiverURL string, reporter, editor, chief member, sectionID string) (string, map[string]distribution.Delivery) {
	t.Helper()
	ctx := context.Background()
	admin := h.admin.Actor("192.0.2.1")
	kind := "webhook"
	for name, u := range map[string]string{"Báo đối tác": receiverURL + receiverPath, "Cổng nội bộ": unreachableURL} {
		if _, err := h.app.Distribution.CreateTarget(ctx, admin, distribution.TargetInput{Name: &name, Kind: &kind, URL: &u}); err != nil {
			t.Fatalf("create target %s: %v", name, err)
		}
	}
	st := h.newStory(reporter, map[string]any{"section_id": sectionID, "headline": "Giá lúa tăng mạnh", "sapo": "Tin từ Cần Thơ", "body": "<p>Giá lúa tăng.</p>"})
	for _, step := range []struct {
		m      member
		action string
	}{{reporter, "submit"}, {editor, "claim"}, {editor, "approve"}, {chief, "publish"}} {
		h.expect(h.do(step.m.token, "POST", "/api/v1/stories/"+st.ID+"/transitions", map[string]any{"action": step.action}), 200, step.action)
	}
	ds, err := h.app.Distribution.StoryDistribution(ctx, admin, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		_, _ = h.app.Distribution.Deliver(ctx, d.ID)
	}
	ds, _ = h.app.Distribution.StoryDistribution(ctx, admin, st.ID)
	out := map[string]distribution.Delivery{}
	for _, d := range ds {
		if d.TargetName != "" {
			out[d.TargetName] = d
		}
	}
	if len(out) != 2 || out["Báo đối tác"].State != distribution.StateRetrying || out["Cổng nội bộ"].State != distribution.StateRetrying {
		t.Fatalf("deliveries after one attempt: %+v", out)
	}
	return st.ID, out
}

// TestDeliveryDetailForRedeliverersOnly: the attempt log (URLs, resolved
// addresses, receivers' answers) and deliveries' errors are for the roles
// that may redeliver; a reporter or an editor sees where the story went and
// how each delivery stands, and gets 403 on the attempts.
func TestDeliveryDetailForRedeliverersOnly(t *testing.T) {
	receiverURL, allow := testutil.FailingReceiver(t, `{"error":"`+receiverAnswer+`"}`)
	forEachHarness(t, func(t *testing.T, h *harness) {
		sec := h.section("Kinh tế", 1)
		reporter := h.user("phongvien", user.RoleReporter, sec.ID)
		editor := h.user("bientap", user.RoleEditor, sec.ID)
		chief := h.user("tongbientap", user.RoleEditorInChief)
		storyID, ds := failedDeliveries(t, h, receiverURL, reporter, editor, chief, sec.ID)
		secrets := []string{receiverPath, receiverAnswer, "duong-dan-noi-bo-5150", "localhost:9", "127.0.0.1", "HTTP 502"}

		type listing struct {
			Items []map[string]any `json:"items"`
		}
		for _, m := range []member{reporter, editor} {
			r := h.expect(h.do(m.token, "GET", "/api/v1/stories/"+storyID+"/distribution", nil), 200, m.Username+" reads the distribution")
			for _, s := range secrets {
				if strings.Contains(string(r.Body), s) {
					t.Errorf("%s: the distribution shows %q: %s", m.Username, s, r.Body)
				}
			}
			var l listing
			r.json(t, &l)
			names := map[string]bool{}
			for _, it := range l.Items {
				name, _ := it["target_name"].(string)
				names[name] = true
				if it["target_id"] != nil && (it["last_error"] != "" || it["external_id"] != "" || it["redacted"] != true || it["state"] != "retrying") {
					t.Errorf("%s: delivery not redacted: %v", m.Username, it)
				}
			}
			if !names["Báo đối tác"] || !names["Cổng nội bộ"] {
				t.Errorf("%s: target names missing: %s", m.Username, r.Body)
			}
			for _, d := range ds {
				r := h.do(m.token, "GET", "/api/v1/deliveries/"+d.ID+"/attempts", nil)
				h.expectCode(r, 403, "forbidden", m.Username+" reads the attempts")
				if e := r.err(t); !strings.Contains(e.Error.Message, "attempt log") {
					t.Errorf("%s: refusal message %q", m.Username, e.Error.Message)
				}
			}
		}
		// In Vietnamese, and before any lookup: an unknown delivery is refused the same way.
		r := h.do(reporter.token, "GET", "/api/v1/deliveries/00000000-0000-4000-8000-000000000000/attempts", nil, "Accept-Language", "vi")
		h.expectCode(r, 403, "forbidden", "reporter reads an unknown delivery's attempts")
		if e := r.err(t); !strings.Contains(e.Error.Message, "nhật ký các lần gửi") {
			t.Errorf("Vietnamese refusal %q", e.Error.Message)
		}

		// The editor-in-chief sees everything.
		r = h.expect(h.do(chief.token, "GET", "/api/v1/stories/"+storyID+"/distribution", nil), 200, "chief reads the distribution")
		var l listing
		r.json(t, &l)
		for _, it := range l.Items {
			if it["target_id"] != nil && (it["last_error"] == "" || it["redacted"] != nil) {
				t.Errorf("chief: delivery without its error: %v", it)
			}
		}
		if !strings.Contains(string(r.Body), "HTTP 502") || !strings.Contains(string(r.Body), "duong-dan-noi-bo-5150") {
			t.Errorf("chief: errors missing: %s", r.Body)
		}
		got := ""
		for _, d := range ds {
			got += string(h.expect(h.do(chief.token, "GET", "/api/v1/deliveries/"+d.ID+"/attempts", nil), 200, "chief reads the attempts").Body)
		}
		for _, s := range []string{receiverAnswer, "duong-dan-noi-bo-5150", "HTTP 502"} {
			if !strings.Contains(got, s) {
				t.Errorf("chief: the attempts lack %q: %s", s, got)
			}
		}
	}, allow)
}
