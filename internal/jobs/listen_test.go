package jobs_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/app"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// TestNotifiedPickupPostgres: on PostgreSQL the workers LISTEN for River's
// insert notification, sent inside the transition's transaction, so jobs
// inserted after the workers started run at once even when the poll
// interval is an hour (without LISTEN they would wait for that poll).
func TestNotifiedPickupPostgres(t *testing.T) {
	pollHourly := testutil.WithAppOptions(func(o *app.Options) { o.Jobs.PollInterval = time.Hour })
	if !slices.Contains(testutil.Dialects(), store.DialectPostgres) {
		t.Skip("PostgreSQL only (NEWSROOM_TEST_DB=postgres or all)")
	}
	e := newEnv(t, store.DialectPostgres, pollHourly)
	db := e.db
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }))
	defer srv.Close()
	e.target("Đích nghe", srv.URL, "bí-mật")
	e.start()
	// Past River's first fetch at start: from here only a notification (or
	// the poll an hour away) finds new jobs.
	time.Sleep(500 * time.Millisecond)
	for i := range 2 {
		st := e.approved("Bài được báo qua NOTIFY")
		e.transition(st.ID, "publish", "", nil)
		deadline := time.Now().Add(time.Minute)
		for {
			var n int
			if err := db.SQL.QueryRow("SELECT count(*) FROM distribution_deliveries WHERE state = 'delivered' AND story_id = $1", st.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 4 { // web, radio, TV and the target
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("publication %d: %d of 4 deliveries done after a minute with a one-hour poll: the workers were not notified", i, n)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
