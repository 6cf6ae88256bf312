package main

// End-to-end tests of the binary as a new user runs it from the README:
// build it, start `newsroom serve` on a fresh database, create accounts with
// `newsroom user add --password-stdin`, and walk a story through the
// two-level approval workflow over HTTP — on SQLite and on PostgreSQL.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/testutil"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "newsroom-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "newsroom")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// fastEnv keeps password hashing cheap, requires MFA of no role (the demo
// admins log in with a password; MFA has its own tests) and isolates the
// process from the caller's NEWSROOM_* settings.
func fastEnv(dbURL string) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NEWSROOM_") {
			env = append(env, kv)
		}
	}
	return append(env, "NEWSROOM_DATABASE_URL="+dbURL, "NEWSROOM_AUTH_ARGON2_MEMORY_KIB=8192", "NEWSROOM_AUTH_ARGON2_TIME=1",
		"NEWSROOM_AUTH_ARGON2_THREADS=1", "NEWSROOM_SCHEDULER_INTERVAL=1s", "NEWSROOM_METRICS_ADDR=127.0.0.1:0",
		"NEWSROOM_SECURITY_MFA_REQUIRED_ROLES=")
}

type server struct {
	exited  chan struct{}
	waitErr error
	cmd     *exec.Cmd
	base    string
	metrics string // the metrics listener's base URL (metrics.addr), "" when off
	out     *bytes.Buffer
	mu      *sync.Mutex
	stderr  *bytes.Buffer
}

func (s *server) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

var (
	listenRe  = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
	metricsRe = regexp.MustCompile(`metrics on (http://127\.0\.0\.1:\d+)/metrics`)
)

func startServer(t *testing.T, env []string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = env
	cmd.Dir = t.TempDir()
	stdout, _ := cmd.StdoutPipe()
	s := &server{cmd: cmd, out: &bytes.Buffer{}, mu: &sync.Mutex{}, stderr: &bytes.Buffer{}}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.exited = make(chan struct{})
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-s.exited
	})
	found := make(chan string, 1)
	go func() {
		defer func() { s.waitErr = cmd.Wait(); close(s.exited) }()
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			s.mu.Lock()
			s.out.WriteString(sc.Text() + "\n")
			if m := metricsRe.FindStringSubmatch(sc.Text()); m != nil {
				s.metrics = m[1]
			}
			s.mu.Unlock()
			if m := listenRe.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case s.base = <-found:
	case <-s.exited:
		t.Fatalf("server exited at start (%v):\nstdout:\n%s\nstderr:\n%s", s.waitErr, s.output(), s.stderr.String())
	case <-time.After(90 * time.Second):
		t.Fatalf("server did not start:\nstdout:\n%s\nstderr:\n%s", s.output(), s.stderr.String())
	}
	return s
}

func (s *server) stop(t *testing.T) {
	t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		if s.waitErr != nil {
			t.Errorf("server exit after SIGTERM: %v\n%s", s.waitErr, s.stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Errorf("server did not stop after SIGTERM")
	}
}

func run(t *testing.T, env []string, stdin string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

type client struct {
	t     *testing.T
	base  string
	token string
}

func (c *client) do(method, path string, body any, headers map[string]string) (int, map[string]any, http.Header) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			c.t.Fatalf("%s %s: not JSON: %s", method, path, raw)
		}
	}
	return resp.StatusCode, out, resp.Header
}

func (c *client) must(want int, method, path string, body any, headers map[string]string) map[string]any {
	c.t.Helper()
	code, out, _ := c.do(method, path, body, headers)
	if code != want {
		c.t.Fatalf("%s %s: status %d, want %d: %v", method, path, code, want, out)
	}
	return out
}

func login(t *testing.T, base, username, password string) *client {
	t.Helper()
	c := &client{t: t, base: base}
	out := c.must(200, "POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password}, nil)
	c.token = out["token"].(string)
	return c
}

var httpClient = &http.Client{Timeout: 30 * time.Second}

// getPublic GETs url with no session and returns the status and the body.
func getPublic(t *testing.T, url string) (int, []byte) {
	t.Helper()
	resp, err := httpClient.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// demoPassword is the one-time password `serve --demo` printed for name.
func (s *server) demoPassword(t *testing.T, name string) string {
	t.Helper()
	m := regexp.MustCompile(name + `\s+(\S+)`).FindStringSubmatch(s.output())
	if m == nil {
		t.Fatalf("no demo password for %s:\n%s", name, s.output())
	}
	return m[1]
}

// demoLogin logs the demo account name in.
func (s *server) demoLogin(t *testing.T, name string) *client {
	t.Helper()
	return login(t, s.base, name, s.demoPassword(t, name))
}

// sectionID is the id of the section called name.
func (c *client) sectionID(name string) string {
	c.t.Helper()
	for _, s := range c.must(200, "GET", "/api/v1/sections", nil, nil)["items"].([]any) {
		if s.(map[string]any)["name"] == name {
			return s.(map[string]any)["id"].(string)
		}
	}
	c.t.Fatalf("no section %q", name)
	return ""
}

// transition has c take action on story id.
func (c *client) transition(id, action string) map[string]any {
	c.t.Helper()
	return c.must(200, "POST", "/api/v1/stories/"+id+"/transitions", map[string]any{"action": action}, nil)
}

// approve has rep submit story id and ed claim and approve it: enough in a
// section of one approval level (the demo's "Xã hội").
func approve(id string, rep, ed *client) {
	rep.t.Helper()
	rep.transition(id, "submit")
	ed.transition(id, "claim")
	ed.transition(id, "approve")
}

// waitFor is testutil.Eventually that also logs explain() (what was reached,
// the server's log) when the wait fails, or when cond fails the test.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool, explain func() string) {
	t.Helper()
	waited := false
	defer func() {
		if !waited {
			t.Log(explain())
		}
	}()
	testutil.Eventually(t, timeout, what, cond)
	waited = true
}

var adminPwRe = regexp.MustCompile(`password: (\S+)`)

func TestReadmeWalkthrough(t *testing.T) {
	for _, dialect := range testutil.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			env := fastEnv(testutil.EmptyDatabaseURL(t, dialect))
			srv := startServer(t, env)
			m := adminPwRe.FindStringSubmatch(srv.output())
			if m == nil {
				t.Fatalf("no one-time admin password printed:\n%s", srv.output())
			}
			admin := login(t, srv.base, "admin", m[1])
			// First login: everything but the password change is refused.
			code, body, _ := admin.do("GET", "/api/v1/sections", nil, nil)
			if code != 403 || body["error"].(map[string]any)["code"] != "password_change_required" {
				t.Fatalf("must change password first: %d %v", code, body)
			}
			admin.must(204, "POST", "/api/v1/auth/password", map[string]string{"current_password": m[1], "new_password": "Mật khẩu quản trị mới 2026"}, nil)
			levels := 2
			sec := admin.must(201, "POST", "/api/v1/sections", map[string]any{"name": "Thời sự", "approval_levels": levels}, nil)
			secID := sec["id"].(string)

			// Accounts from the command line, as a script would: no prompt.
			for _, u := range [][2]string{{"lan", "reporter"}, {"minh", "editor"}, {"hoa", "editor_in_chief"}} {
				out, err := run(t, env, "Mật khẩu đủ dài số "+u[1]+"\n", "user", "add", "--username", u[0], "--role", u[1], "--password-stdin")
				if err != nil {
					t.Fatalf("user add %s: %v\n%s", u[0], err, out)
				}
			}
			rep := login(t, srv.base, "lan", "Mật khẩu đủ dài số reporter")
			ed := login(t, srv.base, "minh", "Mật khẩu đủ dài số editor")
			eic := login(t, srv.base, "hoa", "Mật khẩu đủ dài số editor_in_chief")

			st := rep.must(201, "POST", "/api/v1/stories", map[string]any{"section_id": secID, "headline": "Đường về Hưng Yên",
				"sapo": "Sapo bài viết", "body": "<p>Nội dung <script>alert(1)</script>ban đầu</p>", "tags": []string{"giao thông"}}, nil)
			id := st["id"].(string)
			if st["slug"] != "duong-ve-hung-yen" || strings.Contains(st["body"].(string), "script") {
				t.Fatalf("slug or sanitizing: %v", st)
			}
			tr := func(c *client, action, comment string) map[string]any {
				return c.must(200, "POST", "/api/v1/stories/"+id+"/transitions", map[string]any{"action": action, "comment": comment}, nil)
			}
			tr(rep, "submit", "")
			tr(ed, "claim", "")
			tr(ed, "reject", "Cần bổ sung ý kiến người dân")
			cur := rep.must(200, "GET", "/api/v1/stories/"+id, nil, nil)
			v := int(cur["version"].(float64))
			rep.must(200, "PATCH", "/api/v1/stories/"+id, map[string]any{"body": "<p>Nội dung đã bổ sung ý kiến người dân</p>"},
				map[string]string{"If-Match": fmt.Sprintf(`"%d"`, v)})
			tr(rep, "submit", "")
			tr(ed, "claim", "")
			if s := tr(ed, "approve", ""); s["state"] != "in_edit" {
				t.Fatalf("after level 1 the story waits for level 2: %v", s["state"])
			}
			if s := tr(eic, "approve", ""); s["state"] != "approved" {
				t.Fatalf("after level 2: %v", s["state"])
			}
			if s := tr(eic, "publish", ""); s["state"] != "published" || s["published_at"] == nil {
				t.Fatalf("publish: %v", s)
			}
			revs := rep.must(200, "GET", "/api/v1/stories/"+id+"/revisions", nil, nil)["items"].([]any)
			var actions []string
			for i := len(revs) - 1; i >= 0; i-- {
				actions = append(actions, revs[i].(map[string]any)["action"].(string))
			}
			want := "create submit claim reject update submit claim approve approve publish"
			if strings.Join(actions, " ") != want {
				t.Fatalf("revisions: %v, want %s", actions, want)
			}
			events := admin.must(200, "GET", "/api/v1/audit?target_id="+id+"&limit=100", nil, nil)["items"].([]any)
			var evs []string
			for i := len(events) - 1; i >= 0; i-- {
				e := events[i].(map[string]any)
				evs = append(evs, e["action"].(string)+"@"+e["actor_username"].(string))
			}
			wantEv := "story.create@lan story.transition.submit@lan story.transition.claim@minh story.transition.reject@minh story.update@lan " +
				"story.transition.submit@lan story.transition.claim@minh story.transition.approve@minh story.transition.approve@hoa story.transition.publish@hoa"
			if strings.Join(evs, " ") != wantEv {
				t.Fatalf("audit:\n got %s\nwant %s", strings.Join(evs, " "), wantEv)
			}
			srv.stop(t)

			// A database that is behind stops `serve` with the way out.
			if out, err := run(t, env, "", "migrate", "down"); err != nil {
				t.Fatalf("migrate down: %v\n%s", err, out)
			}
			out, err := run(t, env, "", "serve", "--addr", "127.0.0.1:0")
			if err == nil || !strings.Contains(out, "newsroom migrate up") {
				t.Fatalf("serve on a database behind must refuse and name `newsroom migrate up`: %v\n%s", err, out)
			}
			if out, err := run(t, env, "", "migrate", "up"); err != nil {
				t.Fatalf("migrate up: %v\n%s", err, out)
			}
			out, err = run(t, env, "", "migrate", "status")
			if err != nil || strings.Contains(out, "pending") || !strings.Contains(out, "applied") {
				t.Fatalf("migrate status: %v\n%s", err, out)
			}
		})
	}
}

func TestDemo(t *testing.T) {
	env := fastEnv(filepath.Join(t.TempDir(), "demo.db"))
	srv := startServer(t, env, "--demo")
	rep := srv.demoLogin(t, "phongvien")
	me := rep.must(200, "GET", "/api/v1/me", nil, nil)
	if me["user"].(map[string]any)["role"] != "reporter" {
		t.Fatalf("me: %v", me)
	}
	eic := srv.demoLogin(t, "tongbientap")
	items := eic.must(200, "GET", "/api/v1/stories?limit=100", nil, nil)["items"].([]any)
	states := map[string]int{}
	for _, it := range items {
		states[it.(map[string]any)["state"].(string)]++
	}
	if len(items) < 10 || states["published"] < 3 || states["killed"] != 1 || states["scheduled"] != 1 {
		t.Fatalf("demo stories visible to the editor-in-chief: %d %v", len(items), states)
	}
	secs := eic.must(200, "GET", "/api/v1/sections", nil, nil)["items"].([]any)
	if len(secs) != 5 {
		t.Fatalf("sections: %v", secs)
	}
	srv.stop(t)
	// A second start with --demo leaves the data alone.
	srv = startServer(t, env, "--demo")
	if !strings.Contains(srv.output(), "already loaded") {
		t.Fatalf("second demo start:\n%s", srv.output())
	}
	srv.stop(t)
}

func TestUserCommands(t *testing.T) {
	env := fastEnv(filepath.Join(t.TempDir(), "cli.db"))
	if out, err := run(t, env, "", "migrate", "up"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out, err := run(t, env, "", "user", "add", "--username", "thu", "--role", "editor")
	if err != nil || !regexp.MustCompile(`one-time password: \S+`).MatchString(out) {
		t.Fatalf("user add without a password prints a one-time one: %v\n%s", err, out)
	}
	if out, err := run(t, env, "ngắn\n", "user", "add", "--username", "x1", "--role", "editor", "--password-stdin"); err == nil || !strings.Contains(out, "12") {
		t.Fatalf("short password must be refused naming the policy: %v\n%s", err, out)
	}
	if out, err := run(t, env, "mật khẩu đủ dài\n", "user", "add", "--username", "x2", "--role", "chef", "--password-stdin"); err == nil || !strings.Contains(out, "role") {
		t.Fatalf("bad role: %v\n%s", err, out)
	}
	if out, err := run(t, env, "", "user", "lock", "thu"); err != nil || !strings.Contains(out, "locked") {
		t.Fatalf("lock: %v\n%s", err, out)
	}
	if out, err := run(t, env, "", "user", "unlock", "thu"); err != nil || !strings.Contains(out, "unlocked") {
		t.Fatalf("unlock: %v\n%s", err, out)
	}
	if out, err := run(t, env, "", "user", "reset-mfa", "thu"); err == nil || !strings.Contains(out, "second factor") {
		t.Fatalf("reset-mfa of an account without MFA must be refused: %v\n%s", err, out)
	}
	if out, err := run(t, env, "Một mật khẩu mới thật dài\n", "user", "passwd", "--username", "thu"); err != nil {
		t.Fatalf("passwd: %v\n%s", err, out)
	}
	if out, err := run(t, env, "", "version"); err != nil || !strings.HasPrefix(out, "newsroom ") {
		t.Fatalf("version: %v %s", err, out)
	}
}
