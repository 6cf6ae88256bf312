package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/web"
)

func (e *env) apiKey(rate int) (string, string) {
	e.t.Helper()
	k, secret, err := e.Partners.CreateKey(context.Background(), e.admin, partner.NewKey{Name: "Đối tác", RateLimit: rate})
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
	forEachEnv(t, func(t *testing.T, e *env) {
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
		sv, _ := e.Stories.FindStoryByID(context.Background(), e.chief, st.ID)
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
		one := e.must("/api/content/v1/articles/"+st.Slug, http.StatusOK, "X-Api-Key", key)
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
		if err := e.DB.Gorm.Exec("UPDATE stories SET body = ? WHERE id = ?", `<p>ok</p><script>alert('raw')</script>`, st.ID).Error; err != nil {
			t.Fatal(err)
		}
		e.Site.Invalidate()
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
		st, err := e.Stories.Transition(context.Background(), e.chief, st.ID, story.TransitionInput{Action: "correct",
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
		if _, err := e.Stories.Transition(context.Background(), e.chief, st.ID, story.TransitionInput{Action: "kill", Comment: "Sai sự thật"}, nil); err != nil {
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

// TestPublicBadInput: unknown addresses, bad cursors, huge queries, missing,
// revoked and over-the-limit keys get clear 4xx answers.
func TestPublicBadInput(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
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
		// The content API answers in English by default, in Vietnamese when asked.
		if a := e.must("/api/content/v1/articles?section=khong-co", http.StatusBadRequest, "X-Api-Key", key); !strings.Contains(a.Body, `unknown section slug \"khong-co\"`) {
			t.Errorf("content API error not in English: %s", a.Body)
		}
		if a := e.must("/api/content/v1/articles?section=khong-co", http.StatusBadRequest, "X-Api-Key", key, "Accept-Language", "vi"); !strings.Contains(a.Body, "Chuyên mục") {
			t.Errorf("content API error not in Vietnamese: %s", a.Body)
		}
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
		if err := e.Partners.RevokeKey(context.Background(), e.admin, id); err != nil {
			t.Fatal(err)
		}
		e.must("/api/content/v1/sections", http.StatusUnauthorized, "X-Api-Key", key)
		keys, err := e.Partners.FindKeys(context.Background(), e.admin)
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
