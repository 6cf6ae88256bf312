package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/story"
)

type searchAnswer struct {
	Items []struct {
		ID, Headline, URL, Snippet string
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func (e *env) contentSearch(key, q string) searchAnswer {
	e.t.Helper()
	var out searchAnswer
	a := e.must("/api/content/v1/search?q="+url.QueryEscape(q), http.StatusOK, "X-Api-Key", key)
	if err := json.Unmarshal([]byte(a.Body), &out); err != nil {
		e.t.Fatalf("search answer: %v\n%s", err, a.Body)
	}
	return out
}

// TestPublicSearchShowsOnlyPublished: drafts and killed stories never reach
// /tim-kiem or the content API search (hits, snippets, counts); published
// ones do, with safe <mark> snippets, and "ha noi" finds "Hà Nội".
func TestPublicSearchShowsOnlyPublished(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		_, key := e.apiKey(0)

		pub := e.publish("Hà Nội mở rộng phố đi bộ", "Sapo phố đi bộ",
			`<p>Thành phố Hà Nội thử nghiệm phố đi bộ <script>alert(1)</script> quanh hồ Gươm mỗi cuối tuần.</p>`, []string{"Hà Nội"})
		killed := e.publish("Hà Nội tin sai zxbimat", "Sapo bị gỡ", "<p>Nội dung Hà Nội đã gỡ zxbimat.</p>", nil)
		if _, err := e.Stories.Transition(ctx, e.chief, killed.ID, story.TransitionInput{Action: "kill", Comment: "Sai"}, nil); err != nil {
			t.Fatal(err)
		}
		head, sapo, body := "Hà Nội bản nháp zxbimat", "Sapo nháp", "<p>Bản nháp Hà Nội zxbimat chưa duyệt.</p>"
		tags := []string{}
		draft, err := e.Stories.CreateStory(ctx, e.reporter, story.Content{SectionID: &e.section.ID, Headline: &head, Sapo: &sapo, Body: &body, Tags: &tags})
		if err != nil {
			t.Fatal(err)
		}
		pubURL := "https://bao.example.vn" + story.PublicPath("thoi-su", pub.Slug, pub.ID)

		// The site page, folded query.
		page := e.must("/tim-kiem?q="+url.QueryEscape("ha noi"), http.StatusOK).Body
		if !strings.Contains(page, "Hà Nội mở rộng phố đi bộ") || !strings.Contains(page, `href="`+pubURL+`"`) {
			t.Errorf("/tim-kiem?q=ha noi lacks the published story or its URL %s", pubURL)
		}
		if !strings.Contains(page, "<mark>") {
			t.Error("/tim-kiem has no <mark> snippet")
		}
		for _, bad := range []string{"zxbimat", "bản nháp", "Bản nháp", "tin sai", "đã gỡ", "<script>alert", draft.ID, killed.ID} {
			if strings.Contains(page, bad) {
				t.Errorf("/tim-kiem leaks %q", bad)
			}
		}
		// Words only the draft and the killed story hold: no result at all.
		none := e.must("/tim-kiem?q=zxbimat", http.StatusOK).Body
		if strings.Contains(none, "tin sai") || strings.Contains(none, "bản nháp") || strings.Contains(none, "<mark>") || !strings.Contains(none, "Không tìm thấy bài nào") {
			t.Error("/tim-kiem?q=zxbimat shows something")
		}

		// The content API.
		got := e.contentSearch(key, "Hà Nội")
		if len(got.Items) != 1 || got.Items[0].ID != pub.ID {
			t.Fatalf("content search hits = %+v, want only %s", got.Items, pub.ID)
		}
		h := got.Items[0]
		if h.URL != pubURL || h.Headline != pub.Headline || !strings.Contains(h.Snippet, "<mark>") || strings.Contains(h.Snippet, "<script") {
			t.Errorf("hit = %+v", h)
		}
		if got.NextCursor != "" {
			t.Errorf("next_cursor = %q on the only page", got.NextCursor)
		}
		if n := e.contentSearch(key, "zxbimat"); len(n.Items) != 0 || n.NextCursor != "" {
			t.Errorf("content search zxbimat = %+v", n)
		}

		// Killing the published one removes it at once.
		if _, err := e.Stories.Transition(ctx, e.chief, pub.ID, story.TransitionInput{Action: "kill", Comment: "Sai"}, nil); err != nil {
			t.Fatal(err)
		}
		if n := e.contentSearch(key, "Hà Nội"); len(n.Items) != 0 {
			t.Errorf("killed story still found: %+v", n.Items)
		}
		if strings.Contains(e.must("/tim-kiem?q=ha+noi", http.StatusOK).Body, "phố đi bộ") {
			t.Error("killed story still on /tim-kiem")
		}
	})
}

// TestContentSearchBadInput: empty q is 400 naming q; syntax characters and
// bad cursors or limits are 4xx, never 500; no key is 401.
func TestContentSearchBadInput(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		_, key := e.apiKey(0)
		e.publish("Giá xăng giảm", "Sapo", "<p>Giá xăng giảm mạnh.</p>", nil)
		for _, q := range []string{"", "q=", "q=%20%20"} {
			a := e.must("/api/content/v1/search?"+q, http.StatusBadRequest, "X-Api-Key", key)
			if !strings.Contains(a.Body, `"q"`) {
				t.Errorf("?%s: answer does not name q: %s", q, a.Body)
			}
		}
		e.must("/api/content/v1/search?q=x&limit=0", http.StatusBadRequest, "X-Api-Key", key)
		e.must("/api/content/v1/search?q=x&limit=abc", http.StatusBadRequest, "X-Api-Key", key)
		e.must("/api/content/v1/search?q=x&cursor=%21%21", http.StatusBadRequest, "X-Api-Key", key)
		e.must("/api/content/v1/search?q=x&section=khong-co", http.StatusBadRequest, "X-Api-Key", key)
		e.must("/api/content/v1/search?q=x", http.StatusUnauthorized)
		for _, q := range []string{`"giá`, `xăng' OR 1=1 --`, `* : & | ! ( NEAR`, `-`, `""`} {
			if a := e.get("/api/content/v1/search?q="+url.QueryEscape(q), "X-Api-Key", key); a.Code >= 500 {
				t.Errorf("q=%q: %d", q, a.Code)
			}
			if a := e.get("/tim-kiem?q=" + url.QueryEscape(q)); a.Code >= 500 {
				t.Errorf("/tim-kiem q=%q: %d", q, a.Code)
			}
		}
		e.must("/tim-kiem?q=gia&sau=%21%21", http.StatusBadRequest)
	})
}
