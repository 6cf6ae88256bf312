package httpapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// TestEditorialScenario is the whole path of a story over HTTP: two-level
// section, reject and resubmit, two signatures, publish, then its history.
func TestEditorialScenario(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		sec := h.section("Thời sự", 2)
		if sec.ApprovalLevels != 2 || len(sec.LevelRoles) != 2 {
			t.Fatalf("section = %+v", sec)
		}
		h.expect(h.do(h.adminToken, "GET", "/api/v1/sections/"+sec.ID, nil), 200, "get section")
		reporter := h.user("phongvien", user.RoleReporter, sec.ID)
		editor := h.user("bientap", user.RoleEditor, sec.ID)
		chief := h.user("tongbientap", user.RoleEditorInChief)

		// The reporter writes and submits.
		r := h.expect(h.do(reporter.token, "POST", "/api/v1/stories", map[string]any{
			"section_id": sec.ID, "headline": "Hà Nội mưa lớn", "sapo": "Mưa kéo dài", "body": "<p>Trời mưa to.</p>", "tags": []string{"thời tiết"},
		}), 201, "create story")
		var st storyJSON
		r.json(t, &st)
		if r.Header.Get("ETag") != `"1"` || r.Header.Get("Location") != "/api/v1/stories/"+st.ID || st.State != "draft" || st.Slug != "ha-noi-mua-lon" {
			t.Fatalf("created story: etag %q location %q %+v", r.Header.Get("ETag"), r.Header.Get("Location"), st.Story)
		}
		if !slices.Equal(st.AllowedActions, []string{"submit"}) || st.Lock != nil {
			t.Fatalf("allowed actions of the new draft = %v, lock %v", st.AllowedActions, st.Lock)
		}
		path := "/api/v1/stories/" + st.ID
		move := func(m member, action, comment string, wantState string, wantVersion int) storyJSON {
			t.Helper()
			body := map[string]any{"action": action}
			if comment != "" {
				body["comment"] = comment
			}
			var out storyJSON
			r := h.expect(h.do(m.token, "POST", path+"/transitions", body), 200, action+" by "+m.Username)
			r.json(t, &out)
			if string(out.State) != wantState || out.Version != wantVersion || r.Header.Get("ETag") != fmt.Sprintf(`"%d"`, wantVersion) {
				t.Fatalf("%s: state %s version %d etag %s, want %s %d", action, out.State, out.Version, r.Header.Get("ETag"), wantState, wantVersion)
			}
			return out
		}
		move(reporter, "submit", "", "submitted", 2)

		// The editor claims it and sends it back.
		claimed := move(editor, "claim", "", "in_edit", 3)
		if claimed.AssigneeID == nil || *claimed.AssigneeID != editor.ID {
			t.Fatalf("claim did not assign the editor: %v", claimed.AssigneeID)
		}
		if e := h.do(editor.token, "POST", path+"/transitions", map[string]any{"action": "reject"}).err(t); e.Error.Details["field"] != "comment" {
			t.Fatalf("reject without comment: %+v", e)
		}
		move(editor, "reject", "Thiếu nguồn tin, bổ sung trích dẫn", "draft", 4)

		// The reporter fixes it (If-Match) and resubmits.
		r = h.expect(h.do(reporter.token, "PATCH", path, map[string]any{"body": "<p>Trời mưa to, theo Trung tâm Dự báo.</p>"}, "If-Match", `"4"`), 200, "edit")
		r.json(t, &st)
		if st.Version != 5 || r.Header.Get("ETag") != `"5"` || !strings.Contains(st.Body, "Trung tâm Dự báo") {
			t.Fatalf("edit: %+v etag %s", st.Story, r.Header.Get("ETag"))
		}
		move(reporter, "submit", "", "submitted", 6)

		// Two signatures: editor (level 1), editor-in-chief (level 2); then publish.
		move(editor, "claim", "", "in_edit", 7)
		afterFirst := move(editor, "approve", "Đạt", "in_edit", 8)
		if slices.Contains(afterFirst.AllowedActions, "approve") {
			t.Fatalf("the editor may sign level 2 too: %v", afterFirst.AllowedActions)
		}
		if r := h.do(editor.token, "POST", path+"/transitions", map[string]any{"action": "approve"}); r.Code != 403 {
			t.Fatalf("second signature by the same editor = %d %s", r.Code, r.Body)
		}
		move(chief, "approve", "", "approved", 9)
		var approvals respond.List[story.Approval]
		h.expect(h.do(chief.token, "GET", path+"/approvals", nil), 200, "approvals").json(t, &approvals)
		if len(approvals.Items) != 2 || approvals.Items[0].UserID != editor.ID || approvals.Items[1].UserID != chief.ID {
			t.Fatalf("approvals = %+v", approvals.Items)
		}
		published := move(chief, "publish", "", "published", 10)
		if published.PublishedAt == nil {
			t.Fatal("published story has no published_at")
		}

		// History: every step is a revision.
		var revs respond.List[revisionSummary]
		h.expect(h.do(reporter.token, "GET", path+"/revisions", nil), 200, "revisions").json(t, &revs)
		var actions []string
		for i, rv := range revs.Items {
			if rv.Number != 10-i {
				t.Fatalf("revision %d has number %d (newest first expected)", i, rv.Number)
			}
			actions = append(actions, rv.Action)
		}
		if last := revs.Items[len(revs.Items)-1]; last.Actor != "phongvien" {
			t.Errorf("the create revision's actor_username = %q, want phongvien", last.Actor)
		}
		wantActions := []string{"publish", "approve", "approve", "claim", "submit", "update", "reject", "claim", "submit", "create"}
		if !slices.Equal(actions, wantActions) {
			t.Fatalf("revision actions = %v, want %v", actions, wantActions)
		}
		if revs.Items[6].Comment != "Thiếu nguồn tin, bổ sung trích dẫn" || revs.Items[6].ActorID != editor.ID || revs.NextCursor != "" {
			t.Fatalf("reject revision = %+v", revs.Items[6])
		}
		var rev4 story.Revision
		h.expect(h.do(reporter.token, "GET", path+"/revisions/4", nil), 200, "revision 4").json(t, &rev4)
		if rev4.Snapshot.State != "draft" || rev4.Snapshot.Body != "<p>Trời mưa to.</p>" {
			t.Fatalf("revision 4 snapshot = %+v", rev4.Snapshot)
		}
		var d story.Diff
		h.expect(h.do(reporter.token, "GET", path+"/diff?from=4&to=5", nil), 200, "diff").json(t, &d)
		if len(d.Fields) != 1 || d.Fields[0].Field != "body" {
			t.Fatalf("diff 4..5 fields = %+v", d.Fields)
		}
		inserted := ""
		for _, op := range d.Fields[0].Ops {
			if op.Op == "insert" {
				inserted += op.Text
			}
		}
		if !strings.Contains(inserted, "Trung tâm Dự báo") {
			t.Fatalf("diff does not show the inserted words: %+v", d.Fields[0].Ops)
		}
		if r := h.do(reporter.token, "GET", path+"/diff?from=4", nil); r.Code != 400 || r.err(t).Error.Details["field"] != "to" {
			t.Fatalf("diff without to = %d %s", r.Code, r.Body)
		}
		var comments respond.List[story.Comment]
		h.expect(h.do(reporter.token, "GET", path+"/comments", nil), 200, "comments").json(t, &comments)
		if len(comments.Items) != 2 || comments.Items[0].Action != "reject" || comments.Items[1].Action != "approve" {
			t.Fatalf("comments = %+v", comments.Items)
		}

		// The audit trail has every step with its actor and versions.
		var events respond.List[audit.Event]
		h.expect(h.do(h.adminToken, "GET", "/api/v1/audit?target_id="+st.ID+"&action=story.", nil), 200, "audit").json(t, &events)
		type step struct {
			action, actor string
			before, after int
		}
		want := []step{
			{"story.create", reporter.ID, 0, 1}, {"story.transition.submit", reporter.ID, 1, 2},
			{"story.transition.claim", editor.ID, 2, 3}, {"story.transition.reject", editor.ID, 3, 4},
			{"story.update", reporter.ID, 4, 5}, {"story.transition.submit", reporter.ID, 5, 6},
			{"story.transition.claim", editor.ID, 6, 7}, {"story.transition.approve", editor.ID, 7, 8},
			{"story.transition.approve", chief.ID, 8, 9}, {"story.transition.publish", chief.ID, 9, 10},
		}
		if len(events.Items) != len(want) {
			t.Fatalf("audit has %d story events, want %d: %+v", len(events.Items), len(want), events.Items)
		}
		for i, w := range want {
			e := events.Items[len(events.Items)-1-i] // newest first
			if e.Action != w.action || e.ActorID != w.actor || e.BeforeVersion != w.before || e.AfterVersion != w.after || e.ActorName == "" || e.At.IsZero() {
				t.Errorf("audit step %d = %s by %s %d->%d, want %+v", i, e.Action, e.ActorID, e.BeforeVersion, e.AfterVersion, w)
			}
		}
		// Paging through the audit trail returns the same events, two at a time.
		var paged []audit.Event
		q := "/api/v1/audit?limit=2&target_id=" + st.ID + "&action=story."
		for cursor, pages := "", 0; ; pages++ {
			if pages > 10 {
				t.Fatal("audit paging does not end")
			}
			var page respond.List[audit.Event]
			u := q
			if cursor != "" {
				u += "&cursor=" + url.QueryEscape(cursor)
			}
			h.expect(h.do(h.adminToken, "GET", u, nil), 200, "audit page").json(t, &page)
			paged = append(paged, page.Items...)
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if len(paged) != len(events.Items) || paged[0].ID != events.Items[0].ID || paged[len(paged)-1].ID != events.Items[len(events.Items)-1].ID {
			t.Fatalf("paged audit differs: %d vs %d events", len(paged), len(events.Items))
		}
		var logins respond.List[audit.Event]
		h.expect(h.do(h.adminToken, "GET", "/api/v1/audit?action=auth.login&actor="+reporter.ID, nil), 200, "audit by actor").json(t, &logins)
		if len(logins.Items) != 1 || logins.Items[0].ActorID != reporter.ID {
			t.Fatalf("login events of the reporter = %+v", logins.Items)
		}
		if r := h.do(editor.token, "GET", "/api/v1/audit", nil); r.Code != 403 {
			t.Fatalf("editor reading the audit = %d", r.Code)
		}
	})
}
