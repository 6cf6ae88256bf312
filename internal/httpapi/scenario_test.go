package httpapi_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// TestEditorialScenario is the whole path of a story over HTTP: two-level
// section, reject and resubmit, two signatures, publish, then its history.
func TestEditorialScenario(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		sec, reporter, editor := h.desk("Thời sự", 2)
		if sec.ApprovalLevels != 2 || len(sec.LevelRoles) != 2 {
			t.Fatalf("section = %+v", sec)
		}
		h.expect(h.do(h.adminToken, "GET", "/api/v1/sections/"+sec.ID, nil), 200, "get section")
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

// TestBadInput sends wrong requests; each must answer its clear 4xx and leave
// the story exactly as it was.
func TestBadInput(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		sec, reporter, editor := h.desk("Pháp luật", 1)
		producer := h.user("sanxuat", user.RoleProducer)
		st := h.newStory(reporter, map[string]any{"section_id": sec.ID, "headline": "Xét xử vụ án",
			"body": "<p>Nội dung</p>", "tags": []string{"tòa án"}})
		path := "/api/v1/stories/" + st.ID
		json := func(s string) rawBody { return rawBody(s) }
		ifm := func(v int) []string { return []string{"Content-Type", "application/json", "If-Match", etag(v)} }

		// unchanged re-reads the story and compares it with the last good state.
		unchanged := func(what string) {
			t.Helper()
			var now storyJSON
			h.expect(h.do(reporter.token, "GET", path, nil), 200, "re-read after "+what).json(t, &now)
			if now.Version != st.Version || now.Headline != st.Headline || now.Body != st.Body || now.State != st.State ||
				strings.Join(now.Tags, ",") != strings.Join(st.Tags, ",") || now.Sapo != st.Sapo {
				t.Errorf("%s changed the story: %+v, was %+v", what, now.Story, st.Story)
			}
		}
		cases := []struct {
			name         string
			method, path string
			body         any
			hdr          []string
			status       int
			code, msg    string
			field        string
		}{
			{"malformed JSON", "PATCH", path, json(`{"headline": "x",}`), ifm(1), 400, "invalid", "malformed JSON at byte", ""},
			{"unknown field", "PATCH", path, json(`{"headline":"x","state":"published"}`), ifm(1), 400, "invalid", `unknown field "state"`, "state"},
			{"wrong type", "PATCH", path, json(`{"tags":"x"}`), ifm(1), 400, "invalid", `field "tags" must be array of string`, "tags"},
			{"not an object", "PATCH", path, json(`["headline"]`), ifm(1), 400, "invalid", "JSON object", ""},
			{"empty body", "PATCH", path, json(``), ifm(1), 400, "invalid", "empty", ""},
			{"trailing data", "PATCH", path, json(`{"headline":"x"}{"headline":"y"}`), ifm(1), 400, "invalid", "after the JSON object", ""},
			{"oversize body", "PATCH", path, json(`{"body":"` + strings.Repeat("a", server.DefaultMaxBodyBytes) + `"}`), ifm(1), 413, "too_large", "", ""},
			{"oversize story body", "PATCH", path, json(`{"body":"` + strings.Repeat("a", 3<<20) + `"}`), ifm(1), 413, "too_large", "", "body"},
			{"invalid UUID in path", "PATCH", "/api/v1/stories/not-a-uuid", map[string]any{"headline": "x"}, []string{"If-Match", `"1"`}, 400, "invalid", `"id"`, "id"},
			{"invalid UUID on GET", "GET", "/api/v1/stories/1234", nil, nil, 400, "invalid", "not a UUID", "id"},
			{"unknown story", "GET", "/api/v1/stories/00000000-0000-4000-8000-000000000000", nil, nil, 404, "not_found", "", ""},
			{"missing If-Match", "PATCH", path, map[string]any{"headline": "x"}, nil, 428, "precondition_required", "If-Match", ""},
			// RFC 9110: an entity-tag that does not match strongly is 412, whatever its form.
			{"If-Match not a version", "PATCH", path, map[string]any{"headline": "x"}, []string{"If-Match", `"abc"`}, 412, "precondition_failed", "", ""},
			{"weak If-Match", "PATCH", path, map[string]any{"headline": "x"}, []string{"If-Match", `W/"1"`}, 412, "precondition_failed", "", ""},
			{"garbage If-Match", "PATCH", path, map[string]any{"headline": "x"}, []string{"If-Match", `not an etag`}, 412, "precondition_failed", "", ""},
			{"If-Match list without the version", "PATCH", path, map[string]any{"headline": "x"}, []string{"If-Match", `"5", "6"`}, 412, "precondition_failed", "", ""},
			{"stale If-Match", "PATCH", path, map[string]any{"headline": "x"}, []string{"If-Match", `"7"`}, 412, "precondition_failed", "", ""},
			{"non-JSON content type", "PATCH", path, json(`headline=x`), []string{"Content-Type", "application/x-www-form-urlencoded", "If-Match", `"1"`}, 415, "unsupported_media", "", ""},
			{"no content type", "PATCH", path, json(`{"headline":"x"}`), []string{"If-Match", `"1"`}, 415, "unsupported_media", "", ""},
			{"empty change", "PATCH", path, map[string]any{}, []string{"If-Match", `"1"`}, 400, "invalid", "no field", ""},
			{"empty headline", "PATCH", path, map[string]any{"headline": "  "}, []string{"If-Match", `"1"`}, 400, "invalid", "headline", "headline"},
			{"unknown channel", "PATCH", path, map[string]any{"channels": []string{"fax"}}, []string{"If-Match", `"1"`}, 400, "invalid", "", "channels"},
			{"unknown action", "POST", path + "/transitions", map[string]any{"action": "teleport"}, nil, 400, "invalid", "teleport", "action"},
			{"action not possible", "POST", path + "/transitions", map[string]any{"action": "publish"}, nil, 409, "conflict", "", ""},
			{"transition stale If-Match", "POST", path + "/transitions", map[string]any{"action": "submit"}, []string{"If-Match", `"9"`}, 412, "precondition_failed", "", ""},
			{"wrong role edits", "PATCH", path, map[string]any{"headline": "x"}, []string{"If-Match", `"1"`}, 404, "not_found", "", ""},
			{"bad state filter", "GET", "/api/v1/stories?state=draft,archived", nil, nil, 400, "invalid", "archived", "state"},
			{"bad limit", "GET", "/api/v1/stories?limit=500", nil, nil, 400, "invalid", "", "limit"},
			{"bad cursor", "GET", "/api/v1/stories?cursor=bm9wZQ", nil, nil, 400, "invalid", "cursor", "cursor"},
			{"bad time filter", "GET", "/api/v1/stories?updated_from=yesterday", nil, nil, 400, "invalid", "RFC 3339", "updated_from"},
			{"bad revision number", "GET", path + "/revisions/zero", nil, nil, 400, "invalid", "", "n"},
			{"empty comment", "POST", path + "/comments", map[string]any{"body": " "}, nil, 400, "invalid", "", "body"},
		}
		for _, tc := range cases {
			token := reporter.token
			if tc.name == "wrong role edits" {
				token = producer.token
			}
			hdr := tc.hdr
			if _, isRaw := tc.body.(rawBody); isRaw && tc.name != "no content type" && tc.name != "non-JSON content type" && len(hdr) == 0 {
				hdr = []string{"Content-Type", "application/json"}
			}
			r := h.do(token, tc.method, tc.path, tc.body, hdr...)
			if r.Code != tc.status {
				t.Errorf("%s: status %d, want %d: %.300s", tc.name, r.Code, tc.status, r.Body)
				continue
			}
			e := r.err(t)
			if e.Error.Code != tc.code || !strings.Contains(e.Error.Message, tc.msg) {
				t.Errorf("%s: error %q %q, want %q containing %q", tc.name, e.Error.Code, e.Error.Message, tc.code, tc.msg)
			}
			if tc.field != "" && e.Error.Details["field"] != tc.field {
				t.Errorf("%s: details.field %v, want %q", tc.name, e.Error.Details["field"], tc.field)
			}
			if tc.status == 412 {
				if e.Error.Details["current_version"] != float64(1) || e.Error.Details["story"] == nil {
					t.Errorf("%s: 412 details %v", tc.name, e.Error.Details)
				}
			}
			if tc.name == "action not possible" && e.Error.Details["allowed"] == nil {
				t.Errorf("409 lacks details.allowed: %v", e.Error.Details)
			}
			unchanged(tc.name)
		}

		// Script in the body is removed; the allowed markup stays.
		evil := `<p>Xin <strong>chào</strong> <a href="https://vnexpress.net/">nguồn</a></p><script>alert(1)</script>` +
			`<img src="/media/a.jpg" onerror="alert(2)"><a href="javascript:alert(3)">bấm</a><p onclick="x()">đoạn</p>`
		r := h.expect(h.do(reporter.token, "PATCH", path, map[string]any{"body": evil}, "If-Match", etag(st.Version)), 200, "script body")
		r.json(t, &st)
		for _, bad := range []string{"<script", "alert(1)", "onerror", "javascript:", "onclick"} {
			if strings.Contains(strings.ToLower(st.Body), bad) {
				t.Errorf("stored body keeps %q: %s", bad, st.Body)
			}
		}
		for _, good := range []string{"<strong>chào</strong>", `href="https://vnexpress.net/"`, "<p>", "đoạn"} {
			if !strings.Contains(st.Body, good) {
				t.Errorf("stored body lost allowed markup %q: %s", good, st.Body)
			}
		}
		unchanged("script body re-read")

		// Workflow input errors: reject without a comment, schedule in the past.
		h.expect(h.do(reporter.token, "POST", path+"/transitions", map[string]any{"action": "submit"}), 200, "submit").json(t, &st)
		if e := h.expect(h.do(editor.token, "POST", path+"/transitions", map[string]any{"action": "reject"}), 400, "reject without comment").err(t); e.Error.Details["field"] != "comment" {
			t.Errorf("reject without comment: %+v", e.Error)
		}
		unchanged("reject without comment")
		h.expect(h.do(editor.token, "POST", path+"/transitions", map[string]any{"action": "claim"}), 200, "claim").json(t, &st)
		h.expect(h.do(editor.token, "POST", path+"/transitions", map[string]any{"action": "approve"}), 200, "approve").json(t, &st)
		if st.State != "approved" {
			t.Fatalf("one-level section: state after approve %s", st.State)
		}
		past := time.Now().UTC().Add(-time.Hour)
		if e := h.expect(h.do(editor.token, "POST", path+"/transitions", map[string]any{"action": "schedule", "publish_at": past}), 400, "schedule in the past").err(t); e.Error.Details["field"] != "publish_at" {
			t.Errorf("schedule in the past: %+v", e.Error)
		}
		unchanged("schedule in the past")
		if r := h.do(reporter.token, "POST", path+"/transitions", map[string]any{"action": "publish"}); r.Code != 403 {
			t.Errorf("reporter publishing = %d %s", r.Code, r.Body)
		}
		unchanged("publish by the reporter")
		if r := h.do(producer.token, "PATCH", path, map[string]any{"headline": "x"}, "If-Match", etag(st.Version)); r.Code != 403 {
			t.Errorf("producer editing an approved story = %d %s", r.Code, r.Body)
		}
		unchanged("edit by the producer")
		if r := h.do(reporter.token, "POST", "/api/v1/users", map[string]any{"username": "hacker", "role": "admin"}); r.Code != 403 {
			t.Errorf("reporter creating a user = %d", r.Code)
		}
		if r := h.do(reporter.token, "POST", "/api/v1/sections", map[string]any{"name": "Mới"}); r.Code != 403 {
			t.Errorf("reporter creating a section = %d", r.Code)
		}
		if r := h.do(reporter.token, "POST", "/api/v1/stories", rawBody(`{"section_id":"`+sec.ID+`","headline":"x"}`), "Content-Type", "text/plain"); r.Code != 415 {
			t.Errorf("create with text/plain = %d", r.Code)
		}
		// The request body limit counts bytes actually read, not the declared length.
		r = h.do(reporter.token, "POST", "/api/v1/stories", rawBody(`{"headline":"`+strings.Repeat("x", 5<<20)+`"}`), "Content-Type", "application/json")
		if r.Code != 413 {
			t.Errorf("oversize create = %d", r.Code)
		}
	})
}

// TestAccountSecurity covers lockout, idle expiry, forced password change and API token scopes.
func TestAccountSecurity(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		sec := h.section("Văn hóa", 1)
		reporter := h.user("phongvien", user.RoleReporter, sec.ID)

		t.Run("lockout", func(t *testing.T) {
			bad := map[string]string{"username": "phongvien", "password": "sai-mật-khẩu-rồi"}
			for i := 1; i <= 4; i++ {
				r := h.do("", "POST", "/api/v1/auth/login", bad)
				h.expectCode(r, 401, "invalid_credentials", fmt.Sprintf("failure %d", i))
			}
			// The fifth locks the name from this address, temporarily, and
			// then even the right password gets the wrong password's answer
			// (TestLoginTemporaryLockout); open sessions go on.
			r := h.do("", "POST", "/api/v1/auth/login", bad)
			h.expectCode(r, 401, "invalid_credentials", "fifth failure")
			r = h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": "phongvien", "password": testPassword})
			h.expectCode(r, 401, "invalid_credentials", "right password on a locked name")
			h.expect(h.do(reporter.token, "GET", "/api/v1/me", nil), 200, "session opened before the lock")
			h.expectCode(h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": "nobody", "password": "x"}), 401, "invalid_credentials", "unknown user")
			var u user.User
			h.expect(h.do(h.adminToken, "PATCH", "/api/v1/users/"+reporter.ID, map[string]any{"locked": false}), 200, "unlock").json(t, &u)
			if u.LockedAt != nil || u.FailedLogins != 0 {
				t.Fatalf("unlocked user: %+v", u)
			}
			reporter.token = h.login("phongvien", testPassword)
		})

		t.Run("idle expiry", func(t *testing.T) {
			token := h.login("phongvien", testPassword)
			var me meResponse
			h.expect(h.do(token, "GET", "/api/v1/me", nil), 200, "me").json(t, &me)
			if me.User.ID != reporter.ID || me.ExpiresAt == nil || me.ExpiresAt.Location() != time.UTC {
				t.Fatalf("me = %+v", me)
			}
			h.app.Users.SetClock(func() time.Time { return time.Now().UTC().Add(16 * time.Minute) })
			defer h.app.Users.SetClock(func() time.Time { return time.Now().UTC() })
			r := h.do(token, "GET", "/api/v1/me", nil)
			h.expectCode(r, 401, "session_expired", "idle session")
			h.app.Users.SetClock(func() time.Time { return time.Now().UTC() })
			if r := h.do(token, "GET", "/api/v1/me", nil); r.Code != 401 {
				t.Fatalf("expired session came back: %d", r.Code)
			}
		})

		t.Run("must change password", func(t *testing.T) {
			var created struct {
				user.User
				OneTimePassword string `json:"one_time_password"`
			}
			h.expect(h.do(h.adminToken, "POST", "/api/v1/users", map[string]any{"username": "moi", "role": "reporter", "section_ids": []string{sec.ID}}), 201, "create").json(t, &created)
			if created.OneTimePassword == "" || !created.MustChangePassword {
				t.Fatalf("created = %+v", created)
			}
			token := h.login("moi", created.OneTimePassword)
			h.expect(h.do(token, "GET", "/api/v1/me", nil), 200, "me while gated")
			for _, req := range [][2]string{{"GET", "/api/v1/stories"}, {"GET", "/api/v1/sections"}, {"GET", "/api/v1/me/tokens"}, {"POST", "/api/v1/stories"}} {
				var body any
				if req[0] == "POST" {
					body = map[string]any{"section_id": sec.ID, "headline": "x"}
				}
				r := h.do(token, req[0], req[1], body)
				h.expectCode(r, 403, "password_change_required", fmt.Sprintf("%s %s while gated", req[0], req[1]))
			}
			r := h.do(token, "POST", "/api/v1/auth/password", map[string]string{"current_password": "wrong", "new_password": testPassword})
			if r.Code != 400 || r.err(t).Error.Details["field"] != "current_password" {
				t.Fatalf("wrong current password: %d %s", r.Code, r.Body)
			}
			h.expect(h.do(token, "POST", "/api/v1/auth/password", map[string]string{"current_password": created.OneTimePassword, "new_password": testPassword}), 204, "change password")
			h.expect(h.do(token, "GET", "/api/v1/stories", nil), 200, "stories after change")
			h.expect(h.do(token, "POST", "/api/v1/auth/logout", nil), 204, "logout")
			if r := h.do(token, "GET", "/api/v1/me", nil); r.Code != 401 {
				t.Fatalf("after logout: %d", r.Code)
			}
		})

		t.Run("api token scopes", func(t *testing.T) {
			var tok struct {
				user.APIToken
				Token string `json:"token"`
			}
			h.expect(h.do(reporter.token, "POST", "/api/v1/me/tokens", map[string]any{"name": "CMS plugin", "scopes": []string{"read"}}), 201, "token").json(t, &tok)
			if !strings.HasPrefix(tok.Token, "nrt_") || tok.ID == "" {
				t.Fatalf("token = %+v", tok)
			}
			h.expect(h.do(tok.Token, "GET", "/api/v1/stories", nil), 200, "read with read scope")
			r := h.do(tok.Token, "POST", "/api/v1/stories", map[string]any{"section_id": sec.ID, "headline": "x"})
			if r.Code != 403 || !strings.Contains(r.err(t).Error.Message, `"write"`) {
				t.Fatalf("write with read scope: %d %s", r.Code, r.Body)
			}
			if r := h.do(reporter.token, "POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scopes": []string{"admin"}}); r.Code != 403 {
				t.Fatalf("reporter asking for admin scope: %d", r.Code)
			}
			var adminTok struct {
				Token string `json:"token"`
			}
			h.expect(h.do(h.adminToken, "POST", "/api/v1/me/tokens", map[string]any{"name": "ops", "scopes": []string{"read", "write"}}), 201, "admin token").json(t, &adminTok)
			if r := h.do(adminTok.Token, "GET", "/api/v1/users", nil); r.Code != 403 || !strings.Contains(r.err(t).Error.Message, `"admin"`) {
				t.Fatalf("users without admin scope: %d %s", r.Code, r.Body)
			}
			h.expect(h.do(h.adminToken, "GET", "/api/v1/users", nil), 200, "users with a session")
			var toks respond.List[user.APIToken]
			h.expect(h.do(reporter.token, "GET", "/api/v1/me/tokens", nil), 200, "list tokens").json(t, &toks)
			if len(toks.Items) != 1 || toks.Items[0].ID != tok.ID {
				t.Fatalf("tokens = %+v", toks.Items)
			}
			h.expect(h.do(reporter.token, "DELETE", "/api/v1/me/tokens/"+tok.ID, nil), 204, "revoke")
			if r := h.do(tok.Token, "GET", "/api/v1/stories", nil); r.Code != 401 {
				t.Fatalf("revoked token: %d", r.Code)
			}
			if r := h.do(reporter.token, "DELETE", "/api/v1/me/tokens/xyz", nil); r.Code != 400 {
				t.Fatalf("revoke bad id: %d", r.Code)
			}
		})
	})
}

// TestTokenLifetime: no API token lives forever (issue 13): an admin-scope
// token lives at most auth.admin_token_max_lifetime (24h by default), a longer
// request is refused, and an old admin token without expiry stops working.
func TestTokenLifetime(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		type created struct {
			user.APIToken
			Token string `json:"token"`
		}
		var adm created
		h.expect(h.do(h.adminToken, "POST", "/api/v1/me/tokens", map[string]any{"name": "ops", "scopes": []string{"admin"}}), 201, "admin token").json(t, &adm)
		if adm.ExpiresAt == nil || adm.ExpiresAt.After(time.Now().Add(24*time.Hour)) {
			t.Errorf("admin token without expiry got expires_at %v, want at most 24h from now", adm.ExpiresAt)
		}
		h.expect(h.do(adm.Token, "GET", "/api/v1/users", nil), 200, "fresh admin token")

		r := h.do(h.adminToken, "POST", "/api/v1/me/tokens", map[string]any{"name": "ops", "scopes": []string{"read", "admin"},
			"expires_at": time.Now().UTC().Add(48 * time.Hour)})
		if r.Code != 400 || r.err(t).Error.Details["field"] != "expires_at" || !strings.Contains(r.err(t).Error.Message, "24h") {
			t.Errorf("48h admin token: %d %s, want 400 on expires_at", r.Code, r.Body)
		}

		var rd created
		h.expect(h.do(h.adminToken, "POST", "/api/v1/me/tokens", map[string]any{"name": "feed", "scopes": []string{"read"},
			"expires_at": time.Now().UTC().Add(30 * 24 * time.Hour)}), 201, "30-day read token").json(t, &rd)

		// A token issued before lifetimes were capped: no expiry, 25 hours old.
		// (Written as the store's fixed-width UTC text, which both dialects read.)
		old := time.Now().UTC().Add(-25 * time.Hour).Format("2006-01-02 15:04:05.000000-07:00")
		for _, id := range []string{adm.ID, rd.ID} {
			if err := h.app.DB.Gorm.Exec("UPDATE api_tokens SET created_at = ?, expires_at = NULL WHERE id = ?", old, id).Error; err != nil {
				t.Fatal(err)
			}
		}
		h.expectCode(h.do(adm.Token, "GET", "/api/v1/users", nil), 401, "invalid_token", "admin token 25h old without expiry")
		h.expect(h.do(rd.Token, "GET", "/api/v1/stories", nil), 200, "read token 25h old, within its lifetime")
	})
}
