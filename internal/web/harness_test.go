package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

const password = "Mật-khẩu-rất-dài-2026!"

// env is the whole app as `newsroom serve` builds it (API, public site with
// its feeds and content API, desk, listeners) on a fresh database, served on
// 127.0.0.1, with an admin, a reporter, an editor-in-chief and a section
// whose one approval level is the editor-in-chief's.
type env struct {
	*testutil.App
	t        testing.TB
	srv      *httptest.Server
	http     *http.Client
	reporter user.Actor
	chief    user.Actor
	admin    user.Actor
	section  *story.Section
}

// testSite is the public site the tests read: a full press-law footer,
// full-text RSS and a 30-second cache.
func testSite(c *config.Config) {
	c.Site.Name, c.Site.BaseURL = "Báo Thử", "https://bao.example.vn"
	c.Site.Licence, c.Site.LicenceDate, c.Site.EditorInChief = "123/GP-BTTTT", "01/02/2024", "Nguyễn Văn A"
	c.Site.Address, c.Site.Phone, c.Site.Email = "1 Lê Lợi", "0123", "toasoan@example.vn"
	c.Site.RSSFullText, c.Site.CacheMaxAge, c.Site.CacheEntries = true, 30*time.Second, 1000
}

// newEnv builds the env on a fresh database of the dialect; opts change the
// configuration after testSite.
func newEnv(t testing.TB, dialect string, opts ...testutil.AppOption) *env {
	t.Helper()
	a := testutil.NewApp(t, dialect, append([]testutil.AppOption{testutil.WithConfig(testSite)}, opts...)...)
	e := &env{App: a, t: t, srv: a.Serve()}
	// Redirects are answers under test, and gzip is undone by get only when asked for.
	e.http = &http.Client{Timeout: time.Minute, Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	t.Cleanup(e.http.CloseIdleConnections)
	e.admin = e.Member("quantri", user.RoleAdmin, password)
	e.reporter = e.Member("phongvien", user.RoleReporter, password)
	e.chief = e.Member("tongbientap", user.RoleEditorInChief, password)
	e.section = a.Section(e.admin, "Thời sự", "thoi-su", 1, [][]user.Role{{user.RoleEditorInChief}})
	return e
}

// forEachEnv runs fn as a subtest per dialect, each with its own env.
func forEachEnv(t *testing.T, fn func(t *testing.T, e *env), opts ...testutil.AppOption) {
	t.Helper()
	for _, d := range testutil.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, newEnv(t, d, opts...)) })
	}
}

// publish creates a story in the env's section and takes it to the site.
func (e *env) publish(headline, sapo, body string, tags []string) *story.Story {
	e.t.Helper()
	st, err := e.Stories.CreateStory(context.Background(), e.reporter, story.Content{SectionID: &e.section.ID, Headline: &headline, Sapo: &sapo, Body: &body, Tags: &tags})
	if err != nil {
		e.t.Fatal(err)
	}
	return e.approve(st, true)
}

// approve takes the reporter's draft st through the section's approval (the
// reporter submits, the editor-in-chief claims and approves) and, when
// publish is set, publishes it.
func (e *env) approve(st *story.Story, publish bool) *story.Story {
	e.t.Helper()
	steps := []struct {
		a   user.Actor
		act string
	}{{e.reporter, "submit"}, {e.chief, "claim"}, {e.chief, "approve"}, {e.chief, "publish"}}
	if !publish {
		steps = steps[:3]
	}
	var err error
	for _, step := range steps {
		if st, err = e.Stories.Transition(context.Background(), step.a, st.ID, story.TransitionInput{Action: step.act}, nil); err != nil {
			e.t.Fatalf("%s: %v", step.act, err)
		}
	}
	return st
}

type answer struct {
	Code   int
	Header http.Header
	Body   string
}

// request sends a request to the served app; hdr are header name, value pairs.
func (e *env) request(method, path string, body []byte, hdr ...string) answer {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := e.http.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("%s %s: read: %v", method, path, err)
	}
	return answer{Code: res.StatusCode, Header: res.Header, Body: string(b)}
}

// get is a GET; a gzip answer is unzipped (its header stays).
func (e *env) get(path string, hdr ...string) answer {
	e.t.Helper()
	a := e.request(http.MethodGet, path, nil, hdr...)
	if a.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(strings.NewReader(a.Body))
		if err != nil {
			e.t.Fatalf("GET %s: bad gzip: %v", path, err)
		}
		b, _ := io.ReadAll(zr)
		a.Body = string(b)
	}
	return a
}

func (e *env) must(path string, code int, hdr ...string) answer {
	e.t.Helper()
	a := e.get(path, hdr...)
	if a.Code != code {
		e.t.Fatalf("GET %s = %d, want %d: %.400s", path, a.Code, code, a.Body)
	}
	return a
}

// send makes a request with a body, as the bearer of token when there is one.
func (e *env) send(method, path, token, ctype string, body []byte) answer {
	e.t.Helper()
	var hdr []string
	if token != "" {
		hdr = append(hdr, "Authorization", "Bearer "+token)
	}
	if ctype != "" {
		hdr = append(hdr, "Content-Type", ctype)
	}
	return e.request(method, path, body, hdr...)
}

// uploadPhoto posts a JPEG through POST /api/v1/assets with its metadata.
func (e *env) uploadPhoto(token string, data []byte, fields [][2]string) asset.Asset {
	e.t.Helper()
	return e.uploadFile(token, "lu.jpg", "image/jpeg", data, fields)
}

// uploadFile posts a file through POST /api/v1/assets with its metadata.
func (e *env) uploadFile(token, filename, ctype string, data []byte, fields [][2]string) asset.Asset {
	e.t.Helper()
	body, ctype := testutil.MultipartFile(filename, ctype, data, fields...)
	a := e.send(http.MethodPost, "/api/v1/assets", token, ctype, body)
	if a.Code != http.StatusCreated {
		e.t.Fatalf("upload = %d: %s", a.Code, a.Body)
	}
	var as asset.Asset
	if err := json.Unmarshal([]byte(a.Body), &as); err != nil {
		e.t.Fatal(err)
	}
	return as
}

// loginToken logs username in through the API and returns its bearer token.
func loginToken(t *testing.T, e *env, username string) string {
	t.Helper()
	a := e.send(http.MethodPost, "/api/v1/auth/login", "", "application/json", []byte(`{"username":"`+username+`","password":"`+password+`"}`))
	var out struct{ Token string }
	if err := json.Unmarshal([]byte(a.Body), &out); err != nil || out.Token == "" {
		t.Fatalf("login %s: %d %s", username, a.Code, a.Body)
	}
	return out.Token
}
