package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

func folded(ws []Word) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Folded
	}
	return out
}

func TestParseQuery(t *testing.T) {
	cases := []struct {
		in      string
		terms   []string
		phrases [][]string
		exclude []string
		prefix  bool
	}{
		{in: "Hà Nội", terms: []string{"ha", "noi"}, prefix: true},
		{in: "HA NOI ", terms: []string{"ha", "noi"}},
		{in: "Ha\u0300 No\u0323\u0302i", terms: []string{"ha", "noi"}, prefix: true}, // NFD
		{in: `"Hưng Yên" kinh tế -lúa`, terms: []string{"kinh", "te"}, phrases: [][]string{{"hung", "yen"}}, exclude: []string{"lua"}},
		{in: `đường`, terms: []string{"duong"}, prefix: true},
		{in: `"nhãn lồng`, phrases: [][]string{{"nhan", "long"}}},
		{in: `"một"`, terms: []string{"mot"}},
		{in: `a'b "c:d" e*f (g|h) !i NEAR AND OR`, terms: []string{"a", "b", "e", "f", "g", "h", "i", "near", "and", "or"}, phrases: [][]string{{"c", "d"}}, prefix: true},
		{in: `covid-19`, terms: []string{"covid", "19"}, prefix: true},
		{in: `- x -`, terms: []string{"x"}},
	}
	for _, tc := range cases {
		q, err := ParseQuery(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		var ph [][]string
		for _, p := range q.Phrases {
			ph = append(ph, folded(p))
		}
		if !slices.Equal(folded(q.Terms), tc.terms) || !slices.EqualFunc(ph, tc.phrases, slices.Equal) ||
			!slices.Equal(folded(q.Exclude), tc.exclude) || q.Prefix != tc.prefix {
			t.Errorf("%q: terms %v phrases %v exclude %v prefix %v", tc.in, folded(q.Terms), ph, folded(q.Exclude), q.Prefix)
		}
	}
	q, _ := ParseQuery("ĐƯỜNG")
	if q.Terms[0].Exact != "đường" || q.Terms[0].Folded != "duong" {
		t.Errorf("forms of ĐƯỜNG: %+v", q.Terms[0])
	}
	for _, bad := range []string{"", "   ", "!!!", `""`, "-lúa", strings.Repeat("x", MaxQueryRunes+1), strings.Repeat("a ", MaxQueryWords+1)} {
		if _, err := ParseQuery(bad); !apperr.Is(err, apperr.CodeInvalid) {
			t.Errorf("%.20q: want Invalid, got %v", bad, err)
		}
	}
}

func TestSnippet(t *testing.T) {
	q, _ := ParseQuery("lừa đảo ")
	got := Snippet(q, `Cảnh báo <script>alert("x")</script> & lua dao qua mạng`, 36)
	want := `Cảnh báo &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; <mark>lua</mark> <mark>dao</mark> qua mạng`
	if got != want {
		t.Errorf("snippet\n got %s\nwant %s", got, want)
	}
	long := strings.Repeat("một hai ba ", 40) + "Hà Nội" + strings.Repeat(" bốn năm", 40)
	q, _ = ParseQuery("ha no")
	got = Snippet(q, long, 10)
	if !strings.HasPrefix(got, "… ") || !strings.HasSuffix(got, " …") || !strings.Contains(got, "<mark>Hà</mark> <mark>Nội</mark>") {
		t.Errorf("window %q", got)
	}
}

func TestCandidates(t *testing.T) {
	c := Candidates("Kinh tế Hưng Yên tăng trưởng. Hưng Yên có nhãn lồng; kinh tế Hưng Yên của 2026.")
	top := map[string]int{}
	for _, x := range c {
		top[x.Display] = x.Count
	}
	if top["Hưng Yên"] != 3 || top["Kinh tế"] != 2 || top["của"] != 0 || top["2026"] != 0 {
		t.Errorf("candidates %v", top)
	}
	if _, ok := top["Yên tăng"]; !ok {
		t.Errorf("bigram within a sentence missing: %v", top)
	}
	if _, ok := top["trưởng Hưng"]; ok {
		t.Errorf("bigram across a full stop: %v", top)
	}
}

// FuzzParseQuery checks that no input panics, that the only error is
// Invalid, and that every word is made of letters and digits only (so no
// syntax reaches a backend).
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"Hà Nội", `"a b" -c d*`, `'); DROP TABLE stories; --`, `NEAR(a b)`, `"`, "\xff\xfe", `-"x"`, "a:*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			if !apperr.Is(err, apperr.CodeInvalid) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if q.IsEmpty() {
			t.Fatalf("%q: empty query without error", s)
		}
		all := append(q.Positive(), q.Exclude...)
		for _, w := range all {
			if w.Folded == "" || !utf8.ValidString(w.Exact) {
				t.Fatalf("%q: bad word %+v", s, w)
			}
			for _, r := range w.Folded + w.Exact {
				if !isWordRune(r) {
					t.Fatalf("%q: word %+v holds %q", s, w, r)
				}
			}
		}
		_ = Snippet(q, s, 10)
	})
}
