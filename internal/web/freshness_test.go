package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/web"
)

// otherProcess is a second `newsroom serve` on the same database: its own
// site service, page cache and router, and no hook into the first one's workflow.
func otherProcess(t *testing.T, db *store.DB, syncEvery time.Duration) (*gin.Engine, *site.Service) {
	t.Helper()
	svc := site.NewService(store.NewSiteRepository(db), store.NewStoryRepository(db))
	svc.SyncInterval = syncEvery
	h, err := web.New(web.Deps{Site: svc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Options: web.Options{Site: web.SiteInfo{Name: "Báo Thử", BaseURL: "https://bao.example.vn"}, CacheMaxAge: time.Minute, CacheEntries: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := server.New(server.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, h)
	if err != nil {
		t.Fatal(err)
	}
	return r, svc
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
	testutil.ForEachDialect(t, func(t *testing.T, db *store.DB) {
		a := newEnv(t, db)
		b, bSite := otherProcess(t, db, 0)
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

		if _, err := a.stories.Transition(ctx, a.chief, st.ID, story.TransitionInput{Action: "kill", Comment: "Sai"}, nil); err != nil {
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
	db := testutil.OpenDB(t, testutil.Dialects()[0])
	a := newEnv(t, db)
	_, bSite := otherProcess(t, db, time.Hour)
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
