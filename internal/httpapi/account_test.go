package httpapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// sessions lists the caller's sessions over the API.
func (h *harness) sessions(token string) []user.SessionInfo {
	h.t.Helper()
	var l respond.List[user.SessionInfo]
	h.expect(h.do(token, "GET", "/api/v1/me/sessions", nil), 200, "list sessions").json(h.t, &l)
	return l.Items
}

// currentSession is the id of the session token belongs to.
func (h *harness) currentSession(token string) string {
	h.t.Helper()
	for _, s := range h.sessions(token) {
		if s.Current {
			return s.ID
		}
	}
	h.t.Fatal("no session is marked current")
	return ""
}

// audited lists the audit entries of the action.
func (h *harness) audited(action string) []audit.Event {
	h.t.Helper()
	var l respond.List[audit.Event]
	h.expect(h.do(h.adminToken, "GET", "/api/v1/audit?action="+action, nil), 200, "audit "+action).json(h.t, &l)
	return l.Items
}

// alive fails the test unless each token answers GET /me with want (200 or 401).
func (h *harness) alive(want int, what string, tokens ...string) {
	h.t.Helper()
	for i, tok := range tokens {
		if r := h.do(tok, "GET", "/api/v1/me", nil); r.Code != want {
			h.t.Fatalf("%s: token %d answers %d, want %d: %s", what, i, r.Code, want, r.Body)
		}
	}
}

// TestSessions (issue 13): a user lists their sessions and ends one or all
// others, never another user's; an admin ends every session of a user; each
// end is audited.
func TestSessions(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		rep := h.user("phongvien", user.RoleReporter)
		second := h.login("phongvien", testPassword)

		list := h.sessions(second)
		if len(list) != 2 || list[0].IP == "" || list[0].ExpiresAt.IsZero() || !list[0].ExpiresAt.After(list[0].LastSeenAt) {
			t.Fatalf("sessions = %+v", list)
		}
		cur := h.currentSession(second)
		first := list[0].ID
		if first == cur {
			first = list[1].ID
		}
		if list[0].Current == list[1].Current {
			t.Fatalf("exactly one session should be current: %+v", list)
		}

		// Another user's session, a missing one, a malformed id: nothing ends.
		h.expectCode(h.do(h.adminToken, "DELETE", "/api/v1/me/sessions/"+first, nil), 404, "not_found", "admin ends the reporter's session through /me")
		h.expectCode(h.do(second, "DELETE", "/api/v1/me/sessions/"+h.currentSession(h.adminToken), nil), 404, "not_found", "reporter ends the admin's session")
		h.expect(h.do(second, "DELETE", "/api/v1/me/sessions/xyz", nil), 400, "malformed id")
		h.alive(200, "after refused ends", rep.token, second, h.adminToken)

		h.expect(h.do(second, "DELETE", "/api/v1/me/sessions/"+first, nil), 204, "end the first session")
		h.expectCode(h.do(rep.token, "GET", "/api/v1/me", nil), 401, "session_expired", "ended session")
		h.alive(200, "the session that ended the other", second)
		if got := h.sessions(second); len(got) != 1 || got[0].ID != cur || !got[0].Current {
			t.Fatalf("after ending one: %+v", got)
		}
		ended := h.audited("session.ended")
		if len(ended) != 1 || ended[0].TargetID != first || ended[0].ActorID != rep.ID || ended[0].TargetType != "session" {
			t.Fatalf("session.ended audit = %+v", ended)
		}

		// All others: the current session goes on.
		third, fourth := h.login("phongvien", testPassword), h.login("phongvien", testPassword)
		h.expect(h.do(second, "DELETE", "/api/v1/me/sessions", nil), 204, "end all others")
		h.alive(401, "other sessions", third, fourth)
		h.alive(200, "current session", second)
		if n := len(h.audited("session.ended")); n != 2 {
			t.Fatalf("%d session.ended entries, want 2", n)
		}

		// An admin ends every session of a user; others may not.
		fifth := h.login("phongvien", testPassword)
		h.expectCode(h.do(fifth, "DELETE", "/api/v1/users/"+h.admin.ID+"/sessions", nil), 403, "forbidden", "reporter ends the admin's sessions")
		h.alive(200, "admin after the refused end", h.adminToken)
		h.expectCode(h.do(h.adminToken, "DELETE", "/api/v1/users/00000000-0000-4000-8000-000000000000/sessions", nil), 404, "not_found", "unknown user")
		h.expect(h.do(h.adminToken, "DELETE", "/api/v1/users/"+rep.ID+"/sessions", nil), 204, "admin ends the reporter's sessions")
		h.alive(401, "reporter after the admin's end", second, fifth)
		h.alive(200, "admin", h.adminToken)
		byAdmin := h.audited("session.ended_by_admin")
		if len(byAdmin) != 1 || byAdmin[0].TargetID != rep.ID || byAdmin[0].ActorID != h.admin.ID || byAdmin[0].Details["sessions"] != float64(2) {
			t.Fatalf("session.ended_by_admin audit = %+v", byAdmin)
		}
	})
}

// TestSessionsEndOnPasswordAndRoleChange (issue 13): a password change ends
// the user's other sessions and keeps the one it was made from; an admin's
// password reset or role change ends every session of the account. API
// tokens are not revoked by a password change (docs/security.md).
func TestSessionsEndOnPasswordAndRoleChange(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		rep := h.user("phongvien", user.RoleReporter)
		other := h.login("phongvien", testPassword)
		var tok struct {
			Token string `json:"token"`
		}
		h.expect(h.do(rep.token, "POST", "/api/v1/me/tokens", map[string]any{"name": "CMS", "scopes": []string{"read"}}), 201, "token").json(t, &tok)

		next := "Một-mật-khẩu-khác-2027!"
		h.expect(h.do(rep.token, "POST", "/api/v1/auth/password", map[string]string{"current_password": testPassword, "new_password": next}), 204, "change password")
		h.alive(200, "session that changed the password", rep.token)
		h.alive(401, "other session after the password change", other)
		h.alive(200, "API token after the password change", tok.Token)

		// Admin reset: every session ends, the one it could have come from too.
		again := h.login("phongvien", next)
		h.expect(h.do(h.adminToken, "PATCH", "/api/v1/users/"+rep.ID, map[string]any{"password": "Mật-khẩu-do-admin-đặt-9"}), 200, "reset")
		h.alive(401, "sessions after the admin's reset", rep.token, again)

		// A role change ends every session; a change that keeps the role does not.
		gated := h.login("phongvien", "Mật-khẩu-do-admin-đặt-9")
		h.expect(h.do(h.adminToken, "PATCH", "/api/v1/users/"+rep.ID, map[string]any{"role": "reporter", "display_name": "Phóng viên A"}), 200, "same role")
		h.alive(200, "session after a change that keeps the role", gated)
		h.expect(h.do(h.adminToken, "PATCH", "/api/v1/users/"+rep.ID, map[string]any{"role": "editor"}), 200, "role change")
		h.alive(401, "session after the role change", gated)
		h.alive(200, "the admin's own session", h.adminToken)
	})
}

// TestAuditCSV: GET /api/v1/audit?format=csv (or Accept: text/csv) answers
// the selection as a CSV download, defuses spreadsheet formulas, and the
// export itself is audited (audit.exported); a non-admin gets 403.
func TestAuditCSV(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": "quantri", "password": "=cmd|' /C calc'!A0"})
		r := h.expect(h.do(h.adminToken, "GET", "/api/v1/audit?format=csv&action=auth.", nil), 200, "csv")
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("content type %q, disposition %q", ct, r.Header.Get("Content-Disposition"))
		}
		lines := strings.Split(strings.TrimSpace(string(r.Body)), "\n")
		if !strings.HasPrefix(lines[0], "id,seq,at,actor_id,actor_username,ip,action") || len(lines) < 3 {
			t.Fatalf("csv:\n%s", r.Body)
		}
		if !strings.Contains(string(r.Body), "auth.login_failed") || !strings.Contains(string(r.Body), "+07:00") {
			t.Fatalf("csv lacks the failed login or Vietnam time:\n%s", r.Body)
		}
		r = h.expect(h.do(h.adminToken, "GET", "/api/v1/audit?action=audit.exported", nil, "Accept", "text/csv"), 200, "csv by Accept")
		if !strings.Contains(string(r.Body), "audit.exported") {
			t.Fatalf("the first export is not audited:\n%s", r.Body)
		}
		if formula := strings.Contains(string(r.Body), ",=") || strings.Contains(string(r.Body), "\n="); formula {
			t.Fatalf("a cell starts with '=':\n%s", r.Body)
		}
	})
}

// TestPasswordPolicy (issue 13): each rule of the password policy refuses
// with its own key and leaves the password as it was; common passwords are
// refused in any case; the last 5 passwords cannot be reused but the 6th
// can; an expired password forces a change at login; the API tells the policy.
func TestPasswordPolicy(t *testing.T) {
	// Two classes, so that a common password of 12+ characters reaches the list check.
	forEachHarness(t, func(t *testing.T, h *harness) {
		m := h.user("phongvien", user.RoleReporter)
		change := func(cur, next string) resp {
			return h.do(m.token, "POST", "/api/v1/auth/password", map[string]string{"current_password": cur, "new_password": next})
		}

		t.Run("each rule has its key", func(t *testing.T) {
			var hai user.User
			h.expect(h.do(h.adminToken, "POST", "/api/v1/users", map[string]any{"username": "hai", "display_name": "Nguyễn Văn Hải",
				"role": "reporter", "password": testPassword, "must_change_password": false}), 201, "create hai").json(t, &hai)
			for _, c := range []struct{ pw, code string }{
				{"Ngắn-1", "password_too_short"},
				{"chitoanchuthuongthoi", "password_classes"},
				{"QWERTY123456", "password_common"}, // qwerty123456 is on the list
				{"qwerty123456", "password_common"},
				{"1QAZ2wsx3EDC", "password_common"},
				{"Của-PHONGVIEN-2026", "password_contains_name"},
				{"Người-phongviên-2026", "password_contains_name"},
			} {
				h.expectCode(change(testPassword, c.pw), 400, c.code, c.pw)
			}
			for _, pw := range []string{"NguyenVanHai-2026", "xx-nguyễn văn hải-99"} {
				r := h.do(h.adminToken, "PATCH", "/api/v1/users/"+hai.ID, map[string]any{"password": pw})
				h.expectCode(r, 400, "password_contains_name", "admin reset "+pw)
			}
			vi := h.do(m.token, "POST", "/api/v1/auth/password", map[string]string{"current_password": testPassword, "new_password": "QWERTY123456"}, "Accept-Language", "vi")
			if msg := vi.err(t).Error.Message; !strings.Contains(msg, "phổ biến") {
				t.Fatalf("Vietnamese message: %q", msg)
			}
			h.login("phongvien", testPassword) // unchanged
		})

		t.Run("history of 5", func(t *testing.T) {
			pws := []string{testPassword}
			for i := 1; i <= 5; i++ {
				pws = append(pws, "Mật-khẩu-thứ-"+strings.Repeat("x", i)+"-2026")
				h.expect(change(pws[i-1], pws[i]), 204, "change to password "+pws[i])
				if i < 5 {
					// Every password so far is among the last 5.
					h.expectCode(change(pws[i], pws[0]), 400, "password_reused", "reuse the first after change "+pws[i])
				}
			}
			// pws[5] is current; pws[1..4] are the last 4 before it; pws[0] is the 6th.
			for _, old := range pws[1:5] {
				h.expectCode(change(pws[5], old), 400, "password_reused", "reuse "+old)
			}
			h.expect(change(pws[5], pws[0]), 204, "the 6th-last password is allowed again")
			h.login("phongvien", testPassword)
		})

		t.Run("expired password forces a change", func(t *testing.T) {
			h.app.Users.SetClock(func() time.Time { return time.Now().UTC().Add(91 * 24 * time.Hour) })
			defer h.app.Users.SetClock(func() time.Time { return time.Now().UTC() })
			var out struct {
				Token string    `json:"token"`
				User  user.User `json:"user"`
			}
			h.expect(h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": "phongvien", "password": testPassword}), 200, "login").json(t, &out)
			if !out.User.MustChangePassword {
				t.Fatalf("expired password: must_change_password false")
			}
			h.expectCode(h.do(out.Token, "GET", "/api/v1/stories", nil), 403, "password_change_required", "stories with an expired password")
			h.expect(h.do(out.Token, "POST", "/api/v1/auth/password", map[string]string{"current_password": testPassword, "new_password": "Mật-khẩu-mới-hạn-2027"}), 204, "change")
			h.expect(h.do(out.Token, "GET", "/api/v1/stories", nil), 200, "stories after the change")
			h.expect(h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": "phongvien", "password": "Mật-khẩu-mới-hạn-2027"}), 200, "login again").json(t, &out)
			if out.User.MustChangePassword {
				t.Fatalf("new password still expired")
			}
		})

		t.Run("policy endpoint", func(t *testing.T) {
			var p struct {
				MinLength  int    `json:"min_length"`
				Classes    int    `json:"classes"`
				MaxAgeDays int    `json:"max_age_days"`
				History    int    `json:"history"`
				Text       string `json:"text"`
			}
			h.expect(h.do("", "GET", "/api/v1/auth/password-policy", nil), 200, "policy").json(t, &p)
			if p.MinLength != 12 || p.Classes != 2 || p.MaxAgeDays != 90 || p.History != 5 || !strings.Contains(p.Text, "12 characters") {
				t.Fatalf("policy = %+v", p)
			}
			h.expect(h.do("", "GET", "/api/v1/auth/password-policy", nil, "Accept-Language", "vi"), 200, "policy vi").json(t, &p)
			if !strings.Contains(p.Text, "12 ký tự") || !strings.Contains(p.Text, "90 ngày") {
				t.Fatalf("Vietnamese policy text = %q", p.Text)
			}
		})
	}, testutil.WithConfig(func(c *config.Config) { c.Auth.PasswordClasses = 2 }))
}

// backdate makes an account look unused for 100 days.
func backdate(t *testing.T, h *harness, id string) {
	t.Helper()
	old := time.Now().UTC().Add(-100 * 24 * time.Hour).Format("2006-01-02 15:04:05.000000-07:00")
	if _, err := h.app.DB.SQL.Exec("UPDATE users SET created_at = $1, last_login_at = $1 WHERE id = $2", old, id); err != nil {
		t.Fatal(err)
	}
}

// TestDormantAccounts (issue 13): an account unused for auth.dormant_after
// is disabled, with its audit entry, by the service the job calls; one
// whose API token was used lately is not; and the App's periodic job does
// it on its own.
func TestDormantAccounts(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		idle := h.user("nguquen", user.RoleReporter)
		busy := h.user("bandon", user.RoleEditor)
		var tok struct {
			Token string `json:"token"`
		}
		h.expect(h.do(busy.token, "POST", "/api/v1/me/tokens", map[string]any{"name": "plugin", "scopes": []string{"read"}}), 201, "token").json(t, &tok)
		h.expect(h.do(tok.Token, "GET", "/api/v1/me", nil), 200, "use the token")
		backdate(t, h, idle.ID)
		backdate(t, h, busy.ID)
		if n, err := h.app.Users.DormantActive(ctx); err != nil || n != 1 {
			t.Fatalf("DormantActive = %d, %v; want 1", n, err)
		}
		n, err := h.app.Users.DisableDormant(ctx, time.Now().UTC())
		if err != nil || n != 1 {
			t.Fatalf("DisableDormant = %d, %v; want 1", n, err)
		}
		h.expectCode(h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": "nguquen", "password": testPassword}), 403, "account_inactive", "dormant login")
		h.expectCode(h.do(idle.token, "GET", "/api/v1/me", nil), 401, "session_expired", "dormant account's session (ended)")
		var u user.User
		h.expect(h.do(h.adminToken, "GET", "/api/v1/users/"+idle.ID, nil), 200, "get idle").json(t, &u)
		if u.Active || u.DisabledReason != user.DisabledDormant {
			t.Fatalf("idle after the job: %+v", u)
		}
		h.expect(h.do(tok.Token, "GET", "/api/v1/me", nil), 200, "busy account's token still works")
		var n2 int64
		if err := h.app.DB.SQL.QueryRow("SELECT count(*) FROM audit_events WHERE action = 'user.disabled_dormant' AND target_id = $1 AND actor_name = 'system'", idle.ID).Scan(&n2); err != nil || n2 != 1 {
			t.Fatalf("audit entries = %d, %v", n2, err)
		}
		if n, _ := h.app.Users.DormantActive(ctx); n != 0 {
			t.Fatalf("DormantActive after = %d", n)
		}
		// An admin brings it back: its dormancy clock starts again.
		h.expect(h.do(h.adminToken, "PATCH", "/api/v1/users/"+idle.ID, map[string]any{"active": true}), 200, "reactivate")
		if n, _ := h.app.Users.DisableDormant(ctx, time.Now().UTC()); n != 0 {
			t.Fatalf("reactivated account disabled again")
		}
		h.login("nguquen", testPassword)
	})
}

// TestDormantAccountJob: the App's runner registers the periodic job, which
// disables a dormant account without anyone calling it.
func TestDormantAccountJob(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		idle := h.user("nguquen", user.RoleAdmin)
		backdate(t, h, idle.ID)
		testutil.Eventually(t, 30*time.Second, "the dormant-account job disables the account", func() bool {
			u, err := h.app.Users.FindUserByUsername(context.Background(), "nguquen")
			return err == nil && !u.Active && u.DisabledReason == user.DisabledDormant
		})
	}, testutil.Started(), testutil.WithConfig(func(c *config.Config) { c.Auth.DormantCheckInterval = 200 * time.Millisecond }))
}
