package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/clock"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/storyview"
)

// These tests build gin contexts by hand: keep gin's debug banner out of the output.
func init() { gin.SetMode(gin.ReleaseMode) }

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
			if !strings.Contains(e.Error(), tc.msg) {
				t.Errorf("message %q lacks %q", e.Error(), tc.msg)
			}
			if tc.field != "" && e.Details["field"] != tc.field {
				t.Errorf("details.field = %v, want %q", e.Details["field"], tc.field)
			}
		})
	}
	t.Run("nested", func(t *testing.T) {
		var in story.TransitionInput
		err := decodeStrict([]byte(`{"action":"correct","changes":{"tags":"x"}}`), &in)
		if e, _ := apperr.As(err); e == nil || e.Details["field"] != "changes.tags" || !strings.Contains(e.Error(), "array of string") {
			t.Fatalf("nested type error = %v", err)
		}
		err = decodeStrict([]byte(`{"action":"schedule","publish_at":"tomorrow"}`), &in)
		if e, _ := apperr.As(err); e == nil || e.Code != apperr.CodeInvalid || !strings.Contains(e.Error(), "RFC 3339") {
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
	v := &storyview.View{Story: st, Lock: &story.Lock{ExpiresAt: at}}
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

// TestReadyzClock: /readyz reports the clock offset and warns over
// clock.WarnOver, staying 200; an unreadable database clock is named, not fatal.
func TestReadyzClock(t *testing.T) {
	for _, tc := range []struct {
		name    string
		r       clock.Reading
		err     error
		offset  any
		warning bool
	}{
		{"same host", clock.Reading{SameHost: true}, nil, float64(0), false},
		{"close", clock.Reading{Offset: 12 * time.Millisecond}, nil, float64(12), false},
		{"ahead", clock.Reading{Offset: 2500 * time.Millisecond}, nil, float64(2500), true},
		{"behind", clock.Reading{Offset: -3 * time.Second}, nil, float64(-3000), true},
		{"unreadable", clock.Reading{}, errors.New("boom"), nil, false},
	} {
		a := &api{clock: func(context.Context) (clock.Reading, error) { return tc.r, tc.err }}
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest("GET", "/readyz", nil)
		if err := a.readyz(c); err != nil || w.Code != 200 {
			t.Fatalf("%s: %d %v", tc.name, w.Code, err)
		}
		var body map[string]any
		_ = json.Unmarshal(w.Body.Bytes(), &body)
		_, warned := body["clock_warning"]
		if body["status"] != "ok" || body["clock_offset_ms"] != tc.offset || warned != tc.warning || (tc.err != nil) != (body["clock_error"] != nil) {
			t.Errorf("%s: %v", tc.name, body)
		}
		if tc.warning && !strings.Contains(body["clock_warning"].(string), "NTP") {
			t.Errorf("%s: warning %q does not point at NTP", tc.name, body["clock_warning"])
		}
	}
}
