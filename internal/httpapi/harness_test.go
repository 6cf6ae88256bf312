package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// testPassword satisfies the password policy and contains no username.
const testPassword = "Mật-khẩu-rất-dài-2026!"

// harness wires a real database, the real services and the router.
type harness struct {
	t          testing.TB
	db         *store.DB
	users      *user.Service
	stories    *story.Service
	storyRepo  story.Repository
	router     *gin.Engine
	adminToken string
	admin      *user.User
}

func newHarness(t testing.TB, db *store.DB) *harness {
	t.Helper()
	userRepo := store.NewUserRepository(db)
	storyRepo := store.NewStoryRepository(db)
	auditRepo := store.NewAuditRepository(db)
	users := user.NewService(userRepo, db, audit.UserFunc(auditRepo),
		user.Config{Argon2: user.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}})
	stories := story.NewService(storyRepo, auditRepo, db, story.Config{})
	h := &harness{t: t, db: db, users: users, stories: stories, storyRepo: storyRepo}
	h.router = newRouter(t, Deps{Users: users, Stories: stories, Audit: auditRepo, Ready: db.Ping,
		Search: search.NewService(store.NewSearcher(db), storyRepo, search.Config{})}, server.Options{})
	ctx := context.Background()
	mustChange := false
	admin, _, err := users.CreateUser(ctx, user.System, user.NewUser{Username: "quantri", DisplayName: "Quản trị",
		Role: string(user.RoleAdmin), Password: testPassword, MustChangePassword: &mustChange})
	if err != nil {
		t.Fatalf("create admin: %v", err)
	}
	h.admin = admin
	h.adminToken = h.login("quantri", testPassword)
	return h
}

// errorBody is the API's error answer.
type errorBody = respond.ErrorBody

// newRouter builds the engine with the API face alone.
func newRouter(t testing.TB, d Deps, o server.Options) *gin.Engine {
	t.Helper()
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r, err := server.New(o, New(d))
	if err != nil {
		t.Fatalf("server: %v", err)
	}
	return r
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
	ct := ""
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
		ct = "application/json"
	}
	req := httptest.NewRequest(method, path, rd)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.router.ServeHTTP(w, req)
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

// current reads a story straight from the repository (whoever may see it).
func (h *harness) current(id string) *story.Story {
	h.t.Helper()
	st, err := h.storyRepo.FindStoryByID(context.Background(), id, false)
	if err != nil {
		h.t.Fatalf("find story %s: %v", id, err)
	}
	return st
}

func strp(s string) *string { return &s }

func future() time.Time { return time.Now().UTC().Add(48 * time.Hour).Truncate(time.Second) }
