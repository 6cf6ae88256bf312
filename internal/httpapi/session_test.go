package httpapi_test

import (
	"testing"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/respond"
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
