package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// otherProcess is a second `newsroom serve` on a's database: its own site
// service, page cache and engine, and no listener in a's workflow; it reads
// the shared generation every syncEvery.
func otherProcess(a *env, syncEvery time.Duration) (http.Handler, *site.Service) {
	b := a.OtherProcess()
	b.Site.SyncInterval = syncEvery
	return b.Handler, b.Site
}

func getFrom(t *testing.T, r http.Handler, path string) (int, string) {
	t.Helper()
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w.Code, w.Body.String()
}

// TestCrossProcessFreshness: a publish, a caption change and a kill made
// through one process show in another process's cached pages once it reads
// the shared generation (here on every request: SyncInterval 0; in
// production at most every site.DefaultSyncInterval).
func TestCrossProcessFreshness(t *testing.T) {
	forEachEnv(t, func(t *testing.T, a *env) {
		b, bSite := otherProcess(a, 0)
		ctx := context.Background()

		if code, body := getFrom(t, b, "/"); code != http.StatusOK || strings.Contains(body, "Bão số 9") {
			t.Fatalf("B home before = %d", code)
		}
		gen := bSite.Generation()
		if bSite.Generation() != gen {
			t.Fatal("the generation moved with nothing published")
		}

		st := a.publish("Bão số 9 đổ bộ", "Gió giật cấp 12", "<p>Nội dung</p>", nil)
		path := story.PublicPath("thoi-su", st.Slug, st.ID)
		for _, p := range []string{"/", "/thoi-su", path, "/rss.xml"} {
			if code, body := getFrom(t, b, p); code != http.StatusOK || !strings.Contains(body, "Bão số 9 đổ bộ") {
				t.Errorf("B %s after A published = %d, lacks the story", p, code)
			}
		}

		if _, err := a.Stories.Transition(ctx, a.chief, st.ID, story.TransitionInput{Action: "kill", Comment: "Sai"}, nil); err != nil {
			t.Fatal(err)
		}
		if code, _ := getFrom(t, b, path); code != http.StatusGone {
			t.Errorf("B article after A killed = %d, want 410", code)
		}
		if _, body := getFrom(t, b, "/rss.xml"); strings.Contains(body, "Bão số 9 đổ bộ") {
			t.Error("B feed still carries the killed story")
		}
	})
}

// TestSyncIntervalBoundsReads: between two reads of the shared counter a
// process answers from its cache without asking the database.
func TestSyncIntervalBoundsReads(t *testing.T) {
	a := newEnv(t, testutil.Dialects()[0])
	_, bSite := otherProcess(a, time.Hour)
	gen := bSite.Generation() // first read
	a.publish("Tin mới", "Sapo", "<p>x</p>", nil)
	if bSite.Generation() != gen {
		t.Error("the counter was read again before SyncInterval passed")
	}
	bSite.SyncInterval = 0
	if bSite.Generation() == gen {
		t.Error("the other process never saw the publish")
	}
}
