package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/web"
)

// TestContentAPIVary: keyed content API answers, JSON and ninjs, are
// private and vary by the key header and Accept (a shared cache must not
// hand them to a keyless caller, nor mix the two forms); the public pages
// stay public.
func TestContentAPIVary(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		_, key := e.apiKey(0)
		st := e.publish("Lũ về miền Trung", "Sapo", "<p>Nội dung</p>", []string{"lũ"})
		for _, c := range []struct {
			name, path string
			hdr        []string
		}{
			{"json article", "/api/content/v1/articles/" + st.ID, nil},
			{"ninjs article (Accept)", "/api/content/v1/articles/" + st.ID, []string{"Accept", web.NinjsType}},
			{"ninjs article (?format)", "/api/content/v1/articles/" + st.ID + "?format=ninjs", nil},
			{"json list", "/api/content/v1/articles", nil},
			{"ninjs list", "/api/content/v1/articles", []string{"Accept", web.NinjsType}},
			{"sections", "/api/content/v1/sections", nil},
		} {
			a := e.must(c.path, http.StatusOK, append([]string{"X-Api-Key", key}, c.hdr...)...)
			vary := strings.Split(strings.ReplaceAll(a.Header.Get("Vary"), " ", ""), ",")
			for _, want := range []string{"X-Api-Key", "Accept", "Accept-Encoding"} {
				if !hasFold(vary, want) {
					t.Errorf("%s: Vary %q lacks %s", c.name, a.Header.Get("Vary"), want)
				}
			}
			if cc := a.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "private") {
				t.Errorf("%s: Cache-Control %q, want private", c.name, cc)
			}
			// Revalidation checks the key again and says the same.
			nm := e.must(c.path, http.StatusNotModified, append([]string{"X-Api-Key", key, "If-None-Match", a.Header.Get("ETag")}, c.hdr...)...)
			if nm.Header.Get("Vary") != a.Header.Get("Vary") || nm.Header.Get("Cache-Control") != a.Header.Get("Cache-Control") {
				t.Errorf("%s: 304 headers %v, want those of the 200", c.name, nm.Header)
			}
		}
		e.must("/api/content/v1/articles/"+st.ID, http.StatusUnauthorized)
		page := e.must(story.PublicPath("thoi-su", st.Slug, st.ID), http.StatusOK)
		if cc, v := page.Header.Get("Cache-Control"), page.Header.Get("Vary"); !strings.HasPrefix(cc, "public") || v != "Accept-Encoding" {
			t.Errorf("article page: Cache-Control %q Vary %q, want public and Accept-Encoding", cc, v)
		}
	})
}

// TestContentAPIKeyInQuery: a partner key in the URL is refused (400, naming
// the header to use), valid or not, with or without the header; the pull
// feeds keep their documented ?token=.
func TestContentAPIKeyInQuery(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		_, key := e.apiKey(0)
		st := e.publish("Lũ về miền Trung", "Sapo", "<p>Nội dung</p>", []string{"lũ"})
		for _, hdr := range [][]string{nil, {"X-Api-Key", key}} {
			for _, p := range []string{"/api/content/v1/articles?key=" + key, "/api/content/v1/articles/" + st.ID + "?key=nrk_sai", "/api/content/v1/sections?key="} {
				a := e.must(p, http.StatusBadRequest, hdr...)
				if !strings.Contains(a.Body, "X-Api-Key") || !strings.Contains(a.Body, `"code":"invalid"`) || strings.Contains(a.Body, key) {
					t.Errorf("GET %s: %s", p, a.Body)
				}
				if cc := a.Header.Get("Cache-Control"); cc != "no-store" {
					t.Errorf("GET %s: Cache-Control %q", p, cc)
				}
			}
		}
		if a := e.must("/api/content/v1/articles?key="+key, http.StatusBadRequest, "Accept-Language", "vi"); !strings.Contains(a.Body, "tiêu đề X-Api-Key") {
			t.Errorf("vi: %s", a.Body)
		}

		rss, full := "rss", "full"
		tg, err := e.Distribution.CreateTarget(context.Background(), e.admin, distribution.TargetInput{Name: &rss, Kind: &rss, Format: &full})
		if err != nil {
			t.Fatal(err)
		}
		f := e.must(distribution.FeedPath(tg.ID)+"?token="+tg.FeedToken, http.StatusOK)
		if !strings.Contains(f.Body, "Lũ về miền Trung") || !strings.HasPrefix(f.Header.Get("Cache-Control"), "private") {
			t.Errorf("pull feed: %v %.300s", f.Header, f.Body)
		}
		e.must(distribution.FeedPath(tg.ID)+"?token=nrf_sai", http.StatusNotFound)
	})
}

func hasFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// TestStaticNoListing: /static/ serves its files as before and never lists
// a folder: the folder itself and every sub-folder, with or without the
// trailing slash, answer the site's 404 page, as a missing file does.
func TestStaticNoListing(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		for _, p := range []string{"/static/", "/static", "/static/desk", "/static/desk/", "/static/vendor/", "/static/vendor/trix",
			"/static/vendor/trix/", "/static/khong-co.css", "/static/../go.mod", "/static//desk/"} {
			a := e.get(p)
			if a.Code != http.StatusNotFound || !strings.Contains(a.Body, "Không tìm thấy trang") {
				t.Errorf("GET %s = %d, want the site's 404 page: %.300s", p, a.Code, a.Body)
			}
			if strings.Contains(a.Body, `<a href="site.css">`) || strings.Contains(a.Body, `<a href="desk.js">`) || strings.Contains(a.Body, `<a href="trix/">`) {
				t.Errorf("GET %s lists the folder: %.300s", p, a.Body)
			}
		}
		for p, ctype := range map[string]string{"/static/site.css": "text/css", "/static/desk/desk.js": "javascript", "/static/logo.svg": "image/svg+xml"} {
			a := e.must(p, http.StatusOK)
			if !strings.Contains(a.Header.Get("Content-Type"), ctype) || a.Header.Get("Cache-Control") != "public, max-age=86400" || a.Body == "" {
				t.Errorf("GET %s: %v", p, a.Header)
			}
		}
	})
}

// TestSiteCSP: public pages (article, home, section, search, 404) carry a
// Content-Security-Policy that runs no script and no inline style and
// forbids framing; feeds carry none.
func TestSiteCSP(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		st := e.publish("Bão số 3", "Sapo", "<p>Nội dung</p>", nil)
		for _, c := range []struct {
			path   string
			status int
		}{
			{story.PublicPath("thoi-su", st.Slug, st.ID), http.StatusOK},
			{"/", http.StatusOK},
			{"/thoi-su", http.StatusOK},
			{"/tim-kiem?q=bao", http.StatusOK},
			{"/khong-co-trang-nay/x-y", http.StatusNotFound},
		} {
			p := e.must(c.path, c.status)
			csp := p.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'none'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("%s: CSP %q lacks %s", c.path, csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-") {
				t.Errorf("%s: CSP %q allows unsafe-", c.path, csp)
			}
		}
		if csp := e.must("/rss.xml", http.StatusOK).Header.Get("Content-Security-Policy"); csp != "" {
			t.Errorf("rss.xml has a CSP %q", csp)
		}
	})
}
