package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// failedLogins reads the auth.login_failed events from the audit log, as
// generic JSON, so that every string stored can be checked.
func (h *harness) failedLogins() []map[string]any {
	h.t.Helper()
	var page respond.List[map[string]any]
	h.expect(h.do(h.adminToken, "GET", "/api/v1/audit?action=auth.login_failed", nil), 200, "audit").json(h.t, &page)
	return page.Items
}

// auditStrings lists every string in a decoded JSON value.
func auditStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case map[string]any:
		var out []string
		for k, e := range x {
			out = append(out, k)
			out = append(out, auditStrings(e)...)
		}
		return out
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, auditStrings(e)...)
		}
		return out
	}
	return nil
}

// TestLoginHugeUsernameAudit: a login with a 3,000,000-character username is
// a wrong login like any other (401), and the audit log keeps neither the
// name nor more than 1,024 characters of any string.
func TestLoginHugeUsernameAudit(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		const typed = "Mật-khẩu-gõ-nhầm-"
		name := typed + strings.Repeat("x", 3_000_000-utf8.RuneCountInString(typed))
		r := h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": name, "password": "whatever"})
		h.expectCode(r, 401, "invalid_credentials", "login with a huge username")
		wrong := h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": "quantri", "password": "wrong-password"})
		if got, want := r.err(t).Error.Message, wrong.err(t).Error.Message; got != want {
			t.Fatalf("huge username message %q, wrong password message %q", got, want)
		}
		events := h.failedLogins()
		if len(events) != 2 {
			t.Fatalf("failed logins in the audit = %d, want 2: %v", len(events), events)
		}
		for _, e := range events {
			for _, s := range auditStrings(e) {
				if n := utf8.RuneCountInString(s); n > 1024 {
					t.Errorf("audit string of %d characters: %.40q...", n, s)
				}
				if strings.Contains(strings.ToLower(s), strings.ToLower(typed)) {
					t.Errorf("audit keeps the typed username: %.60q", s)
				}
			}
		}
	})
}

// TestLoginUnknownUserAudit: a failed login to no account is logged under a
// SHA-256 prefix of the name, never the name (which may be a password typed
// in the wrong field); a known account keeps its username.
func TestLoginUnknownUserAudit(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		const typed = "Mat-Khau-Bi-Mat-2026"
		r := h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": " " + typed + " ", "password": "whatever"})
		h.expectCode(r, 401, "invalid_credentials", "login to no account")
		h.expectCode(h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": "quantri", "password": "wrong-password"}),
			401, "invalid_credentials", "wrong password")
		sum := sha256.Sum256([]byte(strings.ToLower(typed)))
		want := "sha256:" + hex.EncodeToString(sum[:8])
		byName := map[string]bool{}
		for _, e := range h.failedLogins() {
			name, _ := e["actor_username"].(string)
			byName[name] = true
			for _, s := range auditStrings(e) {
				if strings.Contains(strings.ToLower(s), strings.ToLower(typed)) {
					t.Errorf("audit keeps the typed username: %q in %v", s, e)
				}
			}
		}
		if !byName[want] || !byName["quantri"] || len(byName) != 2 {
			t.Fatalf("failed logins by %v, want %s and quantri", byName, want)
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
