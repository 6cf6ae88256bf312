package httpapi_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

type searchAnswer struct {
	Items []struct {
		ID        string  `json:"id"`
		Headline  string  `json:"headline"`
		URL       string  `json:"url"`
		Snippet   string  `json:"snippet"`
		State     string  `json:"state"`
		SectionID string  `json:"section_id"`
		Published *string `json:"published_at"`
		UpdatedAt string  `json:"updated_at"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// TestSearchAPI covers GET /api/v1/search, related stories and tag
// suggestions over HTTP, with permissions and bad input.
func TestSearchAPI(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		sec := h.section("Thời sự", 1)
		reporter := h.user("phongvien", user.RoleReporter, sec.ID)
		other := h.user("phongvien2", user.RoleReporter, sec.ID)
		chief := h.user("tongbientap", user.RoleEditorInChief)
		editor := h.user("bientap", user.RoleEditor, sec.ID)
		create := func(headline, body string, tags ...string) string {
			st := h.newStory(reporter, map[string]any{"section_id": sec.ID, "headline": headline,
				"sapo": "Tin từ Hưng Yên", "body": body, "tags": tags})
			return st.ID
		}
		publish := func(id string) {
			for _, step := range []struct {
				m      member
				action string
			}{{reporter, "submit"}, {editor, "claim"}, {editor, "approve"}, {chief, "publish"}} {
				h.expect(h.do(step.m.token, "POST", "/api/v1/stories/"+id+"/transitions", map[string]any{"action": step.action}), 200, step.action)
			}
		}
		pub := create("Nhãn lồng Hưng Yên vào mùa", "<p>Kinh tế Hưng Yên nhờ nhãn lồng.</p>", "nông nghiệp")
		publish(pub)
		pub2 := create("Xuất khẩu nhãn lồng", "<p>Nhãn lồng Hưng Yên sang Mỹ.</p>", "nông nghiệp")
		publish(pub2)
		draft := create("Nhãn lồng bản nháp", "<p>Chưa duyệt.</p>")

		get := func(m member, q string) searchAnswer {
			var a searchAnswer
			h.expect(h.do(m.token, "GET", "/api/v1/search?"+q, nil), 200, "search "+q).json(t, &a)
			return a
		}
		ids := func(a searchAnswer) []string {
			var out []string
			for _, it := range a.Items {
				out = append(out, it.ID)
			}
			slices.Sort(out)
			return out
		}
		want := []string{pub, pub2, draft}
		slices.Sort(want)
		for _, q := range []string{"nhan long", "Nhãn lồng", "NHAN LONG"} {
			if got := ids(get(reporter, "q="+url.QueryEscape(q))); !slices.Equal(got, want) {
				t.Errorf("author searching %q: %v, want %v", q, got, want)
			}
		}
		// another reporter does not see the draft
		a := get(other, "q=nhan+long")
		if slices.Contains(ids(a), draft) || len(a.Items) != 2 || a.NextCursor == nil || *a.NextCursor != "" {
			t.Errorf("other reporter: %+v", a)
		}
		for _, it := range a.Items {
			if it.Published == nil || it.State != "published" || !strings.Contains(it.Snippet, "<mark>") {
				t.Errorf("hit %+v", it)
			}
		}
		// pages of one
		p1 := get(reporter, "q=nhan+long&limit=1")
		if len(p1.Items) != 1 || *p1.NextCursor == "" {
			t.Fatalf("page 1: %+v", p1)
		}
		p2 := get(reporter, "q=nhan+long&limit=1&cursor="+*p1.NextCursor)
		if len(p2.Items) != 1 || p2.Items[0].ID == p1.Items[0].ID {
			t.Fatalf("page 2: %+v", p2)
		}
		if got := ids(get(reporter, "q=nhan&state=draft")); !slices.Equal(got, []string{draft}) {
			t.Errorf("state filter: %v", got)
		}
		// bad input: a clear 400 naming the parameter
		for q, field := range map[string]string{"": "q", "q=": "q", "q=%21%21%21": "q", "q=x&state=nope": "state",
			"q=x&section=1": "section", "q=x&limit=0": "limit", "q=x&cursor=zz": "cursor", "q=x&channel=fax": "channel",
			"q=x&from=yesterday": "from", "q=" + strings.Repeat("a", 10000): "q"} {
			r := h.expect(h.do(reporter.token, "GET", "/api/v1/search?"+q, nil), 400, "bad search "+q[:min(len(q), 30)])
			if e := r.err(t).Error; e.Details["field"] != field || e.Message == "" {
				t.Errorf("%.30s: error %+v, want field %s", q, e, field)
			}
		}
		// hostile syntax never 500s
		for _, q := range []string{`'`, `"`, `nhan*`, `a:b`, `x & y | !z`, `(NEAR AND OR)`, `"unbalanced`, `--`, `\`} {
			r := h.do(reporter.token, "GET", "/api/v1/search?q="+url.QueryEscape(q), nil)
			if r.Code != 200 && r.Code != 400 {
				t.Errorf("%q: %d %s", q, r.Code, r.Body)
			}
		}
		// related: published only, not itself
		var rel searchAnswer
		h.expect(h.do(other.token, "GET", "/api/v1/stories/"+pub+"/related", nil), 200, "related").json(t, &rel)
		if got := ids(rel); !slices.Equal(got, []string{pub2}) {
			t.Errorf("related: %v, want %v", got, pub2)
		}
		h.expect(h.do(other.token, "GET", "/api/v1/stories/"+draft+"/related", nil), 404, "related of an unreadable draft")
		h.expect(h.do(other.token, "GET", "/api/v1/stories/nope/related", nil), 400, "related of a bad id")
		// tag suggestions
		var sug struct {
			Items []struct {
				Tag   string  `json:"tag"`
				Score float64 `json:"score"`
			} `json:"items"`
		}
		h.expect(h.do(reporter.token, "GET", "/api/v1/stories/"+pub+"/tag-suggestions", nil), 200, "suggest").json(t, &sug)
		var tags []string
		for _, s := range sug.Items {
			tags = append(tags, s.Tag)
		}
		if !slices.Contains(tags, "Hưng Yên") || !slices.Contains(tags, "Nhãn lồng") || slices.Contains(tags, "nông nghiệp") {
			t.Errorf("suggestions %v", tags)
		}
		h.expect(h.do(other.token, "GET", "/api/v1/stories/"+draft+"/tag-suggestions", nil), 404, "suggest for an unreadable draft")
		// text pasted in VNI or TCVN3 is stored as Unicode and found as such
		vni := create("Haø Noäi vaøo thu", "<p>Hµ Néi lµ thñ ®« cña ViÖt Nam</p>")
		if st := h.current(vni); st.Headline != "Hà Nội vào thu" || st.Body != "<p>Hà Nội là thủ đô của Việt Nam</p>" {
			t.Errorf("legacy text stored as %q / %q", st.Headline, st.Body)
		}
		if got := ids(get(reporter, "q=th%E1%BB%A7+%C4%91%C3%B4")); !slices.Equal(got, []string{vni}) {
			t.Errorf("search for converted text: %v", got)
		}
	})
}

// TestStoryList checks filters, visibility and cursor paging of GET /stories.
func TestStoryList(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		sec := h.section("Giáo dục", 1)
		other := h.section("Du lịch", 1)
		reporter := h.user("phongvien", user.RoleReporter, sec.ID, other.ID)
		editor := h.user("bientap", user.RoleEditor, sec.ID)
		var ids []string
		for i, s := range []string{sec.ID, sec.ID, other.ID, sec.ID, sec.ID} {
			st := h.newStory(reporter, map[string]any{"section_id": s, "headline": "Tin số " + string(rune('A'+i))})
			ids = append(ids, st.ID)
			time.Sleep(2 * time.Millisecond) // distinct updated_at on every database
		}
		for _, id := range ids[:3] {
			h.expect(h.do(reporter.token, "POST", "/api/v1/stories/"+id+"/transitions", map[string]any{"action": "submit"}), 200, "submit")
		}
		get := func(token, q string) respond.List[story.Story] {
			t.Helper()
			var l respond.List[story.Story]
			h.expect(h.do(token, "GET", "/api/v1/stories"+q, nil), 200, "list "+q).json(t, &l)
			return l
		}
		idsOf := func(l respond.List[story.Story]) []string {
			var out []string
			for _, s := range l.Items {
				out = append(out, s.ID)
			}
			slices.Sort(out)
			return out
		}
		sorted := func(s ...string) []string { s = slices.Clone(s); slices.Sort(s); return s }

		if got := idsOf(get(reporter.token, "")); !slices.Equal(got, sorted(ids...)) {
			t.Errorf("author sees %v, want all 5", got)
		}
		if got := idsOf(get(reporter.token, "?state=submitted")); !slices.Equal(got, sorted(ids[:3]...)) {
			t.Errorf("state=submitted: %v", got)
		}
		if got := idsOf(get(reporter.token, "?state=draft&state=submitted&section="+other.ID)); !slices.Equal(got, []string{ids[2]}) {
			t.Errorf("section filter: %v", got)
		}
		if got := idsOf(get(reporter.token, "?state=draft,killed")); !slices.Equal(got, sorted(ids[3:]...)) {
			t.Errorf("comma list: %v", got)
		}
		// The editor of one section sees only that section's submitted stories.
		if got := idsOf(get(editor.token, "")); !slices.Equal(got, sorted(ids[:2]...)) {
			t.Errorf("editor sees %v", got)
		}
		if got := idsOf(get(editor.token, "?author="+reporter.ID)); !slices.Equal(got, sorted(ids[:2]...)) {
			t.Errorf("author filter: %v", got)
		}
		if got := get(editor.token, "?updated_to="+url.QueryEscape("2000-01-01T00:00:00Z")); len(got.Items) != 0 || got.Items == nil {
			t.Errorf("updated_to in the past: %+v", got)
		}
		// Paging two at a time visits every story once.
		var paged []string
		cursor := ""
		for pages := 0; ; pages++ {
			q := "?limit=2"
			if cursor != "" {
				q += "&cursor=" + url.QueryEscape(cursor)
			}
			l := get(reporter.token, q)
			if len(l.Items) > 2 || pages > 5 {
				t.Fatalf("page %d has %d items", pages, len(l.Items))
			}
			for _, s := range l.Items {
				paged = append(paged, s.ID)
				if s.UpdatedAt.Location() != time.UTC {
					t.Errorf("updated_at not UTC: %v", s.UpdatedAt)
				}
			}
			if cursor = l.NextCursor; cursor == "" {
				break
			}
		}
		if slices.Sort(paged); !slices.Equal(paged, sorted(ids...)) {
			t.Errorf("paging visited %v", paged)
		}
	})
}
