package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testutil.StopSharedMinIO()
	os.Exit(code)
}

// testPassword satisfies the password policy and contains no username.
const testPassword = "Mật-khẩu-rất-dài-2026!"

// harness is the whole app (testutil.NewApp, as production builds it) on a
// fresh database, driven over HTTP, with an admin logged in.
type harness struct {
	t          testing.TB
	app        *testutil.App
	adminToken string
	admin      *user.User
}

// newHarness builds the app of the dialect and logs its first admin in.
func newHarness(t testing.TB, dialect string, opts ...testutil.AppOption) *harness {
	t.Helper()
	h := &harness{t: t, app: testutil.NewApp(t, dialect, opts...)}
	mustChange := false
	admin, _, err := h.app.Users.CreateUser(context.Background(), user.System, user.NewUser{Username: "quantri", DisplayName: "Quản trị",
		Role: string(user.RoleAdmin), Password: testPassword, MustChangePassword: &mustChange})
	if err != nil {
		t.Fatalf("create admin: %v", err)
	}
	h.admin = admin
	h.adminToken = h.login("quantri", testPassword)
	return h
}

// forEachHarness runs fn as a subtest per dialect, each on its own app.
func forEachHarness(t *testing.T, fn func(t *testing.T, h *harness), opts ...testutil.AppOption) {
	t.Helper()
	for _, d := range testutil.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, newHarness(t, d, opts...)) })
	}
}

// errorBody is the API's error answer.
type errorBody = respond.ErrorBody

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

// resp is an answer with helpers to read it.
type resp struct {
	Code   int
	Header http.Header
	Body   []byte
}

func (r resp) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("answer %d is not the expected JSON: %v: %s", r.Code, err, r.Body)
	}
}

func (r resp) obj(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.json(t, &m)
	return m
}

func (r resp) err(t testing.TB) errorBody {
	t.Helper()
	return errorOf(t, r.Body)
}

// rawBody is a request body sent as it is (with the content type in headers).
type rawBody string

// do sends a request. body: nil, rawBody, or any value sent as JSON.
// hdr are header name/value pairs.
func (h *harness) do(token, method, path string, body any, hdr ...string) resp {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case rawBody:
		rd = strings.NewReader(string(b))
	default:
		data, err := json.Marshal(b)
		if err != nil {
			h.t.Fatalf("marshal body: %v", err)
		}
		rd = bytes.NewReader(data)
		hdr = append([]string{"Content-Type", "application/json"}, hdr...)
	}
	return h.raw(token, method, path, rd, hdr...)
}

// raw sends a request with a body reader.
func (h *harness) raw(token, method, path string, body io.Reader, hdr ...string) resp {
	req := httptest.NewRequest(method, path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.app.Handler.ServeHTTP(w, req)
	return resp{Code: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
}

// expect fails the test unless the answer has the status.
func (h *harness) expect(r resp, status int, what string) resp {
	h.t.Helper()
	if r.Code != status {
		h.t.Fatalf("%s: status %d, want %d: %s", what, r.Code, status, r.Body)
	}
	return r
}

// expectCode fails the test unless the answer is an error of the status and code.
func (h *harness) expectCode(r resp, status int, code, what string) {
	h.t.Helper()
	if r.Code != status || r.err(h.t).Error.Code != code {
		h.t.Fatalf("%s: status %d, want %d %s: %s", what, r.Code, status, code, r.Body)
	}
}

func (h *harness) login(username, password string) string {
	h.t.Helper()
	r := h.expect(h.do("", "POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password}), 200, "login "+username)
	var out struct {
		Token string `json:"token"`
	}
	r.json(h.t, &out)
	return out.Token
}

// section creates a section over HTTP as admin.
func (h *harness) section(name string, levels int) story.Section {
	h.t.Helper()
	var sec story.Section
	h.expect(h.do(h.adminToken, "POST", "/api/v1/sections", map[string]any{"name": name, "approval_levels": levels}), 201, "create section").json(h.t, &sec)
	return sec
}

// member is a user with an open session.
type member struct {
	*user.User
	token string
}

func (m member) actor() user.Actor { return m.User.Actor("192.0.2.1") }

// user creates an account over HTTP as admin and logs it in.
func (h *harness) user(username string, role user.Role, sections ...string) member {
	h.t.Helper()
	if sections == nil {
		sections = []string{}
	}
	var u user.User
	h.expect(h.do(h.adminToken, "POST", "/api/v1/users", map[string]any{"username": username, "display_name": "Người " + username,
		"role": role, "section_ids": sections, "password": testPassword, "must_change_password": false}), 201, "create user "+username).json(h.t, &u)
	return member{User: &u, token: h.login(username, testPassword)}
}

// desk creates a section with a reporter ("phongvien") and an editor
// ("bientap") in it: the cast most story tests start from.
func (h *harness) desk(name string, levels int) (story.Section, member, member) {
	h.t.Helper()
	sec := h.section(name, levels)
	return sec, h.user("phongvien", user.RoleReporter, sec.ID), h.user("bientap", user.RoleEditor, sec.ID)
}

// newStory creates a story over HTTP as the member, with these fields.
func (h *harness) newStory(m member, fields map[string]any) storyJSON {
	h.t.Helper()
	var st storyJSON
	h.expect(h.do(m.token, "POST", "/api/v1/stories", fields), 201, "create story").json(h.t, &st)
	return st
}

// current reads a story straight from the database (whoever may see it).
func (h *harness) current(id string) *story.Story {
	h.t.Helper()
	st, err := store.NewStoryRepository(h.app.DB).FindStoryByID(context.Background(), id, false)
	if err != nil {
		h.t.Fatalf("find story %s: %v", id, err)
	}
	return st
}

// storyJSON is the API's story view.
type storyJSON struct {
	story.Story
	AllowedActions []string    `json:"allowed_actions"`
	Lock           *story.Lock `json:"lock"`
}

// revisionSummary is one line of GET /stories/{id}/revisions.
type revisionSummary struct {
	Number  int    `json:"number"`
	ActorID string `json:"actor_id"`
	Actor   string `json:"actor_username,omitempty"`
	Action  string `json:"action"`
	Comment string `json:"comment"`
}

// meResponse is GET /me.
type meResponse struct {
	User      *user.User `json:"user"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// lockResponse is GET and POST /stories/{id}/lock.
type lockResponse struct {
	Lock *story.Lock `json:"lock"`
}

// etag is the entity-tag of a version, as the API writes it.
func etag(version int) string { return strconv.Quote(strconv.Itoa(version)) }

func strp(s string) *string { return &s }

func future() time.Time { return time.Now().UTC().Add(48 * time.Hour).Truncate(time.Second) }
