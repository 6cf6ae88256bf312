package web_test

import (
	"net/http"
	"strings"
	"testing"
)

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
