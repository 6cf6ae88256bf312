package desk_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
	"github.com/pquerna/otp/totp"
)

// TestStyleNonce: desk pages allow no inline style but the one Trix injects,
// which carries the response's nonce, read from <meta name="csp-nonce">;
// every response has its own nonce.
func TestStyleNonce(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.loggedIn("phongvien")
	styleRe := regexp.MustCompile(`(?:^|;)\s*style-src 'self' 'nonce-([A-Za-z0-9_-]{22})'\s*(?:;|$)`)
	metaRe := regexp.MustCompile(`<meta name="csp-nonce" content="([^"]*)">`)
	seen := map[string]string{}
	for _, path := range []string{"/desk/login", "/desk/login", "/desk/queue", "/desk/stories/new", "/desk/stories/new"} {
		p := c.get(path)
		if path == "/desk/login" {
			p = e.client().get(path)
		}
		expect(t, p, http.StatusOK, path)
		csp := p.Header.Get("Content-Security-Policy")
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows unsafe-inline: %q", path, csp)
		}
		m := styleRe.FindStringSubmatch(csp)
		if m == nil {
			t.Errorf("%s: style-src has no nonce: %q", path, csp)
			continue
		}
		mm := metaRe.FindStringSubmatch(p.Body)
		if mm == nil || mm[1] != m[1] {
			t.Errorf("%s: meta csp-nonce %q, want the CSP's nonce %q", path, mm, m[1])
		}
		if prev, ok := seen[m[1]]; ok {
			t.Errorf("%s: nonce %q already served with %s", path, m[1], prev)
		}
		seen[m[1]] = path
		if strings.Contains(p.Body, "style=") || strings.Contains(p.Body, "<style") {
			t.Errorf("%s: inline style in the page", path)
		}
	}
}

func mustUser(t testing.TB, e *env, username string) *user.User {
	t.Helper()
	u, err := e.Users.FindUserByUsername(t.Context(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// forwardedFor is a transport that sends every request as forwarded by a
// proxy for the client ip.
type forwardedFor string

func (f forwardedFor) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", string(f))
	return http.DefaultTransport.RoundTrip(r)
}

// TestAdminPagesAllowCIDRs: with security.admin_allow_cidrs set, the admin
// pages answer 403 (with a page that says why) to an admin whose address,
// as the trusted proxy gives it, is outside; posts change nothing; each
// refusal is audited; the other pages and the office network are not limited.
func TestAdminPagesAllowCIDRs(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ad := e.loggedIn("quantri")
		ad.http.Transport = forwardedFor("203.0.113.9")
		paths := []string{"/desk/admin/users", "/desk/admin/sections", "/desk/admin/keys", "/desk/admin/targets"}
		for _, path := range paths {
			p := ad.get(path)
			expect(t, p, http.StatusForbidden, "admin from outside GET "+path)
			has(t, p, path, "Không được quản trị từ địa chỉ này", `role="alert"`)
		}
		tok := ad.csrf("/desk/queue")
		expect(t, ad.post("/desk/admin/users", url.Values{"username": {"lenlut"}, "role": {"admin"}, "csrf_token": {tok}}), http.StatusForbidden, "POST from outside")
		if _, err := e.Users.FindUserByUsername(t.Context(), "lenlut"); err == nil {
			t.Fatal("an account was created from outside the admin networks")
		}
		expect(t, ad.get("/desk/queue"), http.StatusOK, "queue from outside")
		ad.http.Transport = forwardedFor("10.20.1.5")
		expect(t, ad.get("/desk/admin/users"), http.StatusOK, "admin from the office")

		events, _, err := e.Audit.FindEvents(t.Context(), e.members["quantri"], audit.Filter{Action: "security.admin_refused"})
		if err != nil || len(events) != len(paths)+1 {
			t.Fatalf("security.admin_refused entries = %d (%v), want %d", len(events), err, len(paths)+1)
		}
		if ev := events[0]; ev.IP != "203.0.113.9" || ev.Details["path"] != "/desk/admin/users" || ev.ActorName != "quantri" {
			t.Errorf("last refusal audited as %+v", ev)
		}
	}, testutil.WithConfig(func(c *config.Config) {
		c.HTTP.TrustedProxies = []string{"127.0.0.1"}
		c.Security.AdminAllowCIDRs = []string{"10.20.0.0/16"}
	}))
}

// TestAdminClockPage: the admin's clock page shows the offset to the
// database's clock (0 and "same host" on SQLite, a reading on PostgreSQL),
// within the limit on this host; others are refused.
func TestAdminClockPage(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		p := e.loggedIn("quantri").get("/desk/admin/clock")
		expect(t, p, http.StatusOK, "clock page")
		has(t, p, "clock page", "Độ lệch đồng hồ cơ sở dữ liệu", `id="clock-offset"`, "Trong giới hạn (tối đa 2000 ms)", `href="/desk/admin/clock" aria-current="page"`)
		if e.DB.Dialect == "sqlite" {
			has(t, p, "sqlite clock", ">0 ms<", "dùng chung đồng hồ")
		} else {
			has(t, p, "postgres clock", "clock_timestamp()")
		}
		expect(t, e.loggedIn("thuky").get("/desk/admin/clock"), http.StatusForbidden, "managing editor")
	})
}

// TestAdminAudit: /desk/admin/audit (admin only) lists the log with
// filters (action prefix, object, dates in Asia/Ho_Chi_Minh), pages by
// keyset and exports the selection as CSV, which is itself audited.
func TestAdminAudit(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		expect(t, e.loggedIn("thuky").get("/desk/admin/audit"), http.StatusForbidden, "managing editor")
		admin := e.loggedIn("quantri")
		p := admin.get("/desk/admin/audit")
		expect(t, p, http.StatusOK, "audit viewer")
		has(t, p, "audit viewer", "Nhật ký kiểm toán", "auth.login", "user.create", `id="audit-csv"`)
		today := time.Now().In(vntime.Location).Format("2006-01-02")
		p = admin.get("/desk/admin/audit?action=auth.&from=" + today + "&to=" + today)
		expect(t, p, http.StatusOK, "filtered")
		has(t, p, "filtered", "auth.login")
		if strings.Contains(p.Body, "<code>user.create</code>") {
			t.Fatal("the action filter let user.create through")
		}
		p = admin.get("/desk/admin/audit?from=2020-01-01&to=2020-01-02")
		has(t, p, "old period", "Không có sự kiện nào.")
		expect(t, admin.get("/desk/admin/audit?from=03/12/2026"), http.StatusBadRequest, "bad date")
		for i := 0; i < 60; i++ {
			e.member(fmt.Sprintf("nv%02d", i), user.RoleReporter, false)
		}
		p = admin.get("/desk/admin/audit?action=user.create")
		m := regexp.MustCompile(`href="(/desk/admin/audit\?[^"]*before=\d+[^"]*)" rel="next"`).FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("no next page link: %.2000s", p.Body)
		}
		p2 := admin.get(strings.ReplaceAll(m[1], "&amp;", "&"))
		has(t, p2, "second page", "<code>user.create</code>")
		csv := admin.get("/desk/admin/audit.csv?action=user.create")
		expect(t, csv, http.StatusOK, "csv")
		if !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") || strings.Count(csv.Body, "user.create") < 60 {
			t.Fatalf("csv: %s %.500s", csv.Header.Get("Content-Type"), csv.Body)
		}
		has(t, admin.get("/desk/admin/audit?action=audit.exported"), "export audited", "<code>audit.exported</code>")
	})
}

// seeOther fails the test unless p redirects (303) to loc.
func seeOther(t testing.TB, p page, loc, what string) {
	t.Helper()
	if p.Code != http.StatusSeeOther || p.Header.Get("Location") != loc {
		t.Fatalf("%s: %d to %q, want 303 to %q: %.800s", what, p.Code, p.Header.Get("Location"), loc, p.Body)
	}
}

var (
	mfaSecretRe = regexp.MustCompile(`id="mfa-secret" class="secret" value="([A-Z2-7]+)"`)
	mfaTokenRe  = regexp.MustCompile(`name="mfa_token" value="(nrm_[A-Za-z0-9_-]+)"`)
)

// TestDeskMFAEnrolAndLogin: an admin (a role that requires MFA) is held on
// the enrolment page after the password, enrols TOTP from the QR code page,
// gets recovery codes once, and then logs in with the password and a code on
// a second form that carries the mfa_token, not the password.
func TestDeskMFAEnrolAndLogin(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		var clock atomic.Int64 // the server reads it from its own goroutines
		clock.Store(time.Now().Unix())
		e.Users.SetClock(func() time.Time { return time.Unix(clock.Load(), 0).UTC() })
		code := func(secret string) string {
			c, err := totp.GenerateCode(secret, time.Unix(clock.Load(), 0))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		ad := e.loggedIn("quantri")
		seeOther(t, ad.get("/desk/queue"), "/desk/mfa", "unenrolled admin on the queue")
		p := ad.get("/desk/mfa")
		expect(t, p, http.StatusOK, "enrolment page")
		has(t, p, "enrolment page", "Vai trò của bạn bắt buộc xác thực hai lớp", `id="mfa-start"`)
		tok := ad.csrf("/desk/mfa")
		expect(t, ad.post("/desk/mfa/start", url.Values{"csrf_token": {tok}}), http.StatusSeeOther, "start")
		p = ad.get("/desk/mfa")
		has(t, p, "QR page", `src="data:image/png;base64,`, `id="mfa-confirm"`)
		m := mfaSecretRe.FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("no secret on the page: %.2000s", p.Body)
		}
		secret := m[1]
		p = ad.post("/desk/mfa/confirm", url.Values{"csrf_token": {tok}, "code": {"000000"}})
		expect(t, p, http.StatusBadRequest, "wrong code")
		has(t, p, "wrong code", "Mã xác thực không đúng", `id="mfa-qr"`)
		p = ad.post("/desk/mfa/confirm", url.Values{"csrf_token": {tok}, "code": {code(secret)}})
		expect(t, p, http.StatusOK, "confirm")
		has(t, p, "recovery codes", `id="recovery-codes"`, "Mã khôi phục")
		expect(t, ad.get("/desk/queue"), http.StatusOK, "queue once enrolled")
		if strings.Contains(ad.get("/desk/mfa").Body, "recovery-codes") {
			t.Fatal("recovery codes shown twice")
		}

		// The login in two steps.
		clock.Add(30)
		nc := e.client()
		lt := nc.csrf("/desk/login")
		p = nc.post("/desk/login", url.Values{"username": {"quantri"}, "password": {testPassword}, "csrf_token": {lt}})
		expect(t, p, http.StatusOK, "password step")
		has(t, p, "second step", `action="/desk/login/mfa"`, `autocomplete="one-time-code"`)
		if strings.Contains(p.Body, `name="password"`) || strings.Contains(p.Body, testPassword) {
			t.Fatal("the second step carries the password")
		}
		mt := mfaTokenRe.FindStringSubmatch(p.Body)
		if mt == nil {
			t.Fatalf("no mfa_token: %.2000s", p.Body)
		}
		if nc.get("/desk/queue").Code != http.StatusSeeOther {
			t.Fatal("signed in before the second factor")
		}
		p = nc.post("/desk/login/mfa", url.Values{"csrf_token": {lt}, "mfa_token": {mt[1]}, "code": {"999999"}, "next": {"/desk/queue"}})
		expect(t, p, http.StatusUnauthorized, "wrong code")
		has(t, p, "wrong code again", "Mã xác thực không đúng", mt[1])
		p = nc.post("/desk/login/mfa", url.Values{"csrf_token": {lt}, "mfa_token": {mt[1]}, "code": {code(secret)}, "next": {"/desk/admin/users"}})
		seeOther(t, p, "/desk/admin/users", "second step")
		p = nc.get("/desk/admin/users")
		expect(t, p, http.StatusOK, "signed in with MFA")
		has(t, p, "users page", "Có xác thực hai lớp")
		if strings.Contains(p.Body, `id="mfa-reset-quantri"`) {
			t.Fatal("an admin is offered to reset their own MFA")
		}

		// The editor-in-chief enrols too; the admin resets it from the users page (audited).
		eic := e.members["tongbientap"]
		eicUser, err := e.Users.FindUserByUsername(t.Context(), "tongbientap")
		if err != nil {
			t.Fatal(err)
		}
		eicAuth := &user.Auth{User: eicUser, Actor: eic, SessionID: "desk-test"}
		en, err := e.Users.StartTOTP(t.Context(), eicAuth)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Users.ConfirmTOTP(t.Context(), eicAuth, code(en.Secret)); err != nil {
			t.Fatal(err)
		}
		p = nc.get("/desk/admin/users")
		has(t, p, "users page", `id="mfa-reset-tongbientap"`)
		seeOther(t, nc.post("/desk/admin/users/"+eic.UserID+"/mfa", url.Values{"csrf_token": {nc.csrf("/desk/admin/users")}}),
			"/desk/admin/users?ok=mfa_reset", "reset")
		events, _, err := e.Audit.FindEvents(t.Context(), e.members["quantri"], audit.Filter{Action: "mfa.reset", TargetID: eic.UserID})
		if err != nil || len(events) != 1 || events[0].ActorID != e.members["quantri"].UserID {
			t.Fatalf("mfa.reset audit: %+v %v", events, err)
		}
	}, testutil.WithConfig(func(c *config.Config) { c.Security.MFARequiredRoles = []string{"admin"} }))
}
