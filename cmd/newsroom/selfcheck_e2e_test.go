package main

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/newsroom-vn/newsroom/internal/selfcheck"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// proxyHeaders are what the TLS-terminating reverse proxy (127.0.0.1, in
// http.trusted_proxies) adds to every request of a client at 203.0.113.7.
var proxyHeaders = map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}

// proxyJar is the browser behind the proxy: it speaks HTTPS, so it keeps
// and sends the desk's Secure cookies, which net/http/cookiejar would not
// send over the test's plain http:// hop from the proxy.
type proxyJar struct {
	mu      sync.Mutex
	cookies map[string]*http.Cookie
}

func (j *proxyJar) SetCookies(_ *url.URL, cs []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range cs {
		if c.MaxAge < 0 {
			delete(j.cookies, c.Name)
			continue
		}
		j.cookies[c.Name] = c
	}
}

func (j *proxyJar) Cookies(*url.URL) []*http.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []*http.Cookie
	for _, c := range j.cookies {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}

// totpCodes hands out codes of the secret for successive time steps (the
// server accepts the step before, the current one and the one after, and no
// step twice), so enrolment and two logins need no 30 s wait.
type totpCodes struct {
	t      *testing.T
	secret string
	last   int64
}

func (c *totpCodes) next() string {
	c.t.Helper()
	now := time.Now()
	if now.Unix()%30 == 29 { // a step boundary is near: the server could see the next step
		time.Sleep(1500 * time.Millisecond)
		now = time.Now()
	}
	step := max(c.last+1, now.Unix()/30-1)
	if step > now.Unix()/30+1 {
		c.t.Fatalf("no TOTP step left to use at %s", now)
	}
	c.last = step
	code, err := totp.GenerateCode(c.secret, time.Unix(step*30, 0))
	if err != nil {
		c.t.Fatal(err)
	}
	return code
}

var securityRowRe = regexp.MustCompile(`(?s)<tr id="control-(\w+)">.*?verdict-(\w+)".*?<td>(.*?)</td>`)

// TestSelfCheckAllGreenInProduction is issue 13's "done when": on a correctly
// configured production setup — PostgreSQL, MinIO, TLS ended by a trusted
// proxy, admin networks restricted, the admin enrolled in TOTP, a
// distribution key, metrics on loopback, a scheduled backup taken, the
// audit chain holding — every control of /desk/admin/security and
// GET /api/v1/admin/security passes.
func TestSelfCheckAllGreenInProduction(t *testing.T) {
	if !slices.Contains(testutil.Dialects(), store.DialectPostgres) {
		t.Skip("needs PostgreSQL (NEWSROOM_TEST_DB)")
	}
	binary(t) // built before the commands' timeouts start
	minioSrv := testutil.StartMinIO(t)
	backups := t.TempDir()
	var env []string
	for _, kv := range fastEnv(testutil.EmptyDatabaseURL(t, store.DialectPostgres)) {
		if !strings.HasPrefix(kv, "NEWSROOM_SECURITY_MFA_REQUIRED_ROLES=") { // the default: admin, editor_in_chief
			env = append(env, kv)
		}
	}
	env = append(minioEnv(env, minioSrv, minioSrv.Bucket(t)), "NEWSROOM_HTTP_TRUSTED_PROXIES=127.0.0.1/32",
		"NEWSROOM_SECURITY_ADMIN_ALLOW_CIDRS=203.0.113.0/24", "NEWSROOM_DISTRIBUTION_SECRET_KEY="+testutil.TestSecretKey,
		"NEWSROOM_BACKUP_INTERVAL=24h", "NEWSROOM_BACKUP_TO="+backups)
	srv := startServer(t, env)
	m := adminPwRe.FindStringSubmatch(srv.output())
	if m == nil {
		t.Fatalf("no one-time admin password printed:\n%s", srv.output())
	}

	// The first admin, through the proxy: a new password, then TOTP.
	const password = "Mật khẩu quản trị mới 2026"
	admin := &client{t: t, base: srv.base}
	admin.token = admin.must(200, "POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": m[1]}, proxyHeaders)["token"].(string)
	admin.must(204, "POST", "/api/v1/auth/password", map[string]string{"current_password": m[1], "new_password": password}, proxyHeaders)
	if code, _, _ := admin.do("GET", "/api/v1/admin/security", nil, proxyHeaders); code != 403 {
		t.Fatalf("an admin not enrolled in MFA reads the self-check: %d", code)
	}
	codes := &totpCodes{t: t, secret: admin.must(200, "POST", "/api/v1/me/mfa/totp", nil, proxyHeaders)["secret"].(string)}
	admin.must(200, "POST", "/api/v1/me/mfa/totp/confirm", map[string]string{"code": codes.next()}, proxyHeaders)
	step := admin.must(200, "POST", "/api/v1/auth/login", map[string]string{"username": "admin", "password": password}, proxyHeaders)
	if step["mfa_required"] != true {
		t.Fatalf("the enrolled admin logs in with a second factor: %v", step)
	}
	admin.token = admin.must(200, "POST", "/api/v1/auth/mfa", map[string]string{"mfa_token": step["mfa_token"].(string), "code": codes.next()},
		proxyHeaders)["token"].(string)

	// A backup with the binary, into backup.to.
	if out, err := run(t, env, "", "backup", "--to", backups); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}

	report := admin.must(200, "GET", "/api/v1/admin/security", nil, proxyHeaders)
	var ids []string
	for _, c := range report["controls"].([]any) {
		c := c.(map[string]any)
		ids = append(ids, c["id"].(string))
		if c["status"] != "pass" {
			t.Errorf("API: control %s is %s: %s", c["id"], c["status"], c["detail"])
		}
	}
	if !slices.Equal(ids, selfcheck.IDs) {
		t.Errorf("API: controls %v, want %v", ids, selfcheck.IDs)
	}

	// The desk: the login form in two steps, then the page.
	hc := &http.Client{Jar: &proxyJar{cookies: map[string]*http.Cookie{}}, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	desk := func(method, path string, form url.Values) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.base+path, strings.NewReader(form.Encode()))
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for k, v := range proxyHeaders {
			req.Header.Set(k, v)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	_, page := desk("GET", "/desk/login", nil)
	csrf := deskCSRFRe.FindStringSubmatch(page)
	if csrf == nil {
		t.Fatalf("desk login page has no CSRF token:\n%.500s", page)
	}
	_, page = desk("POST", "/desk/login", url.Values{"username": {"admin"}, "password": {password}, "csrf_token": {csrf[1]}})
	mt := regexp.MustCompile(`name="mfa_token" value="([^"]+)"`).FindStringSubmatch(page)
	if mt == nil {
		t.Fatalf("no second step after the password:\n%.2000s", page)
	}
	code, page := desk("POST", "/desk/login/mfa", url.Values{"csrf_token": {csrf[1]}, "mfa_token": {mt[1]}, "code": {codes.next()},
		"next": {"/desk/admin/security"}})
	if code != http.StatusSeeOther {
		t.Fatalf("desk second step: %d, want 303 to the page\n%.2000s", code, page)
	}
	code, page = desk("GET", "/desk/admin/security", nil)
	if code != http.StatusOK {
		t.Fatalf("GET /desk/admin/security: %d\n%.2000s", code, page)
	}
	rows := securityRowRe.FindAllStringSubmatch(page, -1)
	ids = ids[:0]
	for _, r := range rows {
		ids = append(ids, r[1])
		if r[2] != "pass" {
			t.Errorf("desk: control %s is %s: %s", r[1], r[2], r[3])
		}
	}
	if !slices.Equal(ids, selfcheck.IDs) {
		t.Errorf("desk: controls %v, want %v", ids, selfcheck.IDs)
	}
	srv.stop(t)
}
