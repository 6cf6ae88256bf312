package desk_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/blob"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/feed"
	"github.com/newsroom-vn/newsroom/internal/httpapi"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/txn"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/web"
	"github.com/newsroom-vn/newsroom/internal/web/desk"
)

// testPassword satisfies the password policy and contains no username.
const testPassword = "Mật-khẩu-rất-dài-2026!"

// env is the whole server as cmd/newsroom wires it (API, public site, desk)
// on a real database, listening on 127.0.0.1 on a free port.
type env struct {
	t       testing.TB
	db      *store.DB
	users   *user.Service
	stories *story.Service
	assets  *asset.Service
	router  *gin.Engine
	srv     *httptest.Server
	section *story.Section
	members map[string]user.Actor
	// dist and partners back the admin screens and the distribution panel;
	// dist has no enqueuer unless a test gives it one (withJobs).
	dist     *distribution.Service
	partners *partner.Service
	// bcast is programmes and rundowns; its OnRundownChange feeds the desk's live pages.
	bcast *broadcast.Service
}

// testSecretKey is a distribution.secret_key for tests (32 bytes, hex).
const testSecretKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

func newEnv(t testing.TB, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	auditRepo := store.NewAuditRepository(db)
	users := user.NewService(store.NewUserRepository(db), db, audit.UserFunc(auditRepo),
		user.Config{Argon2: user.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}})
	stories := story.NewService(store.NewStoryRepository(db), auditRepo, txn.WithAfterCommit(db), story.Config{})
	siteSvc := site.NewService(store.NewSiteRepository(db), store.NewStoryRepository(db))
	stories.OnTransition = siteSvc.TransitionHook(stories.OnTransition)
	partners := partner.NewService(store.NewPartnerRepository(db), auditRepo, db, partner.Config{DefaultRateLimit: 1000})
	searchSvc := search.NewService(store.NewSearcher(db), store.NewStoryRepository(db), search.Config{})
	pub, err := web.New(web.Deps{Site: siteSvc, Partners: partners, Search: searchSvc, Logger: quiet,
		Options: web.Options{Site: web.SiteInfo{Name: "Báo Thử", BaseURL: "http://127.0.0.1"}, CacheEntries: 100}})
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	assets := asset.NewService(store.NewAssetRepository(db), blobs, db, asset.Config{Logger: quiet})
	stories.Attachments = assets
	assets.OnUpdate = siteSvc.AssetChanged
	key, err := distribution.ParseKey(testSecretKey)
	if err != nil {
		t.Fatal(err)
	}
	dist := distribution.NewService(store.NewDistributionRepository(db), stories, auditRepo, txn.WithAfterCommit(db), feed.NewRenderer(siteSvc, feed.Site{Name: "Báo Thử", BaseURL: "http://127.0.0.1"}),
		distribution.Config{SecretKey: key, OnWeb: siteSvc.Invalidate, Logger: quiet})
	bcast := broadcast.NewService(store.NewBroadcastRepository(db), store.NewStoryRepository(db), auditRepo, txn.WithAfterCommit(db))
	d, err := desk.New(desk.Deps{Users: users, Stories: stories, Assets: assets, Logger: quiet,
		Partners: partners, Distribution: dist, Search: searchSvc, Broadcast: bcast})
	if err != nil {
		t.Fatal(err)
	}
	r, err := server.New(server.Options{Logger: quiet},
		httpapi.New(httpapi.Deps{Users: users, Stories: stories, Audit: auditRepo, Partners: partners, Assets: assets, Search: searchSvc, Ready: db.Ping}), pub, d)
	if err != nil {
		t.Fatal(err)
	}
	bcast.OnRundownChange = d.NotifyRundownChange
	e := &env{t: t, db: db, users: users, stories: stories, assets: assets, router: r, members: map[string]user.Actor{},
		dist: dist, partners: partners, bcast: bcast}
	for _, m := range []struct {
		name string
		role user.Role
	}{{"quantri", user.RoleAdmin}, {"phongvien", user.RoleReporter}, {"bientap", user.RoleEditor},
		{"thuky", user.RoleManagingEditor}, {"tongbientap", user.RoleEditorInChief}} {
		e.member(m.name, m.role, false)
	}
	name, slug, levels := "Thời sự", "thoi-su", 2
	e.section, err = stories.CreateSection(ctx, e.members["quantri"], story.SectionInput{Name: &name, Slug: &slug, ApprovalLevels: &levels})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(r)
	t.Cleanup(e.srv.Close)
	return e
}

// member creates an account with testPassword.
func (e *env) member(name string, role user.Role, mustChange bool) user.Actor {
	e.t.Helper()
	u, _, err := e.users.CreateUser(context.Background(), user.System, user.NewUser{Username: name, DisplayName: "Người " + name,
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
	st, err := e.stories.CreateStory(context.Background(), e.members["phongvien"], story.Content{SectionID: &e.section.ID, Headline: &headline, Body: &body})
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

func (e *env) transition(who, id, action, comment string) *story.Story {
	e.t.Helper()
	st, err := e.stories.Transition(context.Background(), e.members[who], id, story.TransitionInput{Action: action, Comment: comment}, nil)
	if err != nil {
		e.t.Fatalf("%s %s: %v", who, action, err)
	}
	return st
}

func (e *env) current(id string) *story.Story {
	e.t.Helper()
	st, err := e.stories.FindStoryByID(context.Background(), user.Actor{Role: user.RoleEditorInChief, UserID: "x"}, id)
	if err != nil {
		// Drafts are visible to their author only.
		st, err = e.stories.FindStoryByID(context.Background(), e.members["phongvien"], id)
		if err != nil {
			e.t.Fatal(err)
		}
	}
	return st
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
