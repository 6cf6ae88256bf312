package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/server"
)

type openAPIDoc struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

type openAPIOp struct {
	Parameters []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
	Responses map[string]json.RawMessage `json:"responses"`
}

var ginParamRe = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

// TestOpenAPIMatchesRouter fails when the router has a route the document
// lacks, or the document lists a route the router does not serve.
func TestOpenAPIMatchesRouter(t *testing.T) {
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
		t.Fatalf("openapi version = %q, want 3.0.x", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, r := range newRouter(t, Deps{}, server.Options{}).Routes() {
		served[r.Method+" "+ginParamRe.ReplaceAllString(r.Path, "{$1}")] = true
	}
	for k := range served {
		if !documented[k] {
			t.Errorf("route %s is served but missing from openapi.json", k)
		}
	}
	for k := range documented {
		if !served[k] && !servedByWeb(k) {
			t.Errorf("openapi.json lists %s but the router does not serve it", k)
		}
	}
	if len(served) < 30 {
		t.Errorf("only %d routes served; the route table looks truncated", len(served))
	}
}

// TestOpenAPIOperationsAreComplete checks that every operation declares its
// path parameters and its responses, and that every $ref resolves.
func TestOpenAPIOperationsAreComplete(t *testing.T) {
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	tmplRe := regexp.MustCompile(`\{([^}]+)\}`)
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			var op openAPIOp
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			if len(op.Responses) == 0 {
				t.Errorf("%s %s declares no responses", method, path)
			}
			var declared []string
			for _, p := range op.Parameters {
				if p.In == "path" {
					declared = append(declared, p.Name)
				}
			}
			for _, m := range tmplRe.FindAllStringSubmatch(path, -1) {
				if !slices.Contains(declared, m[1]) {
					t.Errorf("%s %s does not declare path parameter %q", method, path, m[1])
				}
			}
		}
	}
	var whole map[string]any
	if err := json.Unmarshal(openAPIDocument, &whole); err != nil {
		t.Fatal(err)
	}
	refRe := regexp.MustCompile(`"\$ref":\s*"#/([^"]+)"`)
	for _, m := range refRe.FindAllStringSubmatch(string(openAPIDocument), -1) {
		var cur any = whole
		for _, part := range strings.Split(m[1], "/") {
			obj, ok := cur.(map[string]any)
			if !ok {
				cur = nil
				break
			}
			cur = obj[part]
		}
		if cur == nil {
			t.Errorf("$ref #/%s does not resolve", m[1])
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	r := newRouter(t, Deps{}, server.Options{})
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET openapi.json = %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	if w.Body.String() != string(openAPIDocument) {
		t.Fatal("served document differs from the embedded one")
	}
}

// servedByWeb reports whether a documented route belongs to internal/web
// (content API and feeds, mounted by web.Register); its test
// TestOpenAPIMatchesWholeEngine checks those against the whole engine.
func servedByWeb(k string) bool {
	_, path, _ := strings.Cut(k, " ")
	if strings.HasPrefix(path, "/api/content/") || strings.HasPrefix(path, "/rss") || strings.HasPrefix(path, "/feeds/") || strings.HasPrefix(path, "/sitemap") ||
		strings.HasPrefix(path, "/podcasts/") {
		return true
	}
	return path == "/robots.txt"
}
