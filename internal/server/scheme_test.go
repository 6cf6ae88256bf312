package server

import (
	"crypto/tls"
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
		r, _, err := New(Options{TrustedProxies: tc.proxies, Logger: quiet()}, faceFunc(func(r *Routes) {
			r.Group("").GET("/s", func(c *gin.Context) { got = respond.Secure(c) })
		}))
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/s", nil)
		req.RemoteAddr = tc.remote
		if tc.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		if tc.tls {
			req.TLS = &tls.ConnectionState{}
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
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
		r, _, err := New(Options{TrustedProxies: tc.proxies, Logger: quiet()}, faceFunc(func(r *Routes) {
			r.Group("").GET("/s", func(c *gin.Context) { got = respond.ViaTrustedProxy(c) })
		}))
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/s", nil)
		req.RemoteAddr = tc.remote
		r.ServeHTTP(httptest.NewRecorder(), req)
		if got != tc.want {
			t.Errorf("peer %s, trusted %v: via trusted proxy %v, want %v", tc.remote, tc.proxies, got, tc.want)
		}
	}
}
