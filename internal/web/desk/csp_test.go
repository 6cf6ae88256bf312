package desk_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
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
