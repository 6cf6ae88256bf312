package apperr

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// keyPattern is the shape of a key: the package that owns the message, a
// dot, then snake_case words.
var keyPattern = regexp.MustCompile(`^(apperr|audit|selfcheck|asset|broadcast|distribution|partner|search|site|store|story|user|workflow|http|web|desk)\.[a-z0-9]+(_[a-z0-9]+)*$`)

// verbPattern finds the verbs of a Go format string, with their optional
// explicit argument index.
var verbPattern = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?([a-zA-Z%])`)

// verbClass groups verbs that take the same kind of argument.
func verbClass(v byte) string {
	switch v {
	case 'd':
		return "int"
	case 'e', 'f', 'g':
		return "float"
	}
	return "value"
}

// argKinds maps each argument index a format uses to the kinds of verb that
// read it.
func argKinds(t *testing.T, format string) map[int][]string {
	out := map[int][]string{}
	next := 1
	for _, m := range verbPattern.FindAllStringSubmatch(format, -1) {
		if m[2] == "%" {
			continue
		}
		i := next
		if m[1] != "" {
			n, err := strconv.Atoi(m[1])
			if err != nil {
				t.Fatalf("%q: bad index %s", format, m[1])
			}
			i = n
		}
		next = i + 1
		if c := verbClass(m[2][0]); !slices.Contains(out[i], c) {
			out[i] = append(out[i], c)
			slices.Sort(out[i])
		}
	}
	return out
}

func TestCatalogueHasBothLanguages(t *testing.T) {
	for k, m := range catalogue {
		if !keyPattern.MatchString(k) {
			t.Errorf("key %q: want <package>.<snake_case>", k)
		}
		if strings.TrimSpace(m.vi) == "" || strings.TrimSpace(m.en) == "" {
			t.Errorf("key %q: vi %q, en %q: both texts are required", k, m.vi, m.en)
		}
		if m.vi == m.en && !strings.HasPrefix(m.vi, "%") {
			t.Errorf("key %q: the Vietnamese text is the English one: %q", k, m.vi)
		}
	}
}

func TestCatalogueVerbsAgree(t *testing.T) {
	sample := map[string]any{"int": 7, "float": 1.5, "value": "x"}
	for k, m := range catalogue {
		vi, en := argKinds(t, m.vi), argKinds(t, m.en)
		if fmt.Sprint(vi) != fmt.Sprint(en) {
			t.Errorf("key %q: vi reads arguments %v, en %v", k, vi, en)
			continue
		}
		args := make([]any, len(en))
		for i, kinds := range en {
			if i < 1 || i > len(en) || len(kinds) != 1 {
				t.Errorf("key %q: argument %d read as %v (indexes must run 1..n, one kind each)", k, i, kinds)
				continue
			}
			args[i-1] = sample[kinds[0]]
		}
		for lang, f := range map[string]string{"vi": m.vi, "en": m.en} {
			if s := fmt.Sprintf(f, args...); strings.Contains(s, "%!") {
				t.Errorf("key %q (%s): %q formats as %q", k, lang, f, s)
			}
		}
	}
}

// keyedFuncs are the functions whose first argument (after the field, for
// InvalidField) is a catalogue key.
var keyedFuncs = map[string]bool{
	"Invalid": true, "InvalidField": true, "Unauthenticated": true, "Forbidden": true, "NotFound": true,
	"Conflict": true, "Gone": true, "PreconditionFailed": true, "PreconditionRequired": true, "TooLarge": true,
	"UnsupportedMedia": true, "Locked": true, "TooManyRequests": true, "Unavailable": true, "T": true,
}

// TestEveryKeyInSourceIsInCatalogue reads the Go source of internal/ and
// cmd/ and checks each call that names a message key: the key must be in
// the catalogue (so it has both translations) and the call must pass as many
// arguments as the message reads. Catalogue keys that no call names fail too.
func TestEveryKeyInSourceIsInCatalogue(t *testing.T) {
	used := map[string]bool{KeyInternal: true}
	calls := 0
	for _, root := range []string{"../../internal", "../../cmd"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			rel := filepath.ToSlash(strings.TrimPrefix(path, "../../"))
			inApperr := strings.HasPrefix(rel, "internal/apperr/")
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				name := ""
				switch fn := call.Fun.(type) {
				case *ast.SelectorExpr:
					if x, ok := fn.X.(*ast.Ident); ok && x.Name == "apperr" {
						name = fn.Sel.Name
					}
				case *ast.Ident:
					if inApperr {
						name = fn.Name
					}
				}
				if !keyedFuncs[name] {
					return true
				}
				args := call.Args
				if name == "InvalidField" && len(args) > 0 {
					args = args[1:]
				}
				if len(args) == 0 {
					return true
				}
				lit, ok := args[0].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true // a key chosen at run time (a Phrase's Key): its literal is checked where written
				}
				key, _ := strconv.Unquote(lit.Value)
				pos := fmt.Sprintf("%s:%d", rel, fset.Position(call.Pos()).Line)
				calls++
				m, ok := catalogue[key]
				if !ok {
					t.Errorf("%s: key %q is not in the catalogue", pos, key)
					return true
				}
				used[key] = true
				if call.Ellipsis.IsValid() {
					return true
				}
				if want := len(argKinds(t, m.en)); len(args)-1 != want {
					t.Errorf("%s: key %q reads %d arguments, the call passes %d", pos, key, want, len(args)-1)
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if calls < 250 {
		t.Fatalf("found only %d keyed calls: is the scan reading the source?", calls)
	}
	for k := range catalogue {
		if !used[k] {
			t.Errorf("key %q is in the catalogue but no call names it", k)
		}
	}
}

func TestTextByLanguage(t *testing.T) {
	e := InvalidField("password", "user.password_too_short", 12)
	if got, want := e.Error(), "password must be at least 12 characters"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := e.Text("vi"), "Mật khẩu phải có ít nhất 12 ký tự"; got != want {
		t.Errorf(`Text("vi") = %q, want %q`, got, want)
	}
	for _, lang := range []string{"en", "fr", "", "EN-gb"} {
		if got := e.Text(lang); got != e.Error() {
			t.Errorf("Text(%q) = %q, want English", lang, got)
		}
	}
	if got := e.Text("vi-VN"); !strings.HasPrefix(got, "Mật khẩu") {
		t.Errorf(`Text("vi-VN") = %q, want Vietnamese`, got)
	}
	if e.Code != CodeInvalid || e.Details["field"] != "password" {
		t.Errorf("code %q details %v", e.Code, e.Details)
	}

	wrapped := fmt.Errorf("store: find story 1: %w", NotFound("story.story_not_found", "1"))
	if got, want := Message(wrapped, "vi"), "Không tìm thấy bài 1"; got != want {
		t.Errorf("Message(wrapped, vi) = %q, want %q", got, want)
	}
	if got, want := wrapped.Error(), "store: find story 1: story 1 not found"; got != want {
		t.Errorf("wrapped Error() = %q, want %q", got, want)
	}
	if got := Message(errors.New("pq: secret detail"), "vi"); got != "Lỗi nội bộ" {
		t.Errorf("Message(plain error) = %q: internal details must not show", got)
	}
	if Message(nil, "en") != "" {
		t.Error("Message(nil) must be empty")
	}
	in := Internal("render %s: %v", "page", errors.New("boom"))
	if in.Error() != "render page: boom" || in.Text("en") != "internal error" || in.Text("vi") != "Lỗi nội bộ" {
		t.Errorf("Internal: Error() %q, Text(en) %q, Text(vi) %q", in.Error(), in.Text("en"), in.Text("vi"))
	}
	if got := Message(DatabaseDown(), "en"); !strings.Contains(got, "database is not answering") {
		t.Errorf("DatabaseDown: %q", got)
	}
}

func TestTranslatedArguments(t *testing.T) {
	e := Conflict("story.channel_version_missing", "radio", T("story.noun_radio_version"), T("story.before_publishing"))
	if got, want := e.Error(), "the story targets radio but has no radio version (script or audio); write it before publishing"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := e.Text("vi"); !strings.Contains(got, "bản phát thanh") || !strings.HasSuffix(got, "xuất bản") {
		t.Errorf(`Text("vi") = %q`, got)
	}
	s := Conflict("broadcast.rundown_locked", ByLang("đang phát sóng", "on_air"))
	if !strings.Contains(s.Text("vi"), `"đang phát sóng"`) || !strings.Contains(s.Error(), `"on_air"`) {
		t.Errorf("ByLang: vi %q, en %q", s.Text("vi"), s.Error())
	}
}

func TestUnknownKeyShowsAsItself(t *testing.T) {
	// The catalogue scan keeps this from happening; if it ever does, the
	// reader sees the key, which a user can report, and never a half-formatted text.
	if got := Invalid("no.such_key", "x").Text("vi"); got != "no.such_key" {
		t.Errorf("unknown key shows as %q", got)
	}
}
