package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// withMFARoles turns on security.mfa_required_roles (tests default to none).
func withMFARoles(roles ...string) testutil.AppOption {
	return testutil.WithConfig(func(c *config.Config) { c.Security.MFARequiredRoles = roles })
}

func (h *harness) code(secret string, at time.Time) string {
	h.t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		h.t.Fatalf("totp code: %v", err)
	}
	return c
}

// enrol runs POST /me/mfa/totp and /confirm for the session token and
// returns the secret and the recovery codes.
func (h *harness) enrol(token string, clk *testClock) (string, []string) {
	h.t.Helper()
	var e struct {
		Secret string `json:"secret"`
		URL    string `json:"otpauth_url"`
	}
	h.expect(h.do(token, "POST", "/api/v1/me/mfa/totp", nil), 200, "start enrolment").json(h.t, &e)
	if len(e.Secret) < 32 || !strings.HasPrefix(e.URL, "otpauth://totp/") || !strings.Contains(e.URL, "secret="+e.Secret) ||
		!strings.Contains(e.URL, "period=30") || !strings.Contains(e.URL, "digits=6") || !strings.Contains(e.URL, "algorithm=SHA1") {
		h.t.Fatalf("enrolment answer: %+v", e)
	}
	h.expectCode(h.do(token, "POST", "/api/v1/me/mfa/totp/confirm", map[string]string{"code": "000000x"}), 400, "invalid", "malformed code")
	var out struct {
		Codes []string `json:"recovery_codes"`
	}
	h.expect(h.do(token, "POST", "/api/v1/me/mfa/totp/confirm", map[string]string{"code": h.code(e.Secret, clk.now())}), 200, "confirm").json(h.t, &out)
	if len(out.Codes) != user.RecoveryCodeCount {
		h.t.Fatalf("recovery codes: %v", out.Codes)
	}
	return e.Secret, out.Codes
}

// mfaLogin logs in with the password and answers the mfa_token (failing if
// the login opened a session).
func (h *harness) mfaLogin(username string) string {
	h.t.Helper()
	m := h.expect(h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": username, "password": testPassword}), 200, "login").obj(h.t)
	tok, _ := m["mfa_token"].(string)
	if m["mfa_required"] != true || tok == "" || m["token"] != nil {
		h.t.Fatalf("login of an enrolled account: %v", m)
	}
	return tok
}

func (h *harness) secondStep(mfaToken, code string) resp {
	return h.do("", "POST", "/api/v1/auth/mfa", map[string]string{"mfa_token": mfaToken, "code": code})
}

func (h *harness) auditActions(prefix string) map[string]int {
	h.t.Helper()
	var page respond.List[map[string]any]
	h.expect(h.do(h.adminToken, "GET", "/api/v1/audit?action="+prefix, nil), 200, "audit").json(h.t, &page)
	out := map[string]int{}
	for _, e := range page.Items {
		out[e["action"].(string)]++
	}
	return out
}

// TestMFALogin: an admin (whose role requires MFA) first gets a token for
// enrolment only; enrols; then logs in in two steps: the password gives an
// mfa_token and no session, a TOTP code gives the session. A wrong code is
// 401 and counted, a code is not accepted twice, a recovery code works once,
// the mfa_token is single-use, and an admin reset is audited.
func TestMFALogin(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		clk := &testClock{t: time.Now().UTC().Truncate(time.Second)}
		h.app.Users.SetClock(clk.now)

		// Enrolment only until enrolled: other routes answer 403 with a clear reason.
		h.expectCode(h.do(h.adminToken, "GET", "/api/v1/users", nil), 403, "mfa_enrolment_required", "admin not enrolled")
		h.expect(h.do(h.adminToken, "GET", "/api/v1/me", nil), 200, "me stays open")
		var st user.MFAStatus
		h.expect(h.do(h.adminToken, "GET", "/api/v1/me/mfa", nil), 200, "status").json(t, &st)
		if !st.Required || st.Enrolled {
			t.Fatalf("status before enrolment: %+v", st)
		}
		secret, recovery := h.enrol(h.adminToken, clk)
		h.expect(h.do(h.adminToken, "GET", "/api/v1/users", nil), 200, "admin enrolled")
		reporter := h.user("phongvien", user.RoleReporter) // an optional-MFA role logs in with the password alone
		h.expect(h.do(reporter.token, "GET", "/api/v1/me", nil), 200, "reporter")

		// Password step: no session.
		tok := h.mfaLogin("quantri")
		h.expectCode(h.do(tok, "GET", "/api/v1/me", nil), 401, "session_expired", "an mfa_token is no session token")
		h.expectCode(h.secondStep(tok, "000000"), 401, "invalid_mfa_code", "wrong code")
		h.expectCode(h.secondStep(tok, h.code(secret, clk.now())), 401, "invalid_mfa_code", "code of the enrolment's step again")
		at := clk.step()
		var ok struct {
			Token     string     `json:"token"`
			ExpiresAt time.Time  `json:"expires_at"`
			User      *user.User `json:"user"`
		}
		h.expect(h.secondStep(tok, h.code(secret, at)), 200, "right code").json(t, &ok)
		if !strings.HasPrefix(ok.Token, "nrs_") || ok.User == nil || ok.User.Username != "quantri" || ok.ExpiresAt.IsZero() {
			t.Fatalf("second step answer: %+v", ok)
		}
		h.expect(h.do(ok.Token, "GET", "/api/v1/users", nil), 200, "session after MFA")
		h.expectCode(h.secondStep(tok, h.code(secret, clk.step())), 401, "mfa_token_invalid", "mfa_token used twice")

		// The same code in a new login (replay) is refused.
		code := h.code(secret, clk.step())
		h.expect(h.secondStep(h.mfaLogin("quantri"), code), 200, "fresh code")
		h.expectCode(h.secondStep(h.mfaLogin("quantri"), code), 401, "invalid_mfa_code", "replayed code")

		// A recovery code works once, in any case and with spaces.
		h.expect(h.secondStep(h.mfaLogin("quantri"), " "+strings.ToUpper(recovery[0])+" "), 200, "recovery code")
		h.expectCode(h.secondStep(h.mfaLogin("quantri"), recovery[0]), 401, "invalid_mfa_code", "recovery code again")
		h.adminToken = ok.Token

		// After MFAMaxAttempts wrong codes the mfa_token stops working.
		tok = h.mfaLogin("quantri")
		for range user.MFAMaxAttempts {
			h.secondStep(tok, "111111")
		}
		h.expectCode(h.secondStep(tok, h.code(secret, clk.step())), 401, "mfa_token_invalid", "mfa_token after too many wrong codes")
		h.expectCode(h.secondStep("nrm_short", "123456"), 401, "mfa_token_invalid", "malformed mfa_token")

		// An admin resets another admin's MFA: audited, and that admin must enrol again.
		h.expect(h.do(h.adminToken, "POST", "/api/v1/users", map[string]any{"username": "quantri2", "role": "admin",
			"password": testPassword, "must_change_password": false}), 201, "second admin")
		second := h.login("quantri2", testPassword)
		h.enrol(second, clk)
		h.expect(h.do(second, "GET", "/api/v1/users", nil), 200, "second admin enrolled")
		h.expectCode(h.do(second, "POST", "/api/v1/me/mfa/totp/disable", map[string]string{"code": "123456"}), 403, "forbidden", "required MFA cannot be disabled")
		h.expectCode(h.do(h.adminToken, "DELETE", "/api/v1/users/"+reporter.ID+"/mfa", nil), 409, "conflict", "reset without MFA")
		h.expectCode(h.do(h.adminToken, "DELETE", "/api/v1/users/"+h.admin.ID+"/mfa", nil), 409, "conflict", "reset of oneself")
		h.expectCode(h.do(reporter.token, "DELETE", "/api/v1/users/"+h.admin.ID+"/mfa", nil), 403, "forbidden", "reset by a reporter")
		adm2, err := h.app.Users.FindUserByUsername(t.Context(), "quantri2")
		if err != nil {
			t.Fatal(err)
		}
		h.expect(h.do(h.adminToken, "DELETE", "/api/v1/users/"+adm2.ID+"/mfa", nil), 204, "reset")
		h.expectCode(h.do(second, "GET", "/api/v1/me", nil), 401, "session_expired", "reset ends the sessions")
		second = h.login("quantri2", testPassword) // password alone again, enrolment only
		h.expectCode(h.do(second, "GET", "/api/v1/users", nil), 403, "mfa_enrolment_required", "reset admin must enrol again")

		// A reporter may enable and disable MFA (with a current code).
		rsecret, _ := h.enrol(reporter.token, clk)
		h.expectCode(h.do(reporter.token, "POST", "/api/v1/me/mfa/totp/disable", map[string]string{"code": "000000"}), 400, "invalid", "disable with a wrong code")
		h.expect(h.do(reporter.token, "POST", "/api/v1/me/mfa/totp/disable", map[string]string{"code": h.code(rsecret, clk.step())}), 204, "disable")
		h.login("phongvien", testPassword)

		acts := h.auditActions("mfa.")
		for _, a := range []string{"mfa.enrol_started", "mfa.enrolled", "mfa.login_failed", "mfa.recovery_used", "mfa.reset", "mfa.disabled"} {
			if acts[a] == 0 {
				t.Errorf("no %s in the audit log: %v", a, acts)
			}
		}
		required, enrolled, err := h.app.Users.MFACoverage(t.Context())
		if err != nil || required != 2 || enrolled != 1 {
			t.Errorf("MFACoverage = %d, %d, %v; want 2 admins, 1 enrolled", required, enrolled, err)
		}
	}, withMFARoles("admin", "editor_in_chief"), testutil.WithConfig(func(c *config.Config) { c.Auth.MaxFailedLogins = 20 }))
}

// FuzzMFACode feeds the second login step arbitrary codes and mfa_tokens:
// the parsers never panic, accept only the documented forms, and what they
// return is the normalised form.
func FuzzMFACode(f *testing.F) {
	for _, s := range []string{"123456", " 123 456 ", "abcd-efgh-jkmn-pqrs", "ABCD EFGH JKMN PQRS", "", "nrm_" + strings.Repeat("A", 43),
		"nrm_" + strings.Repeat("é", 43), "１２３４５６", "12345\x00", strings.Repeat("9", 4000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if tok, ok := user.ParseMFAToken(s); ok && (len(tok) != 47 || !strings.HasPrefix(tok, "nrm_")) {
			t.Fatalf("ParseMFAToken(%q) = %q", s, tok)
		}
		if c, ok := user.ParseMFACode(s); ok {
			if len(c) != 6 && len(c) != 16 {
				t.Fatalf("ParseMFACode(%q) = %q", s, c)
			}
			if again, ok2 := user.ParseMFACode(c); !ok2 || again != c {
				t.Fatalf("ParseMFACode not idempotent on %q: %q", c, again)
			}
		}
	})
}
