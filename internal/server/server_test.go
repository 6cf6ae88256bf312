package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestOptionsValidate(t *testing.T) {
	if err := (Options{TrustedProxies: []string{"10.0.0.0/8", "127.0.0.1", "::1"}}).Validate(); err != nil {
		t.Errorf("valid proxies refused: %v", err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.local", ""} {
		if err := (Options{TrustedProxies: []string{bad}}).Validate(); err == nil {
			t.Errorf("proxy %q accepted", bad)
		}
		if _, _, err := New(Options{TrustedProxies: []string{bad}}); err == nil {
			t.Errorf("server built with proxy %q", bad)
		}
	}
}

func TestClientIPIgnoresUntrustedForwardedFor(t *testing.T) {
	for _, tc := range []struct {
		proxies []string
		want    string
	}{{nil, "192.0.2.1"}, {[]string{"192.0.2.0/24"}, "203.0.113.9"}} {
		var got string
		r, _, err := New(Options{TrustedProxies: tc.proxies, Logger: quiet()}, faceFunc(func(r *Routes) {
			r.Group("").GET("/ip", func(c *gin.Context) { got = c.ClientIP() })
		}))
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/ip", nil)
		req.RemoteAddr = "192.0.2.1:1234"
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		r.ServeHTTP(httptest.NewRecorder(), req)
		if got != tc.want {
			t.Errorf("proxies %v: client ip %q, want %q", tc.proxies, got, tc.want)
		}
	}
}

// faceFunc lets a test declare routes inline.
type faceFunc func(r *Routes)

func (f faceFunc) Mount(r *Routes) { f(r) }

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestFaces checks the body cap of capped and streaming groups, the NotFound
// split between the site and /api, and that a face's headers add to the global ones.
func TestFaces(t *testing.T) {
	read := func(c *gin.Context) {
		b, err := io.ReadAll(c.Request.Body)
		if err != nil {
			c.String(http.StatusRequestEntityTooLarge, "cut")
			return
		}
		c.String(http.StatusOK, "%d", len(b))
	}
	site := faceFunc(func(r *Routes) {
		r.Group("/desk", func(c *gin.Context) { c.Header("Content-Security-Policy", "default-src 'self'"); c.Next() }).POST("/form", read)
		r.Stream("/desk").POST("/upload", read)
		r.NotFound(func(c *gin.Context) { c.String(http.StatusNotFound, "html 404") })
	})
	r, _, err := New(Options{MaxBodyBytes: 10, Logger: quiet()}, site)
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, body string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(method, path, strings.NewReader(body)))
		return w
	}
	big := strings.Repeat("x", 100)
	if w := do("POST", "/desk/form", big); w.Code != 413 || !strings.Contains(w.Body.String(), `"too_large"`) {
		t.Errorf("capped group: %d %s", w.Code, w.Body)
	}
	if w := do("POST", "/desk/upload", big); w.Code != 200 || w.Body.String() != "100" {
		t.Errorf("streaming group: %d %s", w.Code, w.Body)
	}
	w := do("POST", "/desk/form", "short")
	if w.Code != 200 || w.Header().Get("Content-Security-Policy") == "" || w.Header().Get("X-Frame-Options") != "DENY" {
		t.Errorf("face headers: %d %v", w.Code, w.Header())
	}
	if w := do("GET", "/nowhere", ""); w.Code != 404 || w.Body.String() != "html 404" {
		t.Errorf("site 404: %d %s", w.Code, w.Body)
	}
	if w := do("GET", "/api/nowhere", ""); w.Code != 404 || !strings.Contains(w.Body.String(), `"route_not_found"`) {
		t.Errorf("api 404: %d %s", w.Code, w.Body)
	}
}
