package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// publicDocumented are the non-API routes of web.Register that the OpenAPI
// document must describe (machine-read outputs); HTML pages are not in it.
var publicDocumented = []string{"/rss.xml", "/rss/", "/feeds/", "/sitemap", "/robots.txt", "/podcasts/"}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

// TestOpenAPIMatchesWholeEngine builds the engine as `newsroom serve` does
// (server.New with the httpapi and web faces) and checks that every /api/ route and
// every feed, sitemap and robots route it serves is in the OpenAPI document
// it serves at /api/v1/openapi.json, and that every documented route is served.
func TestOpenAPIMatchesWholeEngine(t *testing.T) {
	e := newEnv(t, testutil.Dialects()[0])
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(e.must("/api/v1/openapi.json", http.StatusOK).Body), &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, r := range e.Handler.(*gin.Engine).Routes() {
		served[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	mustDoc := func(path string) bool {
		if strings.HasPrefix(path, "/api/") {
			return true
		}
		for _, p := range publicDocumented {
			if strings.HasPrefix(path, p) {
				return true
			}
		}
		return false
	}
	content := 0
	for k := range served {
		_, path, _ := strings.Cut(k, " ")
		if mustDoc(path) && !documented[k] {
			t.Errorf("route %s is served but missing from openapi.json", k)
		}
		if strings.HasPrefix(path, "/api/content/v1/") {
			content++
		}
	}
	for k := range documented {
		if !served[k] {
			t.Errorf("openapi.json lists %s but the engine does not serve it", k)
		}
	}
	if content != 4 { // articles, articles/:key, sections, search
		t.Errorf("%d content API routes served, want 4", content)
	}
	var whole struct {
		Components struct {
			SecuritySchemes map[string]struct{ Type, In, Name string } `json:"securitySchemes"`
		} `json:"components"`
	}
	_ = json.Unmarshal([]byte(e.must("/api/v1/openapi.json", http.StatusOK).Body), &whole)
	if s := whole.Components.SecuritySchemes["partnerKey"]; s.In != "header" || s.Name != "X-Api-Key" {
		t.Errorf("partnerKey security scheme = %+v", s)
	}
	var op struct {
		Responses map[string]struct {
			Headers map[string]any `json:"headers"`
		} `json:"responses"`
	}
	_ = json.Unmarshal(doc.Paths["/api/content/v1/articles"]["get"], &op)
	if _, ok := op.Responses["429"].Headers["Retry-After"]; !ok {
		t.Error("429 of the content API does not document Retry-After")
	}
	if _, ok := op.Responses["401"]; !ok {
		t.Error("the content API does not document 401")
	}
}
