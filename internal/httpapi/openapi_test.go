package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/newsroom-vn/newsroom/internal/store"
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

// apiPath reports whether a route belongs to the API face, as opposed to
// the site, the content API and the desk.
func apiPath(p string) bool {
	return p == "/healthz" || p == "/readyz" || strings.HasPrefix(p, "/api/v1/") || strings.HasPrefix(p, "/media/")
}

// openAPIDocument is the document the app serves.
func openAPIDocument(t *testing.T, h *harness) []byte {
	t.Helper()
	r := h.do("", "GET", "/api/v1/openapi.json", nil)
	if r.Code != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET openapi.json = %d %q", r.Code, r.Header.Get("Content-Type"))
	}
	return r.Body
}

// TestOpenAPIMatchesRouter fails when the API face serves a route the
// document lacks, or the document lists a route the engine does not serve.
func TestOpenAPIMatchesRouter(t *testing.T) {
	h := newHarness(t, store.DialectSQLite)
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIDocument(t, h), &doc); err != nil {
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
	served, api := map[string]bool{}, 0
	for _, r := range h.app.Handler.(*gin.Engine).Routes() {
		k := r.Method + " " + ginParamRe.ReplaceAllString(r.Path, "{$1}")
		served[k] = true
		if !apiPath(r.Path) {
			continue
		}
		api++
		if !documented[k] {
			t.Errorf("route %s is served but missing from openapi.json", k)
		}
	}
	for k := range documented {
		if !served[k] {
			t.Errorf("openapi.json lists %s but the engine does not serve it", k)
		}
	}
	if api < 30 {
		t.Errorf("only %d API routes served; the route table looks truncated", api)
	}
}

// TestOpenAPIOperationsAreComplete checks that every operation declares its
// path parameters and its responses, and that every $ref resolves.
func TestOpenAPIOperationsAreComplete(t *testing.T) {
	document := openAPIDocument(t, newHarness(t, store.DialectSQLite))
	var doc openAPIDoc
	if err := json.Unmarshal(document, &doc); err != nil {
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
	if err := json.Unmarshal(document, &whole); err != nil {
		t.Fatal(err)
	}
	refRe := regexp.MustCompile(`"\$ref":\s*"#/([^"]+)"`)
	for _, m := range refRe.FindAllStringSubmatch(string(document), -1) {
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

// TestOpenAPIServed checks that the app serves the document of the repository.
func TestOpenAPIServed(t *testing.T) {
	file, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := openAPIDocument(t, newHarness(t, store.DialectSQLite)); string(got) != string(file) {
		t.Fatal("served document differs from openapi.json")
	}
}
