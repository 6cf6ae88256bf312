package desk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// testPassword satisfies the password policy and contains no username.
const testPassword = "Mật-khẩu-rất-dài-2026!"

// env is the whole app as `newsroom serve` builds it (API, public site, desk,
// listeners, job queue) on a fresh database, served on 127.0.0.1, with the
// newsroom's members and a section.
type env struct {
	*testutil.App
	t       testing.TB
	srv     *httptest.Server
	section *story.Section
	members map[string]user.Actor
}

// newEnv builds the env on a fresh database of the dialect.
func newEnv(t testing.TB, dialect string, opts ...testutil.AppOption) *env {
	t.Helper()
	a := testutil.NewApp(t, dialect, opts...)
	e := &env{App: a, t: t, members: map[string]user.Actor{}}
	for _, m := range []struct {
		name string
		role user.Role
	}{{"quantri", user.RoleAdmin}, {"phongvien", user.RoleReporter}, {"bientap", user.RoleEditor},
		{"thuky", user.RoleManagingEditor}, {"tongbientap", user.RoleEditorInChief}} {
		e.member(m.name, m.role, false)
	}
	e.section = a.Section(e.members["quantri"], "Thời sự", "thoi-su", 2, nil)
	e.srv = a.Serve()
	return e
}

// forEachEnv runs fn as a subtest per dialect, each with its own env.
func forEachEnv(t *testing.T, fn func(t *testing.T, e *env), opts ...testutil.AppOption) {
	t.Helper()
	for _, d := range testutil.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, newEnv(t, d, opts...)) })
	}
}

// member creates an account with testPassword.
func (e *env) member(name string, role user.Role, mustChange bool) user.Actor {
	e.t.Helper()
	u, _, err := e.Users.CreateUser(context.Background(), user.System, user.NewUser{Username: name, DisplayName: "Người " + name,
		Role: string(role), Password: testPassword, MustChangePassword: &mustChange})
	if err != nil {
		e.t.Fatalf("create %s: %v", name, err)
	}
	e.members[name] = u.Actor("127.0.0.1")
	return e.members[name]
}

// draft creates a story as the reporter.
func (e *env) draft(headline string) *story.Story {
	e.t.Helper()
	body := "<p>Nội dung bài viết.</p>"
	st, err := e.Stories.CreateStory(context.Background(), e.members["phongvien"], story.Content{SectionID: &e.section.ID, Headline: &headline, Body: &body})
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

func (e *env) transition(who, id, action, comment string) *story.Story {
	e.t.Helper()
	st, err := e.Stories.Transition(context.Background(), e.members[who], id, story.TransitionInput{Action: action, Comment: comment}, nil)
	if err != nil {
		e.t.Fatalf("%s %s: %v", who, action, err)
	}
	return st
}

func (e *env) current(id string) *story.Story {
	e.t.Helper()
	st, err := e.Stories.FindStoryByID(context.Background(), user.Actor{Role: user.RoleEditorInChief, UserID: "x"}, id)
	if err != nil {
		// Drafts are visible to their author only.
		st, err = e.Stories.FindStoryByID(context.Background(), e.members["phongvien"], id)
		if err != nil {
			e.t.Fatal(err)
		}
	}
	return st
}

// wantState fails t unless story id is in state want now; when says at what point.
func (e *env) wantState(t testing.TB, id string, want workflow.State, when string) {
	t.Helper()
	if st := e.current(id); st.State != want {
		t.Fatalf("%s: state %s, want %s", when, st.State, want)
	}
}

// client is a browser without JavaScript: cookies kept, redirects not followed.
type client struct {
	t    testing.TB
	base string
	http *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, base: e.srv.URL, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// loggedIn is a client signed in as username.
func (e *env) loggedIn(username string) *client {
	c := e.client()
	c.login(username)
	return c
}

type page struct {
	Code   int
	Header http.Header
	Body   string
}

func (c *client) do(req *http.Request) page {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{Code: res.StatusCode, Header: res.Header, Body: string(b)}
}

func (c *client) get(path string) page {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values, hdr ...string) page {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return c.do(req)
}

// autosave posts the editor's JSON autosave of the story at path
// (/desk/stories/{id}): in as JSON, the CSRF token, and If-Match when
// ifMatch is not "".
func (c *client) autosave(path, csrf, ifMatch string, in any) page {
	c.t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		c.t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, c.base+path+"/autosave", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	return c.do(req)
}

var csrfMetaRe = regexp.MustCompile(`<meta name="csrf-token" content="([0-9a-f]+)">`)

// csrf reads the token from a desk page.
func (c *client) csrf(path string) string {
	c.t.Helper()
	p := c.get(path)
	m := csrfMetaRe.FindStringSubmatch(p.Body)
	if m == nil {
		c.t.Fatalf("%s: no csrf-token meta (status %d)", path, p.Code)
	}
	return m[1]
}

// login signs in through the form and expects a redirect.
func (c *client) login(username string) {
	c.t.Helper()
	tok := c.csrf("/desk/login")
	p := c.post("/desk/login", url.Values{"username": {username}, "password": {testPassword}, "csrf_token": {tok}})
	if p.Code != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d: %s", username, p.Code, p.Body)
	}
}

func expect(t testing.TB, p page, status int, what string) {
	t.Helper()
	if p.Code != status {
		t.Fatalf("%s: status %d, want %d: %.600s", what, p.Code, status, p.Body)
	}
}
