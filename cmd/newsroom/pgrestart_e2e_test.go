package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// ownPostgres is a throwaway PostgreSQL cluster of one test: restarting it
// disturbs no other test (the machine's shared server on 5432 is never touched).
type ownPostgres struct {
	t      *testing.T
	bindir string
	dir    string
	port   int
	asUser []string // runuser -u postgres -- when the tests run as root (initdb refuses root)
	URL    string
}

// postgresBinDir finds the server binaries (Debian's /usr/lib/postgresql/N/bin,
// newest N first, else initdb on PATH); "" when there are none.
func postgresBinDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(d string) int { n, _ := strconv.Atoi(filepath.Base(filepath.Dir(d))); return n }
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	return ""
}

// startOwnPostgres initdb's a cluster into a fresh folder and starts it on a
// free loopback port with fsync off; it is stopped (immediate) and removed
// when the test ends. Without the server binaries the test is skipped, or
// fails under CI=true (scripts/test.sh installs them).
func startOwnPostgres(t *testing.T) *ownPostgres {
	t.Helper()
	bindir := postgresBinDir()
	if bindir == "" {
		testutil.Need(t, "PostgreSQL server binaries initdb and pg_ctl (Debian package postgresql; scripts/test.sh installs it)",
			errors.New("not in /usr/lib/postgresql/*/bin nor on the PATH"))
	}
	// Not t.TempDir: its parents are private to root, and the cluster runs as postgres.
	dir, err := os.MkdirTemp("", "newsroom-pgrestart-")
	if err != nil {
		t.Fatal(err)
	}
	pg := &ownPostgres{t: t, bindir: bindir, dir: dir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, the cluster must run as the user postgres: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		pg.asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pg.port = ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	pg.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
	if out, err := pg.run("initdb", "-D", filepath.Join(dir, "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		_, _ = pg.run("pg_ctl", "-D", filepath.Join(dir, "data"), "-m", "immediate", "-w", "stop")
		_ = os.RemoveAll(dir)
	})
	pg.start()
	return pg
}

func (pg *ownPostgres) run(tool string, args ...string) (string, error) {
	argv := append(append(slices.Clone(pg.asUser), filepath.Join(pg.bindir, tool)), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (pg *ownPostgres) start() {
	pg.t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", pg.port, pg.dir)
	if out, err := pg.run("pg_ctl", "-D", filepath.Join(pg.dir, "data"), "-l", filepath.Join(pg.dir, "log"), "-w", "-t", "30", "-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(pg.dir, "log"))
		pg.t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// stopImmediate stops the server as a crash would: every backend is killed,
// clients see their connections drop, and the next start runs recovery.
func (pg *ownPostgres) stopImmediate() {
	pg.t.Helper()
	if out, err := pg.run("pg_ctl", "-D", filepath.Join(pg.dir, "data"), "-m", "immediate", "-w", "stop"); err != nil {
		pg.t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

// riverJobStates summarises the job table (kind, state, attempts), to say
// where a lost delivery stopped.
func riverJobStates(url string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := store.Open(ctx, url)
	if err != nil {
		return "\njob table: " + err.Error()
	}
	defer db.Close()
	rows, err := db.SQL.QueryContext(ctx, `SELECT kind, state, attempt, count(*) FROM river_job GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)
	if err != nil {
		return "\njob table: " + err.Error()
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString("\njobs (kind state attempt count):")
	for rows.Next() {
		var kind, state string
		var attempt, n int
		if err := rows.Scan(&kind, &state, &attempt, &n); err != nil {
			return b.String() + " " + err.Error()
		}
		fmt.Fprintf(&b, "\n  %s %s %d %d", kind, state, attempt, n)
	}
	return b.String()
}

// hookLog is one webhook receiver's record: story uri -> webhook-id -> requests.
type hookLog struct {
	mu   sync.Mutex
	seen map[string]map[string]int
}

func (h *hookLog) handler(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body struct {
		URI string `json:"uri"`
	}
	_ = json.Unmarshal(raw, &body)
	id := r.Header.Get("webhook-id")
	h.mu.Lock()
	if h.seen[body.URI] == nil {
		h.seen[body.URI] = map[string]int{}
	}
	h.seen[body.URI][id]++
	h.mu.Unlock()
	// A receiver's own latency: deliveries are in flight when the database goes.
	time.Sleep(100 * time.Millisecond)
	_, _ = w.Write([]byte(`{"id":"ext-` + id + `"}`))
}

// TestPostgresRestartUnderLoad runs `newsroom serve` on a PostgreSQL cluster
// of its own, publishes 60 stories (web, radio and TV channels, three webhook
// targets) at a steady pace through the API, and in the middle stops
// PostgreSQL as a crash would (immediate), keeps it down 2 s and starts it
// again. The same server process (same PID, never restarted) must come back
// by itself: /readyz answers 503 during the outage and 200 after, publishes
// refused during the outage (5xx, retried by the client as a reporter would)
// go through, every delivery of every accepted publish ends delivered and its
// River job completed — none lost — and repeats on a receiver carry the same
// webhook-id. The recovery times are logged (README, Distribution).
func TestPostgresRestartUnderLoad(t *testing.T) {
	if !slices.Contains(testutil.Dialects(), store.DialectPostgres) {
		t.Skip("PostgreSQL is not among NEWSROOM_TEST_DB")
	}
	t.Parallel()
	began := time.Now()
	pg := startOwnPostgres(t)

	hooks := make([]*hookLog, 3)
	urls := make([]string, 3)
	for i := range hooks {
		hooks[i] = &hookLog{seen: map[string]map[string]int{}}
		recv := httptest.NewServer(http.HandlerFunc(hooks[i].handler))
		defer recv.Close()
		urls[i] = recv.URL + "/hook"
	}

	env := append(fastEnv(pg.URL), "NEWSROOM_DISTRIBUTION_ALLOW_HOSTS=127.0.0.1")
	if out, err := run(t, env, "", "migrate", "up"); err != nil {
		t.Fatalf("migrate up: %v\n%s", err, out)
	}
	srv := startServer(t, env, "--demo")
	pid := srv.cmd.Process.Pid
	admin, rep, ed, eic := srv.demoLogin(t, "quantri"), srv.demoLogin(t, "phongvien"), srv.demoLogin(t, "bientap"), srv.demoLogin(t, "tongbientap")
	targets := []string{"Báo Mới", "Zing", "VnExpress"}
	for i, name := range targets {
		admin.must(201, "POST", "/api/v1/targets", map[string]any{"name": name, "kind": "webhook", "url": urls[i], "format": "ninjs"}, nil)
	}
	secID := eic.sectionID("Xã hội")

	const stories = 60
	ids := make([]string, 0, stories)
	for i := range stories {
		st := rep.must(201, "POST", "/api/v1/stories", map[string]any{"section_id": secID,
			"headline": fmt.Sprintf("Tin khi máy chủ dữ liệu khởi động lại số %d", i+1), "body": "<p>Nội dung.</p>",
			"channels": []string{"web", "radio", "tv"},
			"radio":    map[string]any{"script": "Kính thưa quý vị, tin vắn."},
			"tv":       map[string]any{"segments": []map[string]any{{"type": "anchor", "script": "Kính thưa quý vị, tin vắn."}}}}, nil)
		id := st["id"].(string)
		approve(id, rep, ed)
		ids = append(ids, id)
	}

	setup := time.Since(began)

	// publish makes one attempt; a transport error counts as status 0.
	publish := func(id string) int {
		b, _ := json.Marshal(map[string]any{"action": "publish"})
		req, _ := http.NewRequest("POST", srv.base+"/api/v1/stories/"+id+"/transitions", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+eic.token)
		resp, err := httpClient.Do(req)
		if err != nil {
			return 0
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	ready := func() int {
		resp, err := httpClient.Get(srv.base + "/readyz")
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	// dead fails the test at once if the server process is gone: the point is
	// that it survives the outage.
	dead := func(when string) {
		t.Helper()
		select {
		case <-srv.exited:
			t.Fatalf("the server process died %s (%v):\n%s", when, srv.waitErr, srv.stderr.String())
		default:
		}
	}

	// /readyz watched every 50 ms through the whole run.
	type probe struct {
		at   time.Time
		code int
	}
	var probeMu sync.Mutex
	var probes []probe
	stopProbes := make(chan struct{})
	probesDone := make(chan struct{})
	go func() {
		defer close(probesDone)
		for {
			code := ready()
			probeMu.Lock()
			probes = append(probes, probe{time.Now(), code})
			probeMu.Unlock()
			select {
			case <-stopProbes:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	defer func() {
		select {
		case <-stopProbes:
		default:
			close(stopProbes)
		}
		<-probesDone
	}()

	// The outage, from a goroutine, while the publishes go on at ~6/s.
	var down, back time.Time
	restarted := make(chan struct{})
	go func() {
		defer close(restarted)
		time.Sleep(3 * time.Second)
		down = time.Now()
		pg.stopImmediate()
		time.Sleep(2 * time.Second)
		pg.start()
		back = time.Now()
	}()
	statuses := map[int]int{}
	var refused []string
	var published []time.Time // when each accepted publish answered
	var lastPublished string
	for i, id := range ids {
		code := publish(id)
		statuses[code]++
		switch {
		case code == 200:
			published, lastPublished = append(published, time.Now()), id
		case code == 0 || code >= 500:
			dead("during the publishes")
			refused = append(refused, id)
		default:
			t.Fatalf("publish %d of %d: status %d (a database outage must answer 5xx, not a client error)", i+1, stories, code)
		}
		time.Sleep(165 * time.Millisecond)
	}
	<-restarted
	if len(refused) == 0 {
		t.Fatalf("no publish fell into the outage (statuses %v): the restart was not under load", statuses)
	}
	// The outage is the database's, not a bug: 503 "try again" (apperr.BackendDown), never 500.
	if statuses[500] > 0 {
		t.Errorf("%d publishes answered 500 during the outage, want 503 (statuses %v)", statuses[500], statuses)
	}

	// The refused publishes, retried as a reporter would.
	for _, id := range refused {
		var code int
		waitFor(t, 30*time.Second, "the refused publish of "+id+" accepted after PostgreSQL's return", func() bool {
			code = publish(id)
			if code == 200 {
				published, lastPublished = append(published, time.Now()), id
				return true
			}
			if code == 409 {
				// The first try may have committed before its connection dropped.
				if st := eic.must(200, "GET", "/api/v1/stories/"+id, nil, nil); st["state"] == "published" {
					return true
				}
			}
			dead("after PostgreSQL's return")
			if code != 0 && code < 500 && code != 409 {
				t.Fatalf("publish retried after the outage: status %d", code)
			}
			return false
		}, func() string {
			return fmt.Sprintf("publish of %s still refused (%d)\n%s", id, code, srv.stderr.String())
		})
	}
	var firstPublishAfter time.Duration
	for _, at := range published {
		if at.After(back) {
			firstPublishAfter = at.Sub(back)
			break
		}
	}

	// Readiness: down during the outage, 200 again without a restart of the server.
	var readyAfter time.Duration
	var sawDown bool
	waitFor(t, time.Until(back.Add(30*time.Second)), "/readyz 503 during the outage then 200 again within 30 s of PostgreSQL's return", func() bool {
		probeMu.Lock()
		defer probeMu.Unlock()
		sawDown = false
		for _, p := range probes {
			if p.at.After(down) && p.code == 503 {
				sawDown = true
			}
			if sawDown && p.at.After(back) && p.code == 200 {
				readyAfter = p.at.Sub(back)
				return true
			}
		}
		return false
	}, func() string { return fmt.Sprintf("503 seen: %v\n%s", sawDown, srv.stderr.String()) })

	// Every delivery of every story: 3 channels + 3 targets, all delivered.
	keys := map[string]map[string]string{} // story id -> target name -> idempotency key
	done := map[string]bool{}
	var deliveredAfter time.Duration
	var pending []string
	waitFor(t, 60*time.Second, "every delivery of every story delivered after the outage", func() bool {
		dead("while the deliveries finish")
		pending = nil
		for _, id := range ids {
			if done[id] {
				continue
			}
			items := eic.must(200, "GET", "/api/v1/stories/"+id+"/distribution", nil, nil)["items"].([]any)
			k := map[string]string{}
			ok := len(items) == 6
			for _, it := range items {
				m := it.(map[string]any)
				if m["state"] == "dead" {
					t.Fatalf("delivery of %s dead: %v", id, m)
				}
				if m["state"] != "delivered" {
					ok = false
					pending = append(pending, fmt.Sprintf("%s/%v %v (attempts %v, %v)", id[:8], m["channel"], m["target_name"], m["attempts"], m["last_error"]))
				}
				if name, _ := m["target_name"].(string); name != "" {
					k[name], _ = m["idempotency_key"].(string)
				}
			}
			if ok {
				done[id], keys[id] = true, k
			}
		}
		if len(done) == stories {
			deliveredAfter = time.Since(back)
			return true
		}
		return false
	}, func() string {
		return fmt.Sprintf("%d of %d stories fully delivered; pending: %s%s\n%s", len(done), stories,
			strings.Join(pending, "; "), riverJobStates(pg.URL), srv.stderr.String())
	})

	// River's side: every distribution job completed (none left running for
	// the stuck-job rescuer, none discarded).
	jobsDB, err := store.Open(context.Background(), pg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer jobsDB.Close()
	var open int
	waitFor(t, 15*time.Second, "every distribution job completed in River's table, as their deliveries are done", func() bool {
		if err := jobsDB.SQL.QueryRow(`SELECT count(*) FROM river_job WHERE kind LIKE 'distribution.%' AND state <> 'completed'`).Scan(&open); err != nil {
			t.Fatal(err)
		}
		return open == 0
	}, func() string {
		return fmt.Sprintf("%d distribution jobs not completed%s", open, riverJobStates(pg.URL))
	})

	// Same process, alive and ready.
	dead("by the end")
	if srv.cmd.Process.Pid != pid || syscall.Kill(pid, 0) != nil {
		t.Fatalf("server pid %d is not the one started (%d) or not alive", srv.cmd.Process.Pid, pid)
	}
	if code := ready(); code != 200 {
		t.Fatalf("/readyz %d at the end", code)
	}
	// The public side too: the site feed (cached per generation) has the story published last.
	code, feed := getPublic(t, srv.base+"/rss.xml")
	if code != 200 || !strings.Contains(string(feed), "urn:uuid:"+lastPublished) {
		t.Fatalf("/rss.xml (%d) lacks the story published last, %s", code, lastPublished)
	}

	repeats := 0
	for i, h := range hooks {
		h.mu.Lock()
		for _, id := range ids {
			got, want := h.seen["urn:uuid:"+id], keys[id][targets[i]]
			if want == "" || len(got) != 1 || got[want] < 1 {
				t.Errorf("receiver %s, story %s: webhook-ids %v, want only its delivery's key %q", targets[i], id, got, want)
			}
			repeats += got[want] - 1
		}
		if len(h.seen) != stories {
			t.Errorf("receiver %s saw %d stories, want %d", targets[i], len(h.seen), stories)
		}
		h.mu.Unlock()
	}
	srv.stop(t)
	if os.Getenv("NEWSROOM_TEST_SHOW_LOG") != "" || t.Failed() {
		t.Logf("server log:\n%s", srv.stderr.String())
	}
	t.Logf("setup (cluster, server, 60 approved stories) %v; publish statuses during the run %v; %d refused and retried; after PostgreSQL's return: /readyz 200 in %v, first accepted publish in %v, all %d×6 deliveries in %v; %d repeated webhook requests (same webhook-id)",
		setup.Round(time.Millisecond), statuses, len(refused), readyAfter.Round(time.Millisecond), firstPublishAfter.Round(time.Millisecond), stories,
		deliveredAfter.Round(time.Millisecond), repeats)
}
