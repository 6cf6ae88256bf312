package jobs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// pull GETs a path from the public site and returns the status and body.
func (e *env) pull(path string) (int, string) {
	e.t.Helper()
	w := httptest.NewRecorder()
	e.app.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	if cc := w.Header().Get("Cache-Control"); w.Code == http.StatusOK && !strings.HasPrefix(cc, "private") {
		e.t.Errorf("GET %s: Cache-Control %q: a token feed must not be kept by shared caches", path, cc)
	}
	return w.Code, w.Body.String()
}

func (e *env) feed(path string) *gofeed.Feed {
	e.t.Helper()
	code, body := e.pull(path)
	if code != http.StatusOK {
		e.t.Fatalf("GET %s: %d %s", path, code, body)
	}
	f, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		e.t.Fatalf("GET %s: not a feed: %v\n%s", path, err, body)
	}
	return f
}

func TestRSSPullFeed(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		s := func(v string) *string { return &v }
		tags := []string{"bão"}
		tg, err := e.dist.CreateTarget(ctx, e.admin, distribution.TargetInput{Name: s("Báo Mới"), Kind: s("rss"), Format: s("full"), Tags: &tags})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tg.FeedToken, distribution.FeedTokenPrefix) || tg.FeedURL != "/feeds/"+tg.ID+".rss" {
			t.Fatalf("created rss target %+v: want its feed URL and token", tg)
		}
		again, _ := e.dist.FindTargetByID(ctx, e.admin, tg.ID)
		if again.FeedToken != "" || again.FeedURL != tg.FeedURL {
			t.Fatalf("token shown again: %+v", again)
		}
		var stored string
		if err := e.db.SQL.QueryRow("SELECT feed_token_hash FROM distribution_targets WHERE id = $1", tg.ID).Scan(&stored); err != nil ||
			stored != distribution.HashFeedToken(tg.FeedToken) {
			t.Fatalf("stored %q (%v), want the token's hash only", stored, err)
		}
		e.start()
		storm := e.approvedWith("Bão số 3 đổ bộ", "<p>Gió giật cấp 12.</p>", []string{"bão"})
		storm = e.transition(storm.ID, "publish", "", nil)
		other := e.approvedWith("Giá vàng hôm nay", "<p>Vàng tăng.</p>", []string{"kinh tế"})
		other = e.transition(other.ID, "publish", "", nil)
		d := targetDelivery(t, e.waitDelivered(storm.ID, storm.Version, 2), tg.ID)
		if d.State != distribution.StateDelivered || d.Attempts != 1 {
			t.Fatalf("rss delivery %+v: want delivered", d)
		}
		if ds := e.waitDelivered(other.ID, other.Version, 1); ds[0].Channel != "web" {
			t.Fatalf("the story outside the filter went to %+v", ds)
		}

		url := tg.FeedURL + "?token=" + tg.FeedToken
		f := e.feed(url)
		if len(f.Items) != 1 || f.Items[0].Title != "Bão số 3 đổ bộ" || f.Items[0].GUID != "urn:uuid:"+storm.ID ||
			!strings.Contains(f.Items[0].Content, "Gió giật cấp 12.") {
			t.Fatalf("feed items %+v: want the storm story only, with its text", f.Items)
		}
		if strings.Contains(f.FeedLink, tg.FeedToken) {
			t.Errorf("the feed's self link carries the token: %s", f.FeedLink)
		}

		// No token, a wrong token and an unknown target: refused alike.
		if code, _ := e.pull(tg.FeedURL); code != http.StatusUnauthorized {
			t.Errorf("no token: %d, want 401", code)
		}
		codeWrong, bodyWrong := e.pull(tg.FeedURL + "?token=nrf_sai")
		codeNone, bodyNone := e.pull("/feeds/00000000-0000-4000-8000-000000000000.rss?token=nrf_sai")
		if codeWrong != http.StatusNotFound || codeNone != codeWrong || bodyNone != bodyWrong {
			t.Errorf("wrong token %d %q, unknown target %d %q: want the same 404", codeWrong, bodyWrong, codeNone, bodyNone)
		}

		// A correction shows at once; a kill removes the story at once.
		head := "Bão số 3 đổ bộ Quảng Ninh"
		storm = e.transition(storm.ID, "correct", "Thêm địa danh", &story.Content{Headline: &head})
		if f := e.feed(url); len(f.Items) != 1 || f.Items[0].Title != head {
			t.Fatalf("after the correction: %+v", f.Items)
		}
		storm = e.transition(storm.ID, "kill", "Gỡ theo yêu cầu", nil)
		if f := e.feed(url); len(f.Items) != 0 {
			t.Fatalf("after the kill the feed still lists %+v", f.Items)
		}
		d = targetDelivery(t, e.waitDelivered(storm.ID, storm.Version, 2), tg.ID)
		if d.State != distribution.StateDelivered || d.Action != "kill" {
			t.Fatalf("kill delivery %+v", d)
		}

		// Rotation: the old token stops working, the new one works.
		rot, err := e.dist.RotateFeedToken(ctx, e.admin, tg.ID)
		if err != nil || rot.FeedToken == "" || rot.FeedToken == tg.FeedToken {
			t.Fatalf("rotate: %+v, %v", rot, err)
		}
		if code, _ := e.pull(url); code != http.StatusNotFound {
			t.Errorf("old token after rotation: %d, want 404", code)
		}
		e.feed(tg.FeedURL + "?token=" + rot.FeedToken)
		if _, err := e.dist.RotateFeedToken(ctx, e.chief, tg.ID); !apperr.Is(err, apperr.CodeForbidden) {
			t.Errorf("rotation by a non-admin: %v", err)
		}

		// A switched-off target answers 410 to the right token only.
		off := false
		if _, err := e.dist.UpdateTarget(ctx, e.admin, tg.ID, distribution.TargetInput{Active: &off}); err != nil {
			t.Fatal(err)
		}
		if code, _ := e.pull(tg.FeedURL + "?token=" + rot.FeedToken); code != http.StatusGone {
			t.Errorf("inactive target: %d, want 410", code)
		}
		if code, _ := e.pull(tg.FeedURL + "?token=nrf_sai"); code != http.StatusNotFound {
			t.Errorf("inactive target, wrong token: %d, want 404", code)
		}
	})
}

func TestRSSTargetValidation(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		s := func(v string) *string { return &v }
		_, err := e.dist.CreateTarget(ctx, e.admin, distribution.TargetInput{Name: s("Feed"), Kind: s("rss"), Format: s("ninjs")})
		if ae, ok := apperr.As(err); !ok || ae.Details["field"] != "format" {
			t.Errorf("rss with format ninjs: %v, want invalid format", err)
		}
		tg, err := e.dist.CreateTarget(ctx, e.admin, distribution.TargetInput{Name: s("Feed"), Kind: s("rss")})
		if err != nil || tg.Format != distribution.FormatSummary {
			t.Fatalf("rss defaults: %+v, %v", tg, err)
		}
		url, kind := "https://example.vn/h", "webhook"
		wh, err := e.dist.CreateTarget(ctx, e.admin, distribution.TargetInput{Name: s("Hook"), Kind: &kind, URL: &url})
		if err != nil || wh.FeedToken != "" || wh.FeedURL != "" {
			t.Fatalf("webhook target %+v, %v: want no feed", wh, err)
		}
		if _, err := e.dist.RotateFeedToken(ctx, e.admin, wh.ID); !apperr.Is(err, apperr.CodeConflict) {
			t.Errorf("rotating a webhook's feed token: %v, want conflict", err)
		}
	})
}
