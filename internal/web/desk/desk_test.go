package desk_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

func TestUnauthenticatedVisitsGoToLogin(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		c := e.client()
		for _, r := range []struct{ path, location string }{
			{"/desk", "/desk/login"},
			{"/desk/queue?state=submitted", "/desk/login?next=" + url.QueryEscape("/desk/queue?state=submitted")},
		} {
			p := c.get(r.path)
			expect(t, p, http.StatusSeeOther, "GET "+r.path)
			if loc := p.Header.Get("Location"); loc != r.location {
				t.Fatalf("%s redirects to %q", r.path, loc)
			}
		}
		// The login form: fields username and password, a CSRF token in a hidden input and a meta tag.
		p := c.get("/desk/login")
		expect(t, p, http.StatusOK, "GET /desk/login")
		for _, want := range []string{`name="username"`, `name="password"`, `name="csrf_token"`, `<meta name="csrf-token"`, `lang="vi"`, "Đăng nhập"} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("login page lacks %s", want)
			}
		}
		// A POST without a session is refused, not redirected.
		p = c.post("/desk/stories", url.Values{"headline": {"x"}}, "X-CSRF-Token", c.csrf("/desk/login"))
		expect(t, p, http.StatusUnauthorized, "POST /desk/stories without session")
	})
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.loggedIn("phongvien")
	for _, path := range []string{"/desk/login", "/desk", "/desk/queue", "/desk/stories/new"} {
		p := c.get(path)
		if path == "/desk/login" {
			p = e.client().get(path)
		}
		expect(t, p, http.StatusOK, path)
		csp := p.Header.Get("Content-Security-Policy")
		var script string
		for _, d := range strings.Split(csp, ";") {
			if d = strings.TrimSpace(d); strings.HasPrefix(d, "script-src") {
				script = d
			}
		}
		if script != "script-src 'self'" {
			t.Errorf("%s: script-src is %q (CSP %q)", path, script, csp)
		}
		if !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP lacks frame-ancestors 'none': %q", path, csp)
		}
		for h, want := range map[string]string{"X-Frame-Options": "DENY", "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"} {
			if got := p.Header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", path, h, got, want)
			}
		}
		if !strings.Contains(p.Body, `<meta name="csrf-token" content="`) {
			t.Errorf("%s: no CSRF meta tag", path)
		}
		if strings.Contains(p.Body, "<script>") || regexp.MustCompile(`<script(?: [^>]*)?>[^<]`).MatchString(strings.ReplaceAll(p.Body, `<script type="application/json" id="desk-messages">`, "")) {
			t.Errorf("%s: inline script in the page", path)
		}
	}
	// Cookies: HttpOnly, SameSite=Lax.
	p := e.client().get("/desk/login")
	for _, ck := range p.Header.Values("Set-Cookie") {
		if !strings.Contains(ck, "HttpOnly") || !strings.Contains(ck, "SameSite=Lax") {
			t.Errorf("cookie %q lacks HttpOnly or SameSite=Lax", ck)
		}
	}
	tok := e.client()
	tp := tok.csrf("/desk/login")
	res := tok.post("/desk/login", url.Values{"username": {"phongvien"}, "password": {testPassword}, "csrf_token": {tp}})
	sess := ""
	for _, ck := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(ck, "newsroom_session=") {
			sess = ck
		}
	}
	if !strings.Contains(sess, "HttpOnly") || !strings.Contains(sess, "SameSite=Lax") || strings.Contains(sess, "Secure") {
		t.Errorf("session cookie over plain HTTP = %q, want HttpOnly, SameSite=Lax, not Secure", sess)
	}
}

func TestCSRFRefused(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		c := e.client()
		// Login without the token.
		p := c.post("/desk/login", url.Values{"username": {"phongvien"}, "password": {testPassword}})
		expect(t, p, http.StatusForbidden, "login without CSRF token")
		if !strings.Contains(p.Body, "CSRF") {
			t.Fatalf("refusal does not name CSRF: %s", p.Body)
		}
		c.login("phongvien")
		st := e.draft("Bài thử CSRF")
		// A token of another browser does not work for this one.
		other := e.loggedIn("phongvien")
		foreign := other.csrf("/desk")
		for name, form := range map[string]url.Values{
			"missing": {"body": {"góp ý"}},
			"foreign": {"body": {"góp ý"}, "csrf_token": {foreign}},
			"garbage": {"body": {"góp ý"}, "csrf_token": {"abc"}},
		} {
			p := c.post("/desk/stories/"+st.ID+"/comments", form)
			expect(t, p, http.StatusForbidden, "comment with "+name+" token")
			if !strings.Contains(p.Body, "CSRF") {
				t.Errorf("%s: refusal does not name CSRF", name)
			}
		}
		p = c.post("/desk/stories/"+st.ID+"/actions", url.Values{"action": {"submit"}})
		expect(t, p, http.StatusForbidden, "submit without token")
		if cur := e.current(st.ID); cur.State != workflow.Draft || cur.Version != st.Version {
			t.Fatalf("story changed by refused requests: %s v%d", cur.State, cur.Version)
		}
		cs, _ := e.Stories.FindComments(t.Context(), e.members["phongvien"], st.ID)
		if len(cs) != 0 {
			t.Fatalf("refused comments stored: %v", cs)
		}
		// With this browser's token it works.
		p = c.post("/desk/stories/"+st.ID+"/comments", url.Values{"body": {"Ghi chú"}, "csrf_token": {c.csrf("/desk")}})
		expect(t, p, http.StatusSeeOther, "comment with token")
	})
}

func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.client()
	p := c.get("/desk/login")
	if !strings.Contains(p.Body, `<html lang="vi">`) || !strings.Contains(p.Body, "Tên đăng nhập") {
		t.Fatalf("default page is not Vietnamese")
	}
	p = c.get("/desk/lang/en?next=/desk/login")
	expect(t, p, http.StatusSeeOther, "switch to English")
	if loc := p.Header.Get("Location"); loc != "/desk/login" {
		t.Fatalf("switch redirects to %q", loc)
	}
	p = c.get("/desk/login")
	if !strings.Contains(p.Body, `<html lang="en">`) || !strings.Contains(p.Body, "Username") || strings.Contains(p.Body, "Tên đăng nhập") {
		t.Fatalf("page is not English after the switch: %.500s", p.Body)
	}
	// No open redirect, and an unknown language is refused.
	p = c.get("/desk/lang/vi?next=https://evil.example/")
	if loc := p.Header.Get("Location"); loc != "/desk" {
		t.Fatalf("switch to an outside address redirected to %q", loc)
	}
	expect(t, c.get("/desk/lang/fr"), http.StatusBadRequest, "unknown language")
}

func TestLoginMessages(t *testing.T) {
	e := newEnv(t, "sqlite")
	c := e.client()
	tok := c.csrf("/desk/login")
	p := c.post("/desk/login", url.Values{"username": {"phongvien"}, "password": {"sai mật khẩu"}, "csrf_token": {tok}})
	expect(t, p, http.StatusUnauthorized, "wrong password")
	if !strings.Contains(p.Body, "Sai tên đăng nhập hoặc mật khẩu") || !strings.Contains(p.Body, `value="phongvien"`) {
		t.Fatalf("wrong password page: %.800s", p.Body)
	}
	for i := 0; i < 6; i++ {
		p = c.post("/desk/login", url.Values{"username": {"bientap"}, "password": {"sai mật khẩu"}, "csrf_token": {tok}})
	}
	// Locked from this address after 5: even the right password gets the
	// wrong password's page, which tells nothing of the lock.
	p = c.post("/desk/login", url.Values{"username": {"bientap"}, "password": {testPassword}, "csrf_token": {tok}})
	expect(t, p, http.StatusUnauthorized, "locked name")
	if !strings.Contains(p.Body, "Sai tên đăng nhập hoặc mật khẩu") {
		t.Fatalf("lockout page: %.800s", p.Body)
	}
	// First login with a one-time password: the password page, and nothing else until changed.
	e.member("moi", user.RoleReporter, true)
	p = c.post("/desk/login", url.Values{"username": {"moi"}, "password": {testPassword}, "csrf_token": {tok}})
	expect(t, p, http.StatusSeeOther, "first login")
	if loc := p.Header.Get("Location"); loc != "/desk/password" {
		t.Fatalf("first login goes to %q", loc)
	}
	p = c.get("/desk/queue")
	if p.Code != http.StatusSeeOther || p.Header.Get("Location") != "/desk/password" {
		t.Fatalf("queue before the password change: %d %q", p.Code, p.Header.Get("Location"))
	}
	// (Not "mới": it folds to "moi", the username, which the policy refuses.)
	tok = c.csrf("/desk/password")
	p = c.post("/desk/password", url.Values{"current_password": {testPassword}, "new_password": {"Một-mật-khẩu-khác-2027!"}, "confirm_password": {"khác"}, "csrf_token": {tok}})
	expect(t, p, http.StatusBadRequest, "mismatched confirmation")
	p = c.post("/desk/password", url.Values{"current_password": {testPassword}, "new_password": {"Một-mật-khẩu-khác-2027!"}, "confirm_password": {"Một-mật-khẩu-khác-2027!"}, "csrf_token": {tok}})
	expect(t, p, http.StatusSeeOther, "password change")
	expect(t, c.get("/desk"), http.StatusOK, "my work after the change")
	// Logout ends the session.
	p = c.post("/desk/logout", url.Values{"csrf_token": {c.csrf("/desk")}})
	expect(t, p, http.StatusSeeOther, "logout")
	expect(t, c.get("/desk/queue"), http.StatusSeeOther, "queue after logout")
	// Failed logins from one address are throttled: 429, Retry-After, and a
	// message naming the problem.
	tok = c.csrf("/desk/login")
	for i := 0; i < 30; i++ {
		p = c.post("/desk/login", url.Values{"username": {"ai-" + strconv.Itoa(i)}, "password": {"sai"}, "csrf_token": {tok}})
	}
	expect(t, p, http.StatusTooManyRequests, "throttled")
	if p.Header.Get("Retry-After") == "" || !strings.Contains(p.Body, "Quá nhiều lần đăng nhập sai") {
		t.Fatalf("throttled page: %v %.800s", p.Header, p.Body)
	}
}

func TestWrongRoleActionIsForbidden(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		st := e.draft("Bài cần biên tập")
		e.transition("phongvien", st.ID, "submit", "")
		st = e.transition("bientap", st.ID, "claim", "")
		c := e.loggedIn("phongvien")
		tok := c.csrf("/desk/stories/" + st.ID)
		p := c.post("/desk/stories/"+st.ID+"/actions", url.Values{"action": {"approve"}, "csrf_token": {tok}})
		expect(t, p, http.StatusForbidden, "reporter approves")
		if !strings.Contains(p.Body, `role="alert"`) {
			t.Fatalf("no error message on the page: %.600s", p.Body)
		}
		if cur := e.current(st.ID); cur.State != workflow.InEdit || cur.Version != st.Version {
			t.Fatalf("story changed: %s v%d", cur.State, cur.Version)
		}
		// The reporter's page offers no approve button; the editor's does, as AllowedActions says.
		if strings.Contains(c.get("/desk/stories/"+st.ID).Body, `id="action-approve"`) {
			t.Fatal("reporter sees an approve button")
		}
		ed := e.loggedIn("bientap")
		body := ed.get("/desk/stories/" + st.ID).Body
		if !strings.Contains(body, `id="action-approve"`) || !strings.Contains(body, "Duyệt cấp 1") {
			t.Fatalf("editor lacks the approve level 1 button: %.300s", body)
		}
		// Rejecting needs a comment: the service says so on the page.
		p = ed.post("/desk/stories/"+st.ID+"/actions", url.Values{"action": {"reject"}, "csrf_token": {ed.csrf("/desk/stories/" + st.ID)}})
		expect(t, p, http.StatusBadRequest, "reject without comment")
		if cur := e.current(st.ID); cur.State != workflow.InEdit {
			t.Fatalf("reject without comment changed the state to %s", cur.State)
		}
	})
}

func TestBadInputKeepsData(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		c := e.loggedIn("phongvien")
		tok := c.csrf("/desk/stories/new")
		p := c.post("/desk/stories", url.Values{"section_id": {e.section.ID}, "headline": {"  "}, "sapo": {"Sapo giữ nguyên"}, "csrf_token": {tok}})
		expect(t, p, http.StatusBadRequest, "create with empty headline")
		if !strings.Contains(p.Body, "Tít bài không được để trống") || !strings.Contains(p.Body, "Sapo giữ nguyên") {
			t.Fatalf("form lacks the message or the typed sapo: %.1500s", p.Body)
		}
		items, _, _ := e.Stories.FindStories(t.Context(), e.members["phongvien"], story.Filter{})
		if len(items) != 0 {
			t.Fatalf("a story was created: %v", items)
		}
		st := e.draft("Tít ban đầu")
		tok = c.csrf("/desk/stories/" + st.ID)
		p = c.post("/desk/stories/"+st.ID, url.Values{"version": {strconv.Itoa(st.Version)}, "section_id": {e.section.ID}, "headline": {""},
			"sapo": {"Sapo mới"}, "body": {"<p>x</p>"}, "channels": {"web"}, "csrf_token": {tok}})
		expect(t, p, http.StatusBadRequest, "save with empty headline")
		if !strings.Contains(p.Body, "Tít bài không được để trống") || !strings.Contains(p.Body, "Sapo mới") {
			t.Fatalf("editor lacks the message or the typed sapo")
		}
		if cur := e.current(st.ID); cur.Headline != "Tít ban đầu" || cur.Version != st.Version || cur.Sapo != "" {
			t.Fatalf("story changed: %+v", cur)
		}
		// The JSON autosave: 428 without If-Match, 412 with a stale one (the saved version in the answer).
		auto := func(ifMatch string, headline string) page {
			return c.autosave("/desk/stories/"+st.ID, tok, ifMatch, map[string]any{"section_id": e.section.ID, "headline": headline, "sapo": "", "body": "<p>a</p>", "byline": "", "tags": "", "channels": []string{"web"}})
		}
		expect(t, auto("", "Tít mới"), http.StatusPreconditionRequired, "autosave without If-Match")
		p = auto(`"1"`, "Tít mới")
		expect(t, p, http.StatusOK, "autosave")
		p = auto(`"1"`, "Tít của người khác")
		expect(t, p, http.StatusPreconditionFailed, "stale autosave")
		var stale struct {
			Current struct {
				Version  int    `json:"version"`
				Headline string `json:"headline"`
			} `json:"current"`
		}
		if err := json.Unmarshal([]byte(p.Body), &stale); err != nil || stale.Current.Version != 2 || stale.Current.Headline != "Tít mới" {
			t.Fatalf("412 answer lacks the saved version: %s", p.Body)
		}
		expect(t, auto(`"2"`, ""), http.StatusBadRequest, "autosave with empty headline")
		if cur := e.current(st.ID); cur.Headline != "Tít mới" || cur.Version != 2 {
			t.Fatalf("story after refused saves: %q v%d", cur.Headline, cur.Version)
		}
		// Bad publish time and bad queue filters name the problem.
		expect(t, c.get("/desk/queue?state=lost"), http.StatusBadRequest, "unknown state filter")
	})
}

func TestQueueShowsStatesCountsAndLocks(t *testing.T) {
	e := newEnv(t, "sqlite")
	a := e.draft("Bài chờ duyệt")
	e.transition("phongvien", a.ID, "submit", "")
	b := e.draft("Bài chờ ký")
	e.transition("phongvien", b.ID, "submit", "")
	e.transition("bientap", b.ID, "claim", "")
	e.transition("bientap", b.ID, "approve", "")
	if _, err := e.Stories.AcquireLock(t.Context(), e.members["thuky"], b.ID, false); err != nil {
		t.Fatal(err)
	}
	c := e.loggedIn("bientap")
	p := c.get("/desk")
	if p.Code != http.StatusSeeOther || p.Header.Get("Location") != "/desk/queue" {
		t.Fatalf("editors land on %d %q", p.Code, p.Header.Get("Location"))
	}
	p = c.get("/desk/queue")
	expect(t, p, http.StatusOK, "queue")
	for _, want := range []string{"Bài chờ duyệt", "Bài chờ ký", "Chờ duyệt", "Chờ ký duyệt", "Đang được sửa bởi thuky", "Nháp", "Đã xuất bản", "Đã gỡ", "Hẹn giờ", "Đã duyệt", "Đang biên tập"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("queue lacks %q", want)
		}
	}
	if !regexp.MustCompile(`data-state="submitted">Chờ duyệt <b>1</b>`).MatchString(p.Body) ||
		!regexp.MustCompile(`data-state="awaiting_signoff">Chờ ký duyệt <b>1</b>`).MatchString(p.Body) {
		t.Errorf("counts per state wrong")
	}
	p = c.get("/desk/queue?state=submitted&section=" + e.section.ID)
	if !strings.Contains(p.Body, "Bài chờ duyệt") || strings.Contains(p.Body, ">Bài chờ ký<") {
		t.Errorf("state filter does not filter")
	}
}

// TestCatalogues: vi and en have the same keys; templates use only known
// keys; every state, action, role and channel has its name.
func TestCatalogues(t *testing.T) {
	read := func(lang string) map[string]string {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", "assets", "i18n", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		return m
	}
	vi, en := read("vi"), read("en")
	for k := range vi {
		if _, ok := en[k]; !ok {
			t.Errorf("en.json lacks %q", k)
		}
	}
	for k := range en {
		if _, ok := vi[k]; !ok {
			t.Errorf("vi.json lacks %q", k)
		}
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "assets", "templates", "desk", "*.html"))
	gofiles, _ := filepath.Glob("*.go")
	keyRe := regexp.MustCompile(`(?:\{\{|\()t "([^"]+)"|h\.tr\(c, "([^"]+)"[,)]`)
	used := 0
	for _, f := range append(files, gofiles...) {
		b, _ := os.ReadFile(f)
		for _, m := range keyRe.FindAllStringSubmatch(string(b), -1) {
			k := m[1] + m[2]
			used++
			if _, ok := vi[k]; !ok {
				t.Errorf("%s uses unknown key %q", f, k)
			}
		}
	}
	if used < 50 {
		t.Fatalf("found only %d key uses: the scan is broken", used)
	}
	var need []string
	for _, s := range workflow.States {
		need = append(need, "state."+string(s))
	}
	need = append(need, "state.awaiting_signoff")
	for _, a := range workflow.Actions {
		need = append(need, "action."+string(a))
	}
	for _, r := range user.Roles {
		need = append(need, "role."+string(r))
	}
	for _, ch := range story.Channels {
		need = append(need, "channel."+string(ch))
	}
	for _, tr := range workflow.Table {
		if tr.NeedsComment {
			need = append(need, "comment."+string(tr.Action))
		}
	}
	for _, k := range need {
		if _, ok := vi[k]; !ok {
			t.Errorf("catalogue lacks %q", k)
		}
	}
	if vi["state.submitted"] != "Chờ duyệt" || vi["state.awaiting_signoff"] != "Chờ ký duyệt" || vi["state.killed"] != "Đã gỡ" {
		t.Errorf("Vietnamese state names differ from the newsroom's")
	}
}

// TestDeskStaticNoListing: /desk/static/ serves its files as before and never
// lists a folder: the folder itself and every sub-folder, with or without the
// trailing slash, answer 404 with the desk's error page, as a missing file does.
func TestDeskStaticNoListing(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		c := e.client()
		for _, p := range []string{"/desk/static/", "/desk/static", "/desk/static/desk", "/desk/static/desk/", "/desk/static/vendor",
			"/desk/static/vendor/trix/", "/desk/static/khong-co.js", "/desk/static/../go.mod", "/desk/static//desk/"} {
			a := c.get(p)
			if a.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404: %.300s", p, a.Code, a.Body)
			}
			if strings.Contains(a.Body, `<a href="desk/">`) || strings.Contains(a.Body, `<a href="desk.js">`) || strings.Contains(a.Body, `<a href="trix/">`) {
				t.Errorf("GET %s lists the folder: %.300s", p, a.Body)
			}
			if p != "/desk/static" && !strings.Contains(a.Body, "Không có tệp này.") {
				t.Errorf("GET %s: not the desk's error page: %.300s", p, a.Body)
			}
		}
		for p, ctype := range map[string]string{"/desk/static/desk/desk.js": "javascript", "/desk/static/desk/desk.css": "text/css"} {
			a := c.get(p)
			if a.Code != http.StatusOK || !strings.Contains(a.Header.Get("Content-Type"), ctype) || a.Header.Get("Cache-Control") != "public, max-age=3600" || a.Body == "" {
				t.Errorf("GET %s = %d %v", p, a.Code, a.Header)
			}
		}
	})
}
