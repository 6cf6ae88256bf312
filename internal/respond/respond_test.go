package respond

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

func serve(t *testing.T, log *slog.Logger, h HandlerFunc) *httptest.ResponseRecorder {
	t.Helper()
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(func(c *gin.Context) { SetRequest(c, "rid-1", log.With(slog.String("request_id", "rid-1"))); c.Next() })
	r.GET("/", Handle(JSONErrors, h))
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	return w
}

// TestJSONErrors checks the API's error body and status for each kind of error.
func TestJSONErrors(t *testing.T) {
	var logBuf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logBuf, nil))
	cases := []struct {
		err                error
		status             int
		code, msg, details string
	}{
		{fmt.Errorf("story: x: %w", apperr.NotFound("no story")), 404, "not_found", "no story", ""},
		{apperr.Forbidden("no").WithReason("password_change_required"), 403, "password_change_required", "no", ""},
		{apperr.InvalidField("tags", "bad tags"), 400, "invalid", "bad tags", "field"},
		{errors.New("pq: connection refused at 10.0.0.5"), 500, "internal", "Internal error", ""},
		{apperr.Internal("secret detail"), 500, "internal", "Internal error", ""},
		{&http.MaxBytesError{Limit: 10}, 413, "too_large", "", "limit"},
	}
	for _, tc := range cases {
		w := serve(t, log, func(*gin.Context) error { return tc.err })
		if w.Code != tc.status {
			t.Errorf("%v: status %d, want %d", tc.err, w.Code, tc.status)
		}
		var b ErrorBody
		if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
			t.Fatal(err)
		}
		if b.Error.Code != tc.code || (tc.msg != "" && b.Error.Message != tc.msg) || b.RequestID != "rid-1" {
			t.Errorf("%v: got %+v", tc.err, b)
		}
		if tc.details != "" && b.Error.Details[tc.details] == nil {
			t.Errorf("%v: details lack %q", tc.err, tc.details)
		}
	}
	if !strings.Contains(logBuf.String(), "10.0.0.5") || !strings.Contains(logBuf.String(), "rid-1") {
		t.Errorf("internal errors are not logged with the request id: %s", logBuf.String())
	}
	if strings.Contains(serve(t, log, func(*gin.Context) error { return apperr.Internal("secret detail") }).Body.String(), "secret") {
		t.Error("an internal message leaked")
	}
}

// TestRequire checks the optional-service guard.
func TestRequire(t *testing.T) {
	r := gin.New()
	r.GET("/off", JSONErrors.Require(false, apperr.Unavailable("off")), func(c *gin.Context) { c.String(200, "ran") })
	r.GET("/on", JSONErrors.Require(true, apperr.Unavailable("off")), func(c *gin.Context) { c.String(200, "ran") })
	for path, want := range map[string]int{"/off": 503, "/on": 200} {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != want || (want == 503) == strings.Contains(w.Body.String(), "ran") {
			t.Errorf("%s: %d %s", path, w.Code, w.Body)
		}
	}
}

type pos struct {
	At time.Time `json:"at"`
	ID string    `json:"id"`
}

// TestCursor round-trips a position and refuses tampered tokens.
func TestCursor(t *testing.T) {
	cur := Cursor[pos]{Valid: func(p *pos) bool { return p.ID != "" && !p.At.IsZero() }}
	in := pos{At: time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC), ID: "x"}
	out, err := cur.Decode(cur.Encode(&in))
	if err != nil || *out != in {
		t.Fatalf("round trip: %v %+v", err, out)
	}
	if p, err := cur.Decode(""); p != nil || err != nil || cur.Encode(nil) != "" {
		t.Error("empty cursor is not the first page")
	}
	for _, bad := range []string{"%%%", "bm90IGpzb24", "bm9wZQ", Cursor[map[string]int]{}.Encode(&map[string]int{"zz": 1}), cur.Encode(&pos{ID: "x"})} {
		if _, err := cur.Decode(bad); !apperr.Is(err, apperr.CodeInvalid) {
			t.Errorf("cursor %q: err %v, want invalid", bad, err)
		}
	}
}

// TestJSON checks that answers are in UTC and lists are never null.
func TestJSON(t *testing.T) {
	at := time.Date(2026, 5, 6, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	JSON(c, http.StatusOK, NewList([]pos{{At: at}}, ""))
	if !strings.Contains(w.Body.String(), `"at":"2026-05-06T02:00:00Z"`) || !strings.Contains(w.Body.String(), `"next_cursor":""`) {
		t.Errorf("body %s", w.Body)
	}
	w = httptest.NewRecorder()
	c, _ = gin.CreateTestContext(w)
	JSON(c, http.StatusOK, NewList[pos](nil, ""))
	if !strings.Contains(w.Body.String(), `"items":[]`) {
		t.Errorf("nil list: %s", w.Body)
	}
}

func TestLang(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", "en"},
		{"vi", "vi"},
		{"vi-VN,vi;q=0.9,en;q=0.8", "vi"},
		{"en-US,en;q=0.9,vi;q=0.8", "en"},
		{"fr, vi;q=0.5", "vi"},
		{"fr", "en"},
		{"en;q=0.2, vi;q=0.7", "vi"},
	} {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodGet, "/", nil)
		c.Request.Header.Set("Accept-Language", tc.header)
		if got := Lang(c); got != tc.want {
			t.Errorf("Lang(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

func TestSecure(t *testing.T) {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("GET", "/", nil)
	if Secure(c) {
		t.Error("plain request without the server's middleware is secure")
	}
	SetSecure(c, true)
	if !Secure(c) {
		t.Error("SetSecure(true) not kept")
	}
}
