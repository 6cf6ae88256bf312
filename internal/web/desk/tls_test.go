package desk_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

const wantHSTS = "max-age=31536000"

// schemeLogin signs in as username by hand (no cookie jar, which would drop
// Secure cookies on http://), sending X-Forwarded-Proto: proto when not "".
// It returns the cookies every answer set, by name, and the answers' HSTS
// headers.
func schemeLogin(t *testing.T, e *env, username, proto string) (map[string]*http.Cookie, []string) {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	cookies := map[string]*http.Cookie{}
	var hsts []string
	send := func(method, path string, form url.Values) string {
		t.Helper()
		req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(form.Encode()))
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if proto != "" {
			req.Header.Set("X-Forwarded-Proto", proto)
		}
		for _, ck := range cookies {
			if ck.MaxAge >= 0 {
				req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
			}
		}
		res, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		for _, ck := range res.Cookies() {
			cookies[ck.Name] = ck
		}
		hsts = append(hsts, res.Header.Get("Strict-Transport-Security"))
		if res.StatusCode >= 400 {
			t.Fatalf("%s %s: status %d: %.300s", method, path, res.StatusCode, b)
		}
		return string(b)
	}
	m := csrfMetaRe.FindStringSubmatch(send(http.MethodGet, "/desk/login", nil))
	if m == nil {
		t.Fatal("login page has no csrf-token meta")
	}
	send(http.MethodPost, "/desk/login", url.Values{"username": {username}, "password": {testPassword}, "csrf_token": {m[1]}})
	send(http.MethodGet, "/desk/lang/en?next=/desk", nil)
	for _, name := range []string{"newsroom_session", "newsroom_csrf", "newsroom_lang"} {
		if cookies[name] == nil {
			t.Fatalf("no %s cookie was set (got %v)", name, cookies)
		}
	}
	return cookies, hsts
}

func wantScheme(t *testing.T, cookies map[string]*http.Cookie, hsts []string, secure bool, what string) {
	t.Helper()
	for name, ck := range cookies {
		if ck.Secure != secure {
			t.Errorf("%s: cookie %s Secure=%v, want %v", what, name, ck.Secure, secure)
		}
	}
	for i, h := range hsts {
		if secure && h != wantHSTS {
			t.Errorf("%s: answer %d Strict-Transport-Security %q, want %q", what, i, h, wantHSTS)
		}
		if !secure && h != "" {
			t.Errorf("%s: answer %d over plain HTTP carries Strict-Transport-Security %q", what, i, h)
		}
	}
}

func trustLoopback(c *config.Config) { c.HTTP.TrustedProxies = []string{"127.0.0.1/32"} }

// Behind a trusted TLS proxy the desk's cookies are Secure and every answer
// carries HSTS; a plain request through the same proxy gets neither.
func TestHTTPSBehindTrustedProxy(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		cookies, hsts := schemeLogin(t, e, "phongvien", "https")
		wantScheme(t, cookies, hsts, true, "X-Forwarded-Proto: https from a trusted proxy")

		cookies, hsts = schemeLogin(t, e, "bientap", "")
		wantScheme(t, cookies, hsts, false, "plain request")
		cookies, hsts = schemeLogin(t, e, "bientap", "http")
		wantScheme(t, cookies, hsts, false, "X-Forwarded-Proto: http from a trusted proxy")

		// The JSON API's answers carry HSTS too.
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/healthz", nil)
		req.Header.Set("X-Forwarded-Proto", "https")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if h := res.Header.Get("Strict-Transport-Security"); h != wantHSTS {
			t.Errorf("API answer over HTTPS: Strict-Transport-Security %q, want %q", h, wantHSTS)
		}
	}, testutil.WithConfig(trustLoopback))
}

// Without trusted proxies anyone can send X-Forwarded-Proto: it is ignored.
func TestForwardedProtoFromUntrustedPeerIgnored(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		cookies, hsts := schemeLogin(t, e, "phongvien", "https")
		wantScheme(t, cookies, hsts, false, "X-Forwarded-Proto: https from an untrusted peer")
	})
}
