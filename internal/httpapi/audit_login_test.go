package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
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
		wantControl(t, plain, selfcheck.IDAuditChain, "pass", "the audit chain holds")
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

// loginFrom posts a login from the client address ip through app's engine
// (h.app unless another process is given).
func (h *harness) loginFrom(app *testutil.App, ip, username, password string) resp {
	h.t.Helper()
	data, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req := httptest.NewRequest("POST", "/api/v1/auth/login", bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = net.JoinHostPort(ip, "40000")
	w := httptest.NewRecorder()
	if app == nil {
		app = h.app
	}
	app.Handler.ServeHTTP(w, req)
	return resp{Code: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
}

// sameAnswer fails unless two error answers have the same status and body
// (request ids apart).
func sameAnswer(t *testing.T, a, b resp, what string) {
	t.Helper()
	ea, eb := a.err(t), b.err(t)
	if a.Code != b.Code || !reflect.DeepEqual(ea.Error, eb.Error) {
		t.Fatalf("%s: %d %s, want the same as %d %s", what, a.Code, a.Body, b.Code, b.Body)
	}
}

// testClock is a clock a test moves by hand for the user service (lockout
// lengths; TOTP codes, each in a later 30-second step than the last one).
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}
func (c *testClock) step() time.Time { return c.add(30 * time.Second) }
func newTestClock(h *harness) *testClock {
	c := &testClock{t: time.Now().UTC().Truncate(time.Microsecond)}
	h.app.Users.SetClock(c.now)
	h.t.Cleanup(func() { h.app.Users.SetClock(func() time.Time { return time.Now().UTC() }) })
	return c
}

// TestLoginTemporaryLockout: 5 wrong passwords lock the name from that
// source for 15 minutes, then 30 (backoff), answering exactly as a wrong
// password or an unknown name does, even to the right password; the lock
// ends by itself, an admin can lift it (audited), and a success resets the
// backoff.
func TestLoginTemporaryLockout(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		if maxFailed, d, top := h.app.Users.LockoutPolicy(); maxFailed != 5 || d != 15*time.Minute || top != 24*time.Hour {
			t.Fatalf("LockoutPolicy = %d %v %v", maxFailed, d, top)
		}
		reporter := h.user("phongvien", user.RoleReporter)
		clock := newTestClock(h)
		const ip = "203.0.113.7"
		lockOut := func(what string) {
			t.Helper()
			for i := 1; i <= 5; i++ {
				h.expectCode(h.loginFrom(nil, ip, "phongvien", "sai-mật-khẩu-rồi"), 401, "invalid_credentials", fmt.Sprintf("%s: failure %d", what, i))
			}
		}
		refused := func(what string) {
			t.Helper()
			locked := h.loginFrom(nil, ip, "phongvien", testPassword)
			sameAnswer(t, locked, h.loginFrom(nil, ip, "khong-ai-ca", "whatever"), what+": locked vs unknown")
			sameAnswer(t, locked, h.loginFrom(nil, "203.0.113.8", "quantri", "wrong-password"), what+": locked vs wrong password")
		}
		lockOut("first lock")
		refused("first lock")
		clock.add(14 * time.Minute)
		refused("first lock after 14 minutes")
		clock.add(2 * time.Minute)
		// Expired; 5 more failures and the second lock lasts 30 minutes.
		lockOut("second lock")
		clock.add(16 * time.Minute)
		refused("second lock after 16 minutes")
		clock.add(15 * time.Minute)
		h.expect(h.loginFrom(nil, ip, "phongvien", testPassword), 200, "after the doubled lock")
		// The success reset the backoff: 15 minutes again.
		lockOut("third lock")
		clock.add(16 * time.Minute)
		h.expect(h.loginFrom(nil, ip, "phongvien", testPassword), 200, "after the third lock")

		// An admin lifts a lock at once, and the audit log says so.
		lockOut("fourth lock")
		refused("fourth lock")
		adminToken := h.login("quantri", testPassword)
		h.expect(h.do(adminToken, "PATCH", "/api/v1/users/"+reporter.ID, map[string]any{"locked": false}), 200, "unlock")
		h.expect(h.loginFrom(nil, ip, "phongvien", testPassword), 200, "after the admin's unlock")
		// An admin's lock holds until unlocked, from every source, with the same answer.
		h.expect(h.do(adminToken, "PATCH", "/api/v1/users/"+reporter.ID, map[string]any{"locked": true}), 200, "admin lock")
		clock.add(48 * time.Hour)
		adminToken = h.login("quantri", testPassword)
		sameAnswer(t, h.loginFrom(nil, "203.0.113.9", "phongvien", testPassword), h.loginFrom(nil, "203.0.113.9", "khong-ai-ca", "x"), "admin lock vs unknown")
		h.expect(h.do(adminToken, "PATCH", "/api/v1/users/"+reporter.ID, map[string]any{"locked": false}), 200, "unlock the admin lock")
		h.expect(h.loginFrom(nil, "203.0.113.9", "phongvien", testPassword), 200, "after unlocking the admin lock")
		var page respond.List[map[string]any]
		h.expect(h.do(adminToken, "GET", "/api/v1/audit?action=user.update", nil), 200, "audit").json(t, &page)
		unlocks := 0
		for _, e := range page.Items {
			if d, _ := e["details"].(map[string]any); d["locked"] == false && e["target_id"] == reporter.ID {
				unlocks++
			}
		}
		if unlocks != 2 {
			t.Fatalf("no audited unlock: %v", page.Items)
		}
		h.expect(h.do(adminToken, "GET", "/api/v1/audit?action=user.locked", nil), 200, "audit").json(t, &page)
		if len(page.Items) != 4 || page.Items[0]["details"].(map[string]any)["source"] != ip {
			t.Fatalf("temporary locks in the audit: %v", page.Items)
		}
	})
}

// expectThrottled fails unless r is 429 login_throttled with Retry-After.
func (h *harness) expectThrottled(r resp, what string) {
	h.t.Helper()
	h.expectCode(r, 429, "login_throttled", what)
	if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs < 1 || secs > 60 {
		h.t.Fatalf("%s: Retry-After %q", what, r.Header.Get("Retry-After"))
	}
}

// TestLoginThrottle: failed logins are throttled per source address (at
// least 20 a minute, 30 at once) and per username, through the database,
// so that two processes share the buckets; successful logins take nothing,
// and the account's owner logs in from another address while one address
// hammers it. The 429 is the same for known and unknown names.
func TestLoginThrottle(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		clock := newTestClock(h)
		other := h.app.OtherProcess()
		other.Users.SetClock(clock.now)
		fail := func(app *testutil.App, ip string, n int, what string) {
			t.Helper()
			for i := range n {
				h.expectCode(h.loginFrom(app, ip, fmt.Sprintf("ai-%s-%d", what, i), "x"), 401, "invalid_credentials", fmt.Sprintf("%s %d", what, i))
			}
		}

		// Per source: 30 at once, then 20 a minute.
		fail(nil, "198.51.100.1", 30, "burst")
		h.expectThrottled(h.loginFrom(nil, "198.51.100.1", "ai-khac", "x"), "31st failure")
		sameAnswer(t, h.loginFrom(nil, "198.51.100.1", "quantri", "wrong-password"), h.loginFrom(nil, "198.51.100.1", "ai-khac", "x"), "429 known vs unknown")
		clock.add(time.Minute)
		fail(nil, "198.51.100.1", 20, "next-minute")
		h.expectThrottled(h.loginFrom(nil, "198.51.100.1", "ai-khac", "x"), "21st failure of the minute")

		// Successful logins take no token.
		fail(nil, "198.51.100.2", 29, "before-successes")
		for i := range 35 {
			h.expect(h.loginFrom(nil, "198.51.100.2", "quantri", testPassword), 200, fmt.Sprintf("success %d", i))
		}
		fail(nil, "198.51.100.2", 1, "30th")
		h.expectThrottled(h.loginFrom(nil, "198.51.100.2", "ai-khac", "x"), "31st failure after successes")

		// Two processes share the buckets.
		fail(nil, "198.51.100.3", 15, "here")
		fail(other, "198.51.100.3", 15, "there")
		h.expectThrottled(h.loginFrom(other, "198.51.100.3", "ai-khac", "x"), "other process")
		h.expectThrottled(h.loginFrom(nil, "198.51.100.3", "ai-khac", "x"), "this process")

		// Per username, from every source: 10 verified failures, known or not.
		for _, name := range []string{"quantri", "khong-co-ai"} {
			for i := range 10 {
				h.expectCode(h.loginFrom(nil, fmt.Sprintf("198.51.101.%d", i), name, "wrong-password"), 401, "invalid_credentials", name)
			}
		}
		sameAnswer(t, h.loginFrom(nil, "198.51.101.99", "quantri", "wrong-password"), h.loginFrom(nil, "198.51.101.99", "khong-co-ai", "x"), "username throttled, known vs unknown")
		h.expectThrottled(h.loginFrom(nil, "198.51.101.98", "quantri", testPassword), "username bucket empty")
		clock.add(time.Minute)
		h.expect(h.loginFrom(nil, "198.51.101.98", "quantri", testPassword), 200, "a minute later")

		// One address hammers the admin (concurrently, in both processes);
		// the admin logs in from elsewhere all along.
		clock.add(2 * time.Minute) // the buckets are full again
		stop := make(chan struct{})
		var once sync.Once
		halt := func() { once.Do(func() { close(stop) }) }
		t.Cleanup(halt)
		var wg sync.WaitGroup
		var codes sync.Map
		for _, app := range []*testutil.App{h.app, other, h.app} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					r := h.loginFrom(app, "192.0.2.66", "quantri", "doan-mo-"+strconv.Itoa(rand.IntN(1e6)))
					codes.Store(r.Code, true)
				}
			}()
		}
		for i := range 20 {
			if r := h.loginFrom(nil, "192.0.2.77", "quantri", testPassword); r.Code != 200 {
				halt()
				t.Fatalf("legitimate login %d during the attack: %d %s", i, r.Code, r.Body)
			}
		}
		// The attack goes on until the address's bucket is empty (how many
		// attempts fit in the 20 logins above depends on the machine's speed).
		testutil.Eventually(t, 60*time.Second, "the attacker is throttled", func() bool { _, ok := codes.Load(429); return ok })
		halt()
		wg.Wait()
		codes.Range(func(k, _ any) bool {
			if c := k.(int); c != 401 && c != 429 {
				t.Errorf("attacker got %d", c)
			}
			return true
		})
		h.expectCode(h.loginFrom(nil, "192.0.2.66", "quantri", testPassword), 429, "login_throttled", "the attacker with the right password")
	})
}

// FuzzLogin feeds the login endpoint arbitrary bodies: well-formed JSON with
// any username and password, and raw bytes. Whatever comes, the answer is a
// documented client error or a login (never a 5xx), with an error code, and
// nothing longer than 1,024 characters reaches the audit log. Each failing
// input is also a failed login, so the throttle is set high enough that the
// corpus exercises the checks and not only the 429.
func FuzzLogin(f *testing.F) {
	h := newHarness(f, "sqlite", testutil.WithConfig(func(c *config.Config) {
		c.Auth.ThrottleIPBurst, c.Auth.ThrottleUserBurst = 1_000_000, 1_000_000
	}))
	for _, s := range [][3]string{{"quantri", testPassword, ""}, {"quantri", "wrong", ""}, {"", "", ""},
		{strings.Repeat("é", 300), "x", ""}, {"a\x00b", strings.Repeat("p", 2000), ""}, {"", "", `{"username":1}`},
		{"", "", `{"username":"quantri","password":"` + testPassword + `"`}, {"", "", "\xff\xfe"}, {"QuanTri ", testPassword, ""}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, username, password, raw string) {
		var r resp
		if raw != "" {
			r = h.raw("", "POST", "/api/v1/auth/login", strings.NewReader(raw), "Content-Type", "application/json")
		} else {
			r = h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password})
		}
		switch r.Code {
		case 200:
			return
		case 400, 401, 413, 415, 429:
			if e := r.err(t); e.Error.Code == "" || e.Error.Message == "" {
				t.Fatalf("%d without an error code: %s", r.Code, r.Body)
			}
		default:
			t.Fatalf("login answered %d: %s", r.Code, r.Body)
		}
	})
	for _, e := range h.failedLogins() {
		for _, s := range auditStrings(e) {
			if n := utf8.RuneCountInString(s); n > 1024 {
				f.Errorf("audit string of %d characters: %.40q...", n, s)
			}
		}
	}
}
