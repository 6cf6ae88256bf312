package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// errorOf decodes an error answer and checks its shape.
func errorOf(t testing.TB, body []byte) errorBody {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, body)
	}
	var inner map[string]json.RawMessage
	if err := json.Unmarshal(raw["error"], &inner); err != nil {
		t.Fatalf("error body has no error object: %s", body)
	}
	for _, k := range []string{"code", "message", "details"} {
		if _, ok := inner[k]; !ok {
			t.Fatalf("error object lacks %q: %s", k, body)
		}
	}
	if _, ok := raw["request_id"]; !ok {
		t.Fatalf("error body lacks request_id: %s", body)
	}
	var e errorBody
	_ = json.Unmarshal(body, &e)
	return e
}

func TestDecodeStrict(t *testing.T) {
	cases := []struct {
		name, body string
		status     int
		msg, field string
	}{
		{"ok", `{"headline":"Tin","tags":["a"]}`, 0, "", ""},
		{"empty", ``, 400, "empty", ""},
		{"spaces", "  \n ", 400, "empty", ""},
		{"array", `[{"headline":"x"}]`, 400, "must be a JSON object", ""},
		{"string", `"x"`, 400, "must be a JSON object", ""},
		{"null", `null`, 400, "must be a JSON object", ""},
		{"unknown field", `{"headline":"x","evil":1}`, 400, `unknown field "evil"`, "evil"},
		{"wrong type", `{"tags":"x"}`, 400, `field "tags" must be array of string`, "tags"},
		{"wrong element", `{"tags":[1]}`, 400, `field "tags" must be array of string`, "tags"},
		{"wrong scalar", `{"headline":5}`, 400, `field "headline" must be string`, "headline"},
		{"syntax", `{"headline": x}`, 400, "malformed JSON at byte 14", ""},
		{"truncated", `{"headline": "x"`, 400, "malformed JSON at byte 16", ""},
		{"trailing", `{"headline":"x"} {"a":1}`, 400, "unexpected data after the JSON object", ""},
		{"trailing garbage", `{"headline":"x"}x`, 400, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c story.Content
			err := decodeStrict([]byte(tc.body), &c)
			if tc.status == 0 {
				if err != nil || c.Headline == nil || *c.Headline != "Tin" {
					t.Fatalf("decode ok body: %v %+v", err, c)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok || e.Code.HTTPStatus() != tc.status {
				t.Fatalf("err = %v, want status %d", err, tc.status)
			}
			if !strings.Contains(e.Message, tc.msg) {
				t.Errorf("message %q lacks %q", e.Message, tc.msg)
			}
			if tc.field != "" && e.Details["field"] != tc.field {
				t.Errorf("details.field = %v, want %q", e.Details["field"], tc.field)
			}
		})
	}
	t.Run("nested", func(t *testing.T) {
		var in story.TransitionInput
		err := decodeStrict([]byte(`{"action":"correct","changes":{"tags":"x"}}`), &in)
		if e, _ := apperr.As(err); e == nil || e.Details["field"] != "changes.tags" || !strings.Contains(e.Message, "array of string") {
			t.Fatalf("nested type error = %v", err)
		}
		err = decodeStrict([]byte(`{"action":"schedule","publish_at":"tomorrow"}`), &in)
		if e, _ := apperr.As(err); e == nil || e.Code != apperr.CodeInvalid || !strings.Contains(e.Message, "RFC 3339") {
			t.Fatalf("bad time error = %v", err)
		}
	})
}

// TestIfMatch checks RFC 9110 conditional requests: the version handed to
// the service is the listed one, the current one for "*" or a list that holds
// it, and 0 (which no resource has, so the service answers 412) for anything
// that cannot match strongly. nilV means no check.
func TestIfMatch(t *testing.T) {
	const nilV = -1
	current := func() (int, error) { return 4, nil }
	cases := []struct {
		header   string
		required bool
		want     int
		status   int
	}{
		{"", true, 0, 428},
		{"", false, nilV, 0},
		{`"3"`, true, 3, 0},
		{`12`, true, 12, 0},
		{`W/"7"`, true, 0, 0},
		{`"abc"`, true, 0, 0},
		{`"0"`, true, 0, 0},
		{`garbage, more`, true, 0, 0},
		{`*`, true, 4, 0},
		{`*`, false, nilV, 0},
		{`"2", "4"`, true, 4, 0},
		{`"2", W/"4"`, false, 2, 0},
	}
	for _, tc := range cases {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodPatch, "/", nil)
		if tc.header != "" {
			c.Request.Header.Set("If-Match", tc.header)
		}
		v, err := ifMatch(c, tc.required, current)
		switch {
		case tc.status != 0:
			if e, ok := apperr.As(err); !ok || e.Code.HTTPStatus() != tc.status {
				t.Errorf("If-Match %q: err %v, want %d", tc.header, err, tc.status)
			}
		case tc.want == nilV:
			if err != nil || v != nil {
				t.Errorf("If-Match %q: %v %v, want nil", tc.header, v, err)
			}
		default:
			if err != nil || v == nil || *v != tc.want {
				t.Errorf("If-Match %q: %v %v, want %d", tc.header, v, err, tc.want)
			}
		}
	}
	if etag(5) != `"5"` {
		t.Errorf("etag(5) = %s", etag(5))
	}
}

func TestUTCTimes(t *testing.T) {
	hcm := time.FixedZone("ICT", 7*3600)
	at := time.Date(2026, 1, 2, 10, 0, 0, 0, hcm)
	st := &story.Story{CreatedAt: at, PublishAt: &at}
	v := &storyView{Story: st, Lock: &story.Lock{ExpiresAt: at}}
	details := map[string]any{"story": st}
	respond.UTCTimes(v)
	respond.UTCTimes(details)
	for _, tm := range []time.Time{st.CreatedAt, *st.PublishAt, v.Lock.ExpiresAt} {
		if tm.Location() != time.UTC || !tm.Equal(at) {
			t.Errorf("time %v not converted to UTC", tm)
		}
	}
	b, _ := json.Marshal(v)
	if !strings.Contains(string(b), `"created_at":"2026-01-02T03:00:00Z"`) {
		t.Errorf("story JSON times not RFC 3339 UTC: %s", b)
	}
}

// bareRouter is a router whose services are not reachable: enough for the
// middlewares and everything that answers before a service is called.
func bareRouter(t *testing.T, opts server.Options, ready func(context.Context) error) (*gin.Engine, *bytes.Buffer) {
	t.Helper()
	var logBuf bytes.Buffer
	users := user.NewService(nil, nil, nil, user.Config{})
	opts.Logger = slog.New(slog.NewJSONHandler(&logBuf, nil))
	r := newRouter(t, Deps{Users: users, Ready: ready, Version: "1.2.3"}, opts)
	return r, &logBuf
}

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
	failing := func(context.Context) error { return errors.New("database is down") }
	r, logBuf := bareRouter(t, server.Options{MaxBodyBytes: 64}, failing)

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
		w = do(r, "GET", "/readyz", nil)
		e := errorOf(t, w.Body.Bytes())
		if w.Code != 503 || !strings.Contains(e.Error.Message, "database is down") {
			t.Errorf("readyz = %d %s", w.Code, w.Body)
		}
		ok, _ := bareRouter(t, server.Options{}, func(context.Context) error { return nil })
		if w := do(ok, "GET", "/readyz", nil); w.Code != 200 {
			t.Errorf("readyz with a live database = %d", w.Code)
		}
	})
	t.Run("security headers", func(t *testing.T) {
		for _, p := range []string{"/healthz", "/api/v1/me", "/nowhere"} {
			w := do(r, "GET", p, nil)
			h := w.Header()
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" || h.Get("X-Frame-Options") != "DENY" {
				t.Errorf("%s: security headers missing: %v", p, h)
			}
			if api := strings.HasPrefix(p, "/api/"); api != (h.Get("Cache-Control") == "no-store") {
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
	t.Run("metrics", func(t *testing.T) {
		w := do(r, "GET", "/metrics", nil)
		body := w.Body.String()
		for _, want := range []string{
			`newsroom_http_requests_total{code="200",method="GET",route="/healthz"}`,
			`newsroom_http_requests_total{code="404",method="GET",route="unmatched"}`,
			`newsroom_http_request_duration_seconds_bucket{method="GET",route="/healthz"`,
			"go_goroutines", "process_",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
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
	r, logBuf := bareRouter(t, server.Options{}, nil)
	r.GET("/boom", func(c *gin.Context) { panic("kaboom") })
	w := do(r, "GET", "/boom", nil)
	e := errorOf(t, w.Body.Bytes())
	if w.Code != 500 || e.Error.Message != "Internal error" || e.RequestID == "" {
		t.Fatalf("panic answer = %d %s", w.Code, w.Body)
	}
	if !strings.Contains(logBuf.String(), "kaboom") || !strings.Contains(logBuf.String(), "goroutine") || !strings.Contains(logBuf.String(), e.RequestID) {
		t.Errorf("panic not logged with stack and request id: %s", logBuf)
	}
}

func TestRenderConvertsStructsPassedByValue(t *testing.T) {
	at := time.Date(2026, 5, 6, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	respond.JSON(c, http.StatusOK, loginResponse{Token: "t", ExpiresAt: at})
	if !strings.Contains(w.Body.String(), `"expires_at":"2026-05-06T02:00:00Z"`) {
		t.Fatalf("render kept the zone: %s", w.Body)
	}
	w = httptest.NewRecorder()
	c, _ = gin.CreateTestContext(w)
	respond.JSON(c, http.StatusOK, respond.NewList([]story.Lock{{ExpiresAt: at}}, ""))
	if !strings.Contains(w.Body.String(), `"expires_at":"2026-05-06T02:00:00Z"`) || !strings.Contains(w.Body.String(), `"next_cursor":""`) {
		t.Fatalf("render of a list: %s", w.Body)
	}
}
