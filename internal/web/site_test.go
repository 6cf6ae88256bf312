package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/mmcdole/gofeed"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/blob"
	"github.com/newsroom-vn/newsroom/internal/httpapi"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/txn"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/web"
)

const password = "Mật-khẩu-rất-dài-2026!"

type env struct {
	t        testing.TB
	db       *store.DB
	router   *gin.Engine
	stories  *story.Service
	site     *site.Service
	partners *partner.Service
	assets   *asset.Service
	reporter user.Actor
	chief    user.Actor
	admin    user.Actor
	section  *story.Section
}

func newEnv(t testing.TB, db *store.DB, opts ...func(*web.Options)) *env {
	t.Helper()
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return newEnvWithStorage(t, db, blobs, asset.Config{}, opts...)
}

// newEnvWithStorage is newEnv on the given object store and asset settings.
func newEnvWithStorage(t testing.TB, db *store.DB, blobs asset.BlobStore, acfg asset.Config, opts ...func(*web.Options)) *env {
	t.Helper()
	ctx := context.Background()
	auditRepo := store.NewAuditRepository(db)
	users := user.NewService(store.NewUserRepository(db), db, audit.UserFunc(auditRepo),
		user.Config{Argon2: user.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}})
	stories := story.NewService(store.NewStoryRepository(db), auditRepo, txn.WithAfterCommit(db), story.Config{})
	siteSvc := site.NewService(store.NewSiteRepository(db), store.NewStoryRepository(db))
	stories.OnTransition = siteSvc.TransitionHook(stories.OnTransition)
	partners := partner.NewService(store.NewPartnerRepository(db), auditRepo, db, partner.Config{DefaultRateLimit: 1000})
	o := web.Options{Site: web.SiteInfo{Name: "Báo Thử", BaseURL: "https://bao.example.vn", Licence: "123/GP-BTTTT",
		LicenceDate: "01/02/2024", EditorInChief: "Nguyễn Văn A", Address: "1 Lê Lợi", Phone: "0123", Email: "toasoan@example.vn"},
		RSSFullText: true, CacheMaxAge: 30 * time.Second, CacheEntries: 1000}
	for _, f := range opts {
		f(&o)
	}
	searchSvc := search.NewService(store.NewSearcher(db), store.NewStoryRepository(db), search.Config{})
	searchSvc.URLFor = search.PublicURL(o.Site.BaseURL)
	h, err := web.New(web.Deps{Site: siteSvc, Partners: partners, Search: searchSvc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Options: o})
	if err != nil {
		t.Fatal(err)
	}
	acfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	assets := asset.NewService(store.NewAssetRepository(db), blobs, db, acfg)
	stories.Attachments = assets
	assets.OnUpdate = siteSvc.AssetChanged
	assets.OnPublicRenditions = siteSvc.MediaChanged
	r, err := server.New(server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		httpapi.New(httpapi.Deps{Users: users, Stories: stories, Audit: auditRepo, Partners: partners, Assets: assets, Ready: db.Ping}), h)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name string, role user.Role) user.Actor {
		no := false
		u, _, err := users.CreateUser(ctx, user.System, user.NewUser{Username: name, DisplayName: "Tên " + name, Role: string(role), Password: password, MustChangePassword: &no})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return user.Actor{UserID: u.ID, Username: u.Username, Role: u.Role}
	}
	e := &env{t: t, db: db, router: r, stories: stories, site: siteSvc, partners: partners, assets: assets}
	e.admin = mk("quantri", user.RoleAdmin)
	e.reporter = mk("phongvien", user.RoleReporter)
	e.chief = mk("tongbientap", user.RoleEditorInChief)
	name, slug := "Thời sự", "thoi-su"
	lv := 1
	roles := [][]user.Role{{user.RoleEditorInChief}}
	e.section, err = stories.CreateSection(ctx, e.admin, story.SectionInput{Name: &name, Slug: &slug, ApprovalLevels: &lv, LevelRoles: &roles})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) publish(headline, sapo, body string, tags []string) *story.Story {
	e.t.Helper()
	ctx := context.Background()
	st, err := e.stories.CreateStory(ctx, e.reporter, story.Content{SectionID: &e.section.ID, Headline: &headline, Sapo: &sapo, Body: &body, Tags: &tags})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, step := range []struct {
		a   user.Actor
		act string
	}{{e.reporter, "submit"}, {e.chief, "claim"}, {e.chief, "approve"}, {e.chief, "publish"}} {
		if st, err = e.stories.Transition(ctx, step.a, st.ID, story.TransitionInput{Action: step.act}, nil); err != nil {
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

func (e *env) get(path string, hdr ...string) answer {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	body := w.Body.Bytes()
	if w.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			e.t.Fatalf("GET %s: bad gzip: %v", path, err)
		}
		body, _ = io.ReadAll(zr)
	}
	return answer{Code: w.Code, Header: w.Header(), Body: string(body)}
}

func (e *env) must(path string, code int, hdr ...string) answer {
	e.t.Helper()
	a := e.get(path, hdr...)
	if a.Code != code {
		e.t.Fatalf("GET %s = %d, want %d: %.400s", path, a.Code, code, a.Body)
	}
	return a
}

func (e *env) apiKey(rate int) (string, string) {
	e.t.Helper()
	k, secret, err := e.partners.CreateKey(context.Background(), e.admin, partner.NewKey{Name: "Đối tác", RateLimit: rate})
	if err != nil {
		e.t.Fatal(err)
	}
	return k.ID, secret
}

func parseFeed(t *testing.T, body string) *gofeed.Feed {
	t.Helper()
	f, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, body)
	}
	if f.FeedType != "rss" || f.FeedVersion != "2.0" {
		t.Fatalf("feed type %s %s", f.FeedType, f.FeedVersion)
	}
	return f
}

func ninjsSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	for _, f := range []struct{ id, path string }{
		{"https://geojson.org/schema/GeoJSON.json", "testdata/ninjs/GeoJSON-schema.json"},
		{"http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json", "testdata/ninjs/ninjs-schema_3.1.json"},
	} {
		b, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(f.id, doc); err != nil {
			t.Fatal(err)
		}
	}
	c.AssertFormat()
	s, err := c.Compile("http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validNinjs(t *testing.T, s *jsonschema.Schema, body string) map[string]any {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(doc); err != nil {
		t.Fatalf("ninjs does not validate: %v\n%s", err, body)
	}
	return doc.(map[string]any)
}

const hostile = `<p>Nội dung <b>đậm</b></p><script>alert('x')</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)">k</a>`

// TestPublicLifecycle: publishing shows a story everywhere on the next
// request, a correction shows "Đính chính" and moves the URL (old one 301), a
// kill answers 410 and removes it from feeds, sitemaps and the content API.
func TestPublicLifecycle(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		schema := ninjsSchema(t)
		_, key := e.apiKey(0)

		// Nothing yet; and the home page is cached.
		home := e.must("/", http.StatusOK)
		if strings.Contains(home.Body, "Lũ về miền Trung") {
			t.Fatal("unpublished story on home")
		}
		for _, want := range []string{`<html lang="vi">`, "123/GP-BTTTT", "01/02/2024", "Nguyễn Văn A", "1 Lê Lợi", "toasoan@example.vn"} {
			if !strings.Contains(home.Body, want) {
				t.Errorf("home lacks %q", want)
			}
		}

		st := e.publish("Lũ về miền Trung", "Nước lên nhanh <b>sapo</b>", hostile, []string{"Thiên tai", "Miền Trung"})
		path := story.PublicPath("thoi-su", st.Slug, st.ID)

		for _, p := range []string{"/", "/thoi-su", path, "/tu-khoa/Thi%C3%AAn%20tai", "/tac-gia/phongvien", "/tim-kiem?q=mi%E1%BB%81n"} {
			a := e.must(p, http.StatusOK)
			if !strings.Contains(a.Body, "Lũ về miền Trung") {
				t.Errorf("%s lacks the published story", p)
			}
			if strings.Contains(a.Body, "<script>alert") || strings.Contains(a.Body, "onerror") || strings.Contains(a.Body, "javascript:alert") {
				t.Errorf("%s carries hostile HTML", p)
			}
		}
		art := e.must(path, http.StatusOK)
		for _, want := range []string{`<link rel="canonical" href="https://bao.example.vn` + path + `">`, `<meta name="description" content="Nước lên nhanh &lt;b&gt;sapo&lt;/b&gt;">`,
			`property="og:title"`, `name="twitter:card"`, `"@type":"NewsArticle"`, `"datePublished"`, `"dateModified"`, `"publisher"`, `"logo"`,
			"<b>đậm</b>", `href="/tu-khoa/Thi%C3%AAn%20tai"`, `href="/tac-gia/phongvien"`} {
			if !strings.Contains(art.Body, want) {
				t.Errorf("article lacks %q", want)
			}
		}
		if want := st.PublishedAt.In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006 15:04"); !strings.Contains(art.Body, want) {
			t.Errorf("article lacks the Vietnam time %s", want)
		}

		// url in the staff API.
		var got struct{ URL string }
		sv, _ := e.stories.FindStoryByID(context.Background(), e.chief, st.ID)
		_ = sv
		tok := loginToken(t, e, "tongbientap")
		api := e.must("/api/v1/stories/"+st.ID, http.StatusOK, "Authorization", "Bearer "+tok)
		_ = json.Unmarshal([]byte(api.Body), &got)
		if got.URL != path {
			t.Errorf("/api/v1 url = %q, want %q", got.URL, path)
		}

		// Feeds.
		for _, p := range []string{"/rss.xml", "/rss/thoi-su.xml"} {
			f := parseFeed(t, e.must(p, http.StatusOK).Body)
			if len(f.Items) != 1 {
				t.Fatalf("%s: %d items", p, len(f.Items))
			}
			it := f.Items[0]
			if it.Title != "Lũ về miền Trung" || it.Link != "https://bao.example.vn"+path || it.GUID != "urn:uuid:"+st.ID ||
				it.Description != "Nước lên nhanh <b>sapo</b>" || it.PublishedParsed == nil || !strings.HasSuffix(it.Published, "+0700") {
				t.Errorf("%s item: %+v", p, it)
			}
			if strings.Contains(it.Content, "<script") || !strings.Contains(it.Content, "<b>đậm</b>") {
				t.Errorf("%s content:encoded = %q", p, it.Content)
			}
			if f.Language != "vi" || f.Title == "" || f.Link == "" {
				t.Errorf("%s channel: %q %q %q", p, f.Title, f.Link, f.Language)
			}
		}
		month := st.PublishedAt.In(time.FixedZone("ICT", 7*3600)).Format("2006-01")
		idx := e.must("/sitemap.xml", http.StatusOK).Body
		if !strings.Contains(idx, "/sitemaps/"+month+".xml") || !strings.Contains(idx, "/sitemap-news.xml") {
			t.Errorf("sitemap index: %s", idx)
		}
		if b := e.must("/sitemaps/"+month+".xml", http.StatusOK).Body; !strings.Contains(b, path) {
			t.Errorf("month sitemap lacks the story: %s", b)
		}
		news := e.must("/sitemap-news.xml", http.StatusOK).Body
		for _, want := range []string{path, "<news:name>Báo Thử</news:name>", "<news:language>vi</news:language>", "<news:publication_date>", "<news:title>Lũ về miền Trung</news:title>"} {
			if !strings.Contains(news, want) {
				t.Errorf("news sitemap lacks %q", want)
			}
		}
		if b := e.must("/robots.txt", http.StatusOK).Body; !strings.Contains(b, "Sitemap: https://bao.example.vn/sitemap.xml") {
			t.Errorf("robots: %s", b)
		}

		// Content API, JSON and ninjs.
		list := e.must("/api/content/v1/articles?section=thoi-su", http.StatusOK, "X-Api-Key", key)
		if !strings.Contains(list.Body, st.ID) {
			t.Errorf("content list lacks the story: %s", list.Body)
		}
		one := e.must("/api/content/v1/articles/"+st.Slug+"?key="+key, http.StatusOK)
		if !strings.Contains(one.Body, `"url":"https://bao.example.vn`+path) || strings.Contains(one.Body, "<script") {
			t.Errorf("content article: %s", one.Body)
		}
		nj := validNinjs(t, schema, e.must("/api/content/v1/articles/"+st.ID, http.StatusOK, "X-Api-Key", key, "Accept", web.NinjsType).Body)
		if nj["pubStatus"] != "usable" || nj["language"] != "vi" {
			t.Errorf("ninjs: %v", nj)
		}
		if subj, _ := nj["subjects"].([]any); len(subj) != 3 {
			t.Errorf("ninjs subjects: %v", nj["subjects"])
		}
		if b := e.must("/api/content/v1/sections", http.StatusOK, "X-Api-Key", key).Body; !strings.Contains(b, `"slug":"thoi-su"`) {
			t.Errorf("sections: %s", b)
		}

		// ETag / Last-Modified / 304 / gzip.
		if art.Header.Get("ETag") == "" || art.Header.Get("Last-Modified") == "" || !strings.Contains(art.Header.Get("Cache-Control"), "max-age=30") {
			t.Errorf("validators: %v", art.Header)
		}
		e.must(path, http.StatusNotModified, "If-None-Match", art.Header.Get("ETag"))
		e.must(path, http.StatusNotModified, "If-Modified-Since", art.Header.Get("Last-Modified"))
		if z := e.get(path, "Accept-Encoding", "gzip"); z.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(z.Body, "Lũ về miền Trung") {
			t.Errorf("gzip: %v", z.Header)
		}

		// A hostile body written straight into the database still never reaches output.
		if err := db.Gorm.Exec("UPDATE stories SET body = ? WHERE id = ?", `<p>ok</p><script>alert('raw')</script>`, st.ID).Error; err != nil {
			t.Fatal(err)
		}
		e.site.Invalidate()
		for _, p := range []string{path, "/rss.xml"} {
			if b := e.must(p, http.StatusOK).Body; strings.Contains(b, "<script>alert") {
				t.Errorf("%s leaks a stored <script>", p)
			}
		}
		if b := e.must("/api/content/v1/articles/"+st.ID, http.StatusOK, "X-Api-Key", key).Body; strings.Contains(b, "<script") || strings.Contains(b, `\u003cscript`) {
			t.Errorf("content API leaks a stored <script>: %s", b)
		}

		// Correction: new headline, notice, old URL 301, visible on the next request.
		newHead := "Lũ lớn về miền Trung"
		st, err := e.stories.Transition(context.Background(), e.chief, st.ID, story.TransitionInput{Action: "correct",
			Comment: "Sửa số liệu mực nước", Changes: &story.Content{Headline: &newHead}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		newPath := story.PublicPath("thoi-su", st.Slug, st.ID)
		if newPath == path {
			t.Fatal("slug did not change")
		}
		old := e.must(path, http.StatusMovedPermanently)
		if old.Header.Get("Location") != newPath {
			t.Errorf("301 Location = %q", old.Header.Get("Location"))
		}
		e.must("/thoi-su/khong-co-gi-"+st.ID[:8]+".html", http.StatusMovedPermanently)
		corr := e.must(newPath, http.StatusOK).Body
		if !strings.Contains(corr, "Đính chính") || !strings.Contains(corr, "Sửa số liệu mực nước") || !strings.Contains(corr, newHead) {
			t.Errorf("correction not shown")
		}
		if !strings.Contains(e.must("/", http.StatusOK).Body, newHead) {
			t.Errorf("home still shows the old headline")
		}

		// Kill: 410, gone from feeds, sitemaps, content API lists; ninjs canceled.
		if _, err := e.stories.Transition(context.Background(), e.chief, st.ID, story.TransitionInput{Action: "kill", Comment: "Sai sự thật"}, nil); err != nil {
			t.Fatal(err)
		}
		gone := e.must(newPath, http.StatusGone)
		if !strings.Contains(gone.Body, "Bài viết đã bị gỡ") {
			t.Errorf("410 page: %s", gone.Body)
		}
		for _, p := range []string{"/", "/thoi-su", "/rss.xml", "/rss/thoi-su.xml", "/sitemap-news.xml", "/sitemaps/" + month + ".xml"} {
			if strings.Contains(e.must(p, http.StatusOK).Body, st.ID[:8]) {
				t.Errorf("%s still lists the killed story", p)
			}
		}
		if f := parseFeed(t, e.must("/rss.xml", http.StatusOK).Body); len(f.Items) != 0 {
			t.Errorf("rss keeps %d items", len(f.Items))
		}
		if strings.Contains(e.must("/api/content/v1/articles", http.StatusOK, "X-Api-Key", key).Body, st.ID) {
			t.Errorf("content list keeps the killed story")
		}
		nj = validNinjs(t, schema, e.must("/api/content/v1/articles/"+st.ID+"?format=ninjs", http.StatusOK, "X-Api-Key", key).Body)
		if nj["pubStatus"] != "canceled" {
			t.Errorf("killed ninjs pubStatus = %v", nj["pubStatus"])
		}
	})
}

func loginToken(t *testing.T, e *env, username string) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", strings.NewReader(`{"username":"`+username+`","password":"`+password+`"}`))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	var out struct{ Token string }
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out.Token == "" {
		t.Fatalf("login %s: %d %s", username, w.Code, w.Body)
	}
	return out.Token
}

// TestPublicBadInput: unknown addresses, bad cursors, huge queries, missing,
// revoked and over-the-limit keys get clear 4xx answers.
func TestPublicBadInput(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		st := e.publish("Tin một", "Sapo", "<p>x</p>", nil)
		id, key := e.apiKey(0)

		for _, p := range []string{"/khong-co", "/thoi-su/khong-co-12345678.html", "/thoi-su/abc.html", "/a/b/c", "/tac-gia/khong-ai", "/rss/khong-co.xml", "/sitemaps/2026-13.xml"} {
			a := e.must(p, http.StatusNotFound)
			if !strings.Contains(a.Header.Get("Content-Type"), "text/html") || !strings.Contains(a.Body, `<html lang="vi">`) {
				t.Errorf("%s: not the HTML 404 page", p)
			}
		}
		if a := e.must("/api/nothing", http.StatusNotFound); !strings.Contains(a.Body, `"error"`) {
			t.Errorf("/api 404 is not JSON: %s", a.Body)
		}
		e.must("/thoi-su?sau=!!!", http.StatusBadRequest)
		e.must("/thoi-su?sau=bm90LWpzb24", http.StatusBadRequest)
		e.must("/?q="+strings.Repeat("a", 3000), http.StatusRequestURITooLong)
		e.must("/api/content/v1/articles?tag="+strings.Repeat("a", 3000), http.StatusRequestURITooLong, "X-Api-Key", key)
		e.must("/tim-kiem?q="+strings.Repeat("a", 300), http.StatusBadRequest)
		e.must("/api/content/v1/articles?cursor=xyz", http.StatusBadRequest, "X-Api-Key", key)
		e.must("/api/content/v1/articles?since=yesterday", http.StatusBadRequest, "X-Api-Key", key)
		e.must("/api/content/v1/articles?section=khong-co", http.StatusBadRequest, "X-Api-Key", key)
		e.must("/api/content/v1/articles/khong-co", http.StatusNotFound, "X-Api-Key", key)
		e.must("/api/content/v1/articles", http.StatusUnauthorized)
		e.must("/api/content/v1/articles", http.StatusUnauthorized, "X-Api-Key", "nrk_wrong")

		// Pagination by keyset through the content API.
		e.publish("Tin hai", "Sapo", "<p>y</p>", nil)
		var page struct {
			Items      []struct{ ID string }
			NextCursor string `json:"next_cursor"`
		}
		_ = json.Unmarshal([]byte(e.must("/api/content/v1/articles?limit=1", http.StatusOK, "X-Api-Key", key).Body), &page)
		if len(page.Items) != 1 || page.NextCursor == "" {
			t.Fatalf("page 1: %+v", page)
		}
		first := page.Items[0].ID
		_ = json.Unmarshal([]byte(e.must("/api/content/v1/articles?limit=1&cursor="+page.NextCursor, http.StatusOK, "X-Api-Key", key).Body), &page)
		if len(page.Items) != 1 || page.Items[0].ID == first || page.Items[0].ID != st.ID {
			t.Fatalf("page 2: %+v", page)
		}

		// Revoked key: 401 at once; usage was counted.
		if err := e.partners.RevokeKey(context.Background(), e.admin, id); err != nil {
			t.Fatal(err)
		}
		e.must("/api/content/v1/sections", http.StatusUnauthorized, "X-Api-Key", key)
		keys, err := e.partners.FindKeys(context.Background(), e.admin)
		if err != nil || len(keys) != 1 || keys[0].UsageCount < 5 || keys[0].RevokedAt == nil {
			t.Fatalf("keys after use: %+v %v", keys, err)
		}

		// Rate limit: one request a minute.
		_, slow := e.apiKey(1)
		e.must("/api/content/v1/sections", http.StatusOK, "X-Api-Key", slow)
		over := e.must("/api/content/v1/sections", http.StatusTooManyRequests, "X-Api-Key", slow)
		if over.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	})
}
