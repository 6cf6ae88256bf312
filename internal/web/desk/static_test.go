package desk_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestDeskStaticNoListing: /desk/static/ serves its files as before and never
// lists a folder: the folder itself and every sub-folder, with or without the
// trailing slash, answer 404 with the desk's error page, as a missing file does.
func TestDeskStaticNoListing(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		c := e.client()
		for _, p := range []string{"/desk/static/", "/desk/static", "/desk/static/desk", "/desk/static/desk/", "/desk/static/vendor",
			"/desk/static/vendor/trix/", "/desk/static/khong-co.js", "/desk/static/../go.mod", "/desk/static//desk/"} {
			a := c.get(p)
			if a.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404: %.300s", p, a.Code, a.Body)
			}
			if strings.Contains(a.Body, `<a href="desk/">`) || strings.Contains(a.Body, `<a href="desk.js">`) || strings.Contains(a.Body, `<a href="trix/">`) {
				t.Errorf("GET %s lists the folder: %.300s", p, a.Body)
			}
			if p != "/desk/static" && !strings.Contains(a.Body, "Không có tệp này.") {
				t.Errorf("GET %s: not the desk's error page: %.300s", p, a.Body)
			}
		}
		for p, ctype := range map[string]string{"/desk/static/desk/desk.js": "javascript", "/desk/static/desk/desk.css": "text/css"} {
			a := c.get(p)
			if a.Code != http.StatusOK || !strings.Contains(a.Header.Get("Content-Type"), ctype) || a.Header.Get("Cache-Control") != "public, max-age=3600" || a.Body == "" {
				t.Errorf("GET %s = %d %v", p, a.Code, a.Header)
			}
		}
	})
}
