package server

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/respond"
)

// TestScheme checks when a request counts as HTTPS: TLS on the connection, or
// X-Forwarded-Proto: https from a trusted proxy only; HSTS goes with it.
func TestScheme(t *testing.T) {
	for _, tc := range []struct {
		name    string
		proxies []string
		remote  string
		proto   string
		tls     bool
		want    bool
	}{
		{"plain", nil, "192.0.2.1:1", "", false, false},
		{"tls", nil, "192.0.2.1:1", "", true, true},
		{"untrusted peer's header", nil, "192.0.2.1:1", "https", false, false},
		{"peer outside the trusted set", []string{"10.0.0.0/8"}, "192.0.2.1:1", "https", false, false},
		{"trusted CIDR", []string{"192.0.2.0/24"}, "192.0.2.1:1", "https", false, true},
		{"trusted bare address", []string{"192.0.2.1"}, "192.0.2.1:1", "HTTPS", false, true},
		{"trusted IPv6", []string{"::1"}, "[::1]:1", "https", false, true},
		{"first of a list", []string{"192.0.2.1"}, "192.0.2.1:1", "https, http", false, true},
		{"trusted proxy says http", []string{"192.0.2.1"}, "192.0.2.1:1", "http", false, false},
		{"trusted proxy says nonsense", []string{"192.0.2.1"}, "192.0.2.1:1", "httpsx", false, false},
	} {
		var got bool
		req := httptest.NewRequest("GET", "/s", nil)
		req.RemoteAddr = tc.remote
		if tc.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		if tc.tls {
			req.TLS = &tls.ConnectionState{}
		}
		w := probe(t, tc.proxies, req, func(c *gin.Context) { got = respond.Secure(c) })
		hsts := w.Header().Get("Strict-Transport-Security")
		if got != tc.want || (hsts == hstsValue) != tc.want || (!tc.want && hsts != "") {
			t.Errorf("%s: secure %v, HSTS %q; want secure %v", tc.name, got, hsts, tc.want)
		}
	}
}

// TestViaTrustedProxy: the faces learn whether the peer is a trusted proxy
// (the security self-check reports it), whatever X-Forwarded-Proto says.
func TestViaTrustedProxy(t *testing.T) {
	for _, tc := range []struct {
		proxies []string
		remote  string
		want    bool
	}{
		{nil, "192.0.2.1:1", false},
		{[]string{"10.0.0.0/8"}, "192.0.2.1:1", false},
		{[]string{"192.0.2.0/24"}, "192.0.2.1:1", true},
		{[]string{"::1"}, "[::1]:1", true},
	} {
		var got bool
		req := httptest.NewRequest("GET", "/s", nil)
		req.RemoteAddr = tc.remote
		probe(t, tc.proxies, req, func(c *gin.Context) { got = respond.ViaTrustedProxy(c) })
		if got != tc.want {
			t.Errorf("peer %s, trusted %v: via trusted proxy %v, want %v", tc.remote, tc.proxies, got, tc.want)
		}
	}
}

// probe serves req on an engine that trusts proxies, where the handler of
// GET /s calls see, and returns the answer.
func probe(t *testing.T, proxies []string, req *http.Request, see func(c *gin.Context)) *httptest.ResponseRecorder {
	t.Helper()
	r, _, err := New(Options{TrustedProxies: proxies, Logger: quiet()}, faceFunc(func(r *Routes) {
		r.Group("").GET("/s", see)
	}))
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}
