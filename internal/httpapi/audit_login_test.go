package httpapi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsroom-vn/newsroom/internal/respond"
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
