package httpapi_test

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

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
