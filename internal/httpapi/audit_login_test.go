package httpapi_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/selfcheck"
	"github.com/newsroom-vn/newsroom/internal/store"
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

// selfCheck reads GET /api/v1/admin/security as admin and checks the
// contract: {"controls": [{"id", "status", "detail"}]} with every control,
// in order, each with exactly those fields. It returns the controls by id.
func (h *harness) selfCheck(r resp) map[string]map[string]string {
	h.t.Helper()
	h.expect(r, 200, "security self-check")
	var out struct {
		Controls  []map[string]json.RawMessage `json:"controls"`
		CheckedAt string                       `json:"checked_at"`
	}
	r.json(h.t, &out)
	if len(out.Controls) != len(selfcheck.IDs) || out.CheckedAt == "" {
		h.t.Fatalf("self-check: %d controls (want %d), checked_at %q: %s", len(out.Controls), len(selfcheck.IDs), out.CheckedAt, r.Body)
	}
	byID := map[string]map[string]string{}
	for i, raw := range out.Controls {
		c := map[string]string{}
		for k, v := range raw {
			var s string
			if err := json.Unmarshal(v, &s); err != nil || !slices.Contains([]string{"id", "status", "detail"}, k) {
				h.t.Fatalf("control %d: field %q = %s: want only the strings id, status and detail", i, k, v)
			}
			c[k] = s
		}
		if c["id"] != selfcheck.IDs[i] || !slices.Contains([]string{"pass", "warn", "fail"}, c["status"]) || c["detail"] == "" {
			h.t.Fatalf("control %d: %v, want id %s, pass|warn|fail and a detail", i, c, selfcheck.IDs[i])
		}
		byID[c["id"]] = c
	}
	return byID
}

func wantControl(t *testing.T, controls map[string]map[string]string, id, status, what string) {
	t.Helper()
	if c := controls[id]; c["status"] != status {
		t.Errorf("%s: %s is %s (%s), want %s", what, id, c["status"], c["detail"], status)
	}
}

// TestSecuritySelfCheckAPI: the self-check answers the contract to an admin
// (in English, or Vietnamese on request) and 403 to anyone else; a request
// that reached a trusted proxy over HTTPS passes tls and hsts, plain HTTP
// fails them, and X-Forwarded-Proto from an untrusted peer changes nothing
// but draws a warning.
func TestSecuritySelfCheckAPI(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		const path = "/api/v1/admin/security"
		plain := h.selfCheck(h.do(h.adminToken, "GET", path, nil, "X-Forwarded-Proto", "http"))
		wantControl(t, plain, selfcheck.IDTLS, "fail", "plain HTTP")
		wantControl(t, plain, selfcheck.IDHSTS, "fail", "plain HTTP")
		wantControl(t, plain, selfcheck.IDIdleTimeouts, "pass", "default timeouts")
		wantControl(t, plain, selfcheck.IDMetrics, "pass", "metrics off in tests")
		wantControl(t, plain, selfcheck.IDDistributionKey, "pass", "test key set")
		wantControl(t, plain, selfcheck.IDAuditChain, "fail", "no audit chain in this build")
		if d := plain[selfcheck.IDAuditChain]["detail"]; d != "not available in this build" {
			t.Errorf("audit_chain detail %q", d)
		}
		db := map[string]string{store.DialectSQLite: "warn", store.DialectPostgres: "pass"}[h.app.DB.Dialect]
		wantControl(t, plain, selfcheck.IDDatabase, db, h.app.DB.Dialect)

		r := h.do(h.adminToken, "GET", path, nil, "X-Forwarded-Proto", "https", "Accept-Language", "vi")
		if r.Header.Get("Strict-Transport-Security") == "" {
			t.Error("HTTPS answer without HSTS")
		}
		secure := h.selfCheck(r)
		for _, id := range []string{selfcheck.IDTLS, selfcheck.IDHSTS, selfcheck.IDTrustedProxies} {
			wantControl(t, secure, id, "pass", "HTTPS through the trusted proxy")
		}
		if d := secure[selfcheck.IDTLS]["detail"]; !strings.Contains(d, "proxy tin cậy 192.0.2.1") {
			t.Errorf("tls detail in Vietnamese: %q", d)
		}

		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = "198.51.100.7:40000"
		req.Header.Set("Authorization", "Bearer "+h.adminToken)
		req.Header.Set("X-Forwarded-Proto", "https")
		w := httptest.NewRecorder()
		h.app.Handler.ServeHTTP(w, req)
		spoofed := h.selfCheck(resp{Code: w.Code, Header: w.Header(), Body: w.Body.Bytes()})
		wantControl(t, spoofed, selfcheck.IDTLS, "fail", "X-Forwarded-Proto from an untrusted peer")
		wantControl(t, spoofed, selfcheck.IDTrustedProxies, "warn", "X-Forwarded-Proto from an untrusted peer")

		for _, role := range []user.Role{user.RoleEditorInChief, user.RoleReporter} {
			m := h.user("u_"+string(role), role)
			h.expectCode(h.do(m.token, "GET", path, nil), 403, "forbidden", string(role)+" runs the self-check")
		}
		h.expectCode(h.do("", "GET", path, nil), 401, "unauthenticated", "anonymous self-check")

		var page respond.List[map[string]any]
		h.expect(h.do(h.adminToken, "GET", "/api/v1/audit?action=security.selfcheck_viewed", nil), 200, "audit").json(h.t, &page)
		if len(page.Items) != 3 {
			t.Errorf("security.selfcheck_viewed events: %d, want 3 (one per admin view)", len(page.Items))
		}
	}, testutil.WithConfig(func(c *config.Config) { c.HTTP.TrustedProxies = []string{"192.0.2.1"} }))
}
