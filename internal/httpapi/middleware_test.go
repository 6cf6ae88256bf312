package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// mwHarness is the app with a 64-byte body cap and its log in a buffer:
// enough for the middlewares and everything that answers before a service.
func mwHarness(t *testing.T) (*harness, *bytes.Buffer) {
	t.Helper()
	var logBuf bytes.Buffer
	a := testutil.NewApp(t, store.DialectSQLite, testutil.WithLogger(slog.New(slog.NewJSONHandler(&logBuf, nil))),
		testutil.WithConfig(func(c *config.Config) { c.HTTP.MaxBodyBytes = 64 }))
	return &harness{t: t, app: a}, &logBuf
}

// do sends a request to the app's engine.
func do(r http.Handler, method, path string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, body)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

func TestMiddlewares(t *testing.T) {
	h, logBuf := mwHarness(t)
	r := h.app.Handler

	t.Run("request id", func(t *testing.T) {
		w := do(r, "GET", "/healthz", nil, "X-Request-ID", "abc.DEF_1-2")
		if w.Header().Get("X-Request-ID") != "abc.DEF_1-2" {
			t.Errorf("valid incoming id not kept: %q", w.Header().Get("X-Request-ID"))
		}
		for _, bad := range []string{"has space", strings.Repeat("x", 65), "<script>", "ü"} {
			w := do(r, "GET", "/healthz", nil, "X-Request-ID", bad)
			got := w.Header().Get("X-Request-ID")
			if got == bad || !regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`).MatchString(got) {
				t.Errorf("bad incoming id %q answered with %q", bad, got)
			}
		}
		a := do(r, "GET", "/healthz", nil).Header().Get("X-Request-ID")
		b := do(r, "GET", "/healthz", nil).Header().Get("X-Request-ID")
		if a == "" || a == b {
			t.Errorf("generated ids %q %q", a, b)
		}
	})
	t.Run("health", func(t *testing.T) {
		w := do(r, "GET", "/healthz", nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"status":"ok"`) {
			t.Errorf("healthz = %d %s", w.Code, w.Body)
		}
		if w := do(r, "GET", "/readyz", nil); w.Code != 200 {
			t.Errorf("readyz with a live database = %d %s", w.Code, w.Body)
		}
		down, _ := mwHarness(t)
		if err := down.app.DB.SQL.Close(); err != nil {
			t.Fatal(err)
		}
		w = do(down.app.Handler, "GET", "/readyz", nil)
		e := errorOf(t, w.Body.Bytes())
		if w.Code != 503 || e.Error.Code != "not_ready" || !strings.Contains(e.Error.Message, "database is closed") {
			t.Errorf("readyz with the database down = %d %s", w.Code, w.Body)
		}
	})
	t.Run("security headers", func(t *testing.T) {
		// /nowhere is the site's 404 page, which chooses its own caching.
		for _, p := range []string{"/healthz", "/api/v1/me", "/api/v1/nowhere", "/nowhere"} {
			w := do(r, "GET", p, nil)
			h := w.Header()
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" || h.Get("X-Frame-Options") != "DENY" {
				t.Errorf("%s: security headers missing: %v", p, h)
			}
			if api := strings.HasPrefix(p, "/api/"); p != "/nowhere" && api != (h.Get("Cache-Control") == "no-store") {
				t.Errorf("%s: Cache-Control %q", p, h.Get("Cache-Control"))
			}
		}
	})
	t.Run("404 and 405", func(t *testing.T) {
		w := do(r, "GET", "/api/v1/nothing", nil)
		if e := errorOf(t, w.Body.Bytes()); w.Code != 404 || e.Error.Code != "route_not_found" {
			t.Errorf("unknown route = %d %s", w.Code, w.Body)
		}
		w = do(r, "PUT", "/api/v1/stories", nil)
		if e := errorOf(t, w.Body.Bytes()); w.Code != 405 || e.Error.Code != "method_not_allowed" || !strings.Contains(w.Header().Get("Allow"), "GET") {
			t.Errorf("wrong method = %d %s allow=%q", w.Code, w.Body, w.Header().Get("Allow"))
		}
		w = do(r, "GET", "/api/v1/stories/", nil)
		if w.Code != 404 {
			t.Errorf("trailing slash = %d, want 404 JSON (no redirect)", w.Code)
		}
	})
	t.Run("auth required", func(t *testing.T) {
		w := do(r, "GET", "/api/v1/me", nil)
		if e := errorOf(t, w.Body.Bytes()); w.Code != 401 || e.Error.Code != "unauthenticated" {
			t.Errorf("no token = %d %s", w.Code, w.Body)
		}
		w = do(r, "GET", "/api/v1/me", nil, "Authorization", "Basic Zm9vOmJhcg==")
		if w.Code != 401 {
			t.Errorf("basic auth = %d", w.Code)
		}
	})
	t.Run("body size and content type", func(t *testing.T) {
		big := `{"username":"` + strings.Repeat("a", 100) + `","password":"x"}`
		w := do(r, "POST", "/api/v1/auth/login", strings.NewReader(big), "Content-Type", "application/json")
		if e := errorOf(t, w.Body.Bytes()); w.Code != 413 || e.Error.Code != "too_large" {
			t.Errorf("oversize declared body = %d %s", w.Code, w.Body)
		}
		req := httptest.NewRequest("POST", "/api/v1/auth/login", io.NopCloser(strings.NewReader(big)))
		req.ContentLength = -1
		req.Header.Set("Content-Type", "application/json")
		w = httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != 413 {
			t.Errorf("oversize streamed body = %d %s", w.Code, w.Body)
		}
		w = do(r, "POST", "/api/v1/auth/login", strings.NewReader(`{"username":"a"}`), "Content-Type", "text/plain")
		if w.Code != 415 {
			t.Errorf("text/plain body = %d", w.Code)
		}
		w = do(r, "POST", "/api/v1/auth/login", strings.NewReader(`{"username":"a","x":1}`), "Content-Type", "application/json; charset=utf-8")
		if e := errorOf(t, w.Body.Bytes()); w.Code != 400 || e.Error.Details["field"] != "x" {
			t.Errorf("unknown login field = %d %s", w.Code, w.Body)
		}
	})
	t.Run("no metrics on the engine", func(t *testing.T) {
		// They live on metrics.addr (internal/app's metrics test).
		w := do(r, "GET", "/metrics", nil)
		if w.Code != 404 || strings.Contains(w.Body.String(), "newsroom_") {
			t.Errorf("GET /metrics = %d %.200s, want 404", w.Code, w.Body)
		}
	})
	t.Run("access log", func(t *testing.T) {
		logBuf.Reset()
		do(r, "GET", "/healthz", nil, "X-Request-ID", "log-test-1")
		var line map[string]any
		if err := json.Unmarshal(bytes.TrimSpace(logBuf.Bytes()), &line); err != nil {
			t.Fatalf("access log is not one JSON line: %v: %s", err, logBuf)
		}
		for k, want := range map[string]any{"method": "GET", "route": "/healthz", "status": float64(200), "request_id": "log-test-1", "user": ""} {
			if line[k] != want {
				t.Errorf("access log %s = %v, want %v", k, line[k], want)
			}
		}
		if _, ok := line["duration"]; !ok {
			t.Error("access log lacks duration")
		}
	})
}

func TestRecovery(t *testing.T) {
	h, logBuf := mwHarness(t)
	r := h.app.Handler
	r.(*gin.Engine).GET("/boom", func(c *gin.Context) { panic("kaboom") })
	w := do(r, "GET", "/boom", nil)
	e := errorOf(t, w.Body.Bytes())
	if w.Code != 500 || e.Error.Message != "Internal error" || e.RequestID == "" {
		t.Fatalf("panic answer = %d %s", w.Code, w.Body)
	}
	if !strings.Contains(logBuf.String(), "kaboom") || !strings.Contains(logBuf.String(), "goroutine") || !strings.Contains(logBuf.String(), e.RequestID) {
		t.Errorf("panic not logged with stack and request id: %s", logBuf)
	}
}

// TestAdminAllowCIDRs: with security.admin_allow_cidrs set, the admin routes
// answer 403 admin_address_refused to clients outside it (the address as
// given by a trusted proxy's X-Forwarded-For; an untrusted one's is
// ignored), each refusal is audited with the address and path, the office
// network passes, and the other routes are not limited.
func TestAdminAllowCIDRs(t *testing.T) {
	const proxy, office, outside = "192.0.2.1", "10.20.1.5", "203.0.113.9"
	forEachHarness(t, func(t *testing.T, h *harness) {
		h.app.Member("phongvien", "reporter", testPassword)
		reporter := h.login("phongvien", testPassword)
		from := func(ip string) []string { return []string{"X-Forwarded-For", ip} }
		admin := []struct{ method, path string }{{"GET", "/api/v1/users"}, {"GET", "/api/v1/audit"}, {"GET", "/api/v1/targets"},
			{"GET", "/api/v1/api-keys"}, {"POST", "/api/v1/sections"}, {"PATCH", "/api/v1/users/" + h.admin.ID}}
		for _, rt := range admin {
			h.expectCode(h.do(h.adminToken, rt.method, rt.path, map[string]any{}, from(outside)...), 403, "admin_address_refused", rt.method+" "+rt.path+" from outside")
		}
		h.expectCode(h.do(reporter, "GET", "/api/v1/users", nil, from(outside)...), 403, "admin_address_refused", "reporter from outside")
		h.expectCode(h.do(h.adminToken, "GET", "/api/v1/users", nil), 403, "admin_address_refused", "the proxy's own address")
		spoofed := httptest.NewRequest("GET", "/api/v1/users", nil)
		spoofed.RemoteAddr = outside + ":4711"
		spoofed.Header.Set("X-Forwarded-For", office)
		spoofed.Header.Set("Authorization", "Bearer "+h.adminToken)
		w := httptest.NewRecorder()
		h.app.Handler.ServeHTTP(w, spoofed)
		if w.Code != 403 {
			t.Fatalf("X-Forwarded-For from an untrusted client: %d %s", w.Code, w.Body)
		}
		vi := h.do(h.adminToken, "GET", "/api/v1/users", nil, "X-Forwarded-For", outside, "Accept-Language", "vi")
		if msg := vi.err(t).Error.Message; !strings.Contains(msg, "security.admin_allow_cidrs") || !strings.Contains(msg, "địa chỉ") {
			t.Errorf("vi message %q", msg)
		}

		h.expect(h.do(h.adminToken, "GET", "/api/v1/users", nil, from(office)...), 200, "admin from the office")
		h.expect(h.do(h.adminToken, "GET", "/api/v1/stories", nil, from(outside)...), 200, "admin on a newsroom route from outside")
		h.expect(h.do(reporter, "GET", "/api/v1/me", nil, from(outside)...), 200, "reporter from outside")

		var page struct {
			Items []struct {
				ActorName string         `json:"actor_username"`
				IP        string         `json:"ip"`
				TargetID  string         `json:"target_id"`
				Details   map[string]any `json:"details"`
			} `json:"items"`
		}
		h.expect(h.do(h.adminToken, "GET", "/api/v1/audit?action=security.admin_refused", nil, from(office)...), 200, "audit").json(t, &page)
		if want := len(admin) + 4; len(page.Items) != want {
			t.Fatalf("security.admin_refused entries = %d, want %d: %+v", len(page.Items), want, page.Items)
		}
		last := page.Items[len(page.Items)-1] // newest first: the oldest is the first refusal
		if last.ActorName != "quantri" || last.IP != outside || last.Details["ip"] != outside || last.Details["path"] != "/api/v1/users" || last.TargetID != "/api/v1/users" {
			t.Errorf("first refusal audited as %+v", last)
		}
	}, testutil.WithConfig(func(c *config.Config) {
		c.HTTP.TrustedProxies = []string{proxy}
		c.Security.AdminAllowCIDRs = []string{"10.20.0.0/16", "2001:db8::/32"}
	}))
}

// TestReadyzReportsClockOffset: /readyz keeps {"status":"ok"} and adds the
// offset to the database's clock: 0 from the same host on SQLite, a reading
// of the server's clock on PostgreSQL.
func TestReadyzReportsClockOffset(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		var body struct {
			Status   string   `json:"status"`
			OffsetMS *float64 `json:"clock_offset_ms"`
			Source   string   `json:"clock_source"`
			Warning  *string  `json:"clock_warning"`
		}
		h.expect(h.do("", "GET", "/readyz", nil), 200, "readyz").json(t, &body)
		want := map[string]string{store.DialectSQLite: "same_host", store.DialectPostgres: "database"}[h.app.DB.Dialect]
		if body.Status != "ok" || body.OffsetMS == nil || body.Source != want || body.Warning != nil || *body.OffsetMS < -1000 || *body.OffsetMS > 1000 {
			t.Fatalf("readyz = %+v", body)
		}
		if h.app.DB.Dialect == store.DialectSQLite && *body.OffsetMS != 0 {
			t.Fatalf("sqlite offset %v", *body.OffsetMS)
		}
	})
}
