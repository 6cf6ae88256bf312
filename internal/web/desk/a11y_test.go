package desk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// axeViolation is what the test reports of an axe-core violation.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeCheck injects the vendored axe-core (never served by the desk) into the
// page and returns its critical and serious violations (WCAG 2.1 A and AA,
// and best practices).
func (b *browser) axeCheck(src string) []axeViolation {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](src+"\n;true")); err != nil {
		b.t.Fatalf("inject axe-core: %v", err)
	}
	js := `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}}).then(r =>
		JSON.stringify({passes: r.passes.length, violations: r.violations.filter(v => v.impact === 'critical' || v.impact === 'serious').map(v => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\s+/g, ' '))}))}))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe.run: %v", err)
	}
	var res struct {
		Passes     int            `json:"passes"`
		Violations []axeViolation `json:"violations"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		b.t.Fatalf("axe result %q: %v", out, err)
	}
	if res.Passes < 10 {
		b.t.Fatalf("axe-core checked only %d rules: it did not run on the page", res.Passes)
	}
	b.t.Logf("%s: axe-core: %d rules passed, %d critical or serious violations", eval[string](b, "location.pathname"), res.Passes, len(res.Violations))
	return res.Violations
}

// TestBrowserAccessibility runs axe-core on the main desk pages and fails on
// any critical or serious violation.
func TestBrowserAccessibility(t *testing.T) {
	chromiumPath(t)
	src, err := os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, "sqlite")
	st := e.draft("Kiểm tra trợ năng")
	h2, body2 := "Kiểm tra trợ năng cho bàn biên tập", "<p>Nội dung đã sửa.</p>"
	if _, err := e.Stories.UpdateStory(t.Context(), e.members["phongvien"], st.ID, story.Content{Headline: &h2, Body: &body2}, st.Version); err != nil {
		t.Fatal(err)
	}
	check := func(b *browser, what, path, ready string) {
		t.Helper()
		b.open(path)
		b.waitFor(what, ready)
		if vs := b.axeCheck(string(src)); len(vs) > 0 {
			b.shot("axe-" + what)
			for _, v := range vs {
				t.Errorf("%s (%s): %s [%s] %s: %s", what, path, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, " | "))
			}
		}
	}
	anon := newBrowser(t, e.srv.URL, "anon")
	check(anon, "login", "/desk/login", `document.getElementById('username')`)
	rep := newBrowser(t, e.srv.URL, "phongvien")
	rep.login("phongvien")
	check(rep, "my-work", "/desk", `document.querySelector('h1')`)
	check(rep, "editor", "/desk/stories/"+st.ID, `document.querySelector('trix-editor') && document.querySelector('trix-toolbar')`)
	check(rep, "revisions", "/desk/stories/"+st.ID+"/revisions?from=1&to=2", `document.getElementById('diff')`)
	check(rep, "my-sessions", "/desk/me/sessions", `document.querySelector('.subnav')`)
	check(rep, "my-tokens", "/desk/me/tokens", `document.querySelector('.subnav')`)
	ed := newBrowser(t, e.srv.URL, "bientap")
	ed.login("bientap")
	check(ed, "queue", "/desk/queue", `document.querySelector('table.queue')`)
	check(ed, "search", "/desk/search?q=tro+nang", `document.querySelector('h1')`)
	ad := newBrowser(t, e.srv.URL, "quantri")
	ad.login("quantri")
	for _, p := range []string{"users", "sections", "keys", "tokens", "targets", "security"} {
		check(ad, "admin-"+p, "/desk/admin/"+p, `document.querySelector('.subnav')`)
	}
}

// tabTo presses Tab until the focused element matches sel (keyboard only: the
// page is read, never clicked).
func (b *browser) tabTo(sel string) {
	b.t.Helper()
	for i := 0; i < 200; i++ {
		if eval[bool](b, fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, sel)) {
			return
		}
		b.do("tab", chromedp.KeyEvent("\t"))
	}
	b.shot("tab-" + sel)
	b.t.Fatalf("%s: Tab never reached %s", b.name, sel)
}

// TestBrowserKeyboardOnly: log in and submit a story with the keyboard
// alone (Tab, typing, Enter).
func TestBrowserKeyboardOnly(t *testing.T) {
	chromiumPath(t)
	e := newEnv(t, "sqlite")
	st := e.draft("Bài gửi bằng bàn phím")
	b := newBrowser(t, e.srv.URL, "keyboard")
	b.open("/desk/login")
	b.waitFor("login form", `document.activeElement && document.activeElement.id === 'username'`) // autofocus
	b.do("type username", chromedp.KeyEvent("phongvien"))
	b.tabTo("#password")
	b.do("type password", chromedp.KeyEvent(testPassword))
	b.do("mark page", chromedp.Evaluate[chromedp.Void]("window.__deskOld = true"))
	b.do("enter", chromedp.KeyEvent("\r"))
	b.waitFor("my work", `!window.__deskOld && location.pathname === '/desk' && document.readyState === 'complete'`)
	b.tabTo(`a[href="/desk/stories/` + st.ID + `"]`)
	b.do("mark page", chromedp.Evaluate[chromedp.Void]("window.__deskOld = true"))
	b.do("open the story", chromedp.KeyEvent("\r"))
	b.waitFor("editor", `!window.__deskOld && document.getElementById('action-submit')`)
	b.tabTo("#action-submit")
	b.shot("submit-focused")
	b.do("mark page", chromedp.Evaluate[chromedp.Void]("window.__deskOld = true"))
	b.do("submit", chromedp.KeyEvent("\r"))
	b.waitFor("submitted", `!window.__deskOld && location.search.includes('ok=submit')`)
	e.wantState(t, st.ID, workflow.Submitted, "after the keyboard submit")
}

// TestBrowserAdminDiffDistribution: an admin creates an account and is
// refused an internal target address; the revision diff and the
// distribution panel with a retry, with screenshots.
func TestBrowserAdminDiffDistribution(t *testing.T) {
	chromiumPath(t)
	e := newEnv(t, "sqlite")
	ad := newBrowser(t, e.srv.URL, "quantri")
	ad.login("quantri")
	ad.open("/desk/admin/users")
	ad.do("new account",
		chromedp.WaitVisible(chromedp.CSS("#nu-username")),
		chromedp.SendKeys(chromedp.CSS("#nu-username"), "bientap2"),
		chromedp.SendKeys(chromedp.CSS("#nu-display"), "Trần Văn Biên"),
		chromedp.SetValue(chromedp.CSS("#nu-role"), "editor"),
	)
	ad.shot("users")
	ad.click(`#new-user button[type=submit]`, "/desk/admin/users")
	ad.waitFor("one-time password", `document.getElementById('secret-value') && document.getElementById('secret-value').value.length >= 12`)
	ad.shot("one-time-password")
	ad.open("/desk/admin/targets")
	ad.do("internal target",
		chromedp.WaitVisible(chromedp.CSS("#tg-name-new")),
		chromedp.SendKeys(chromedp.CSS("#tg-name-new"), "Máy nội bộ"),
		chromedp.SendKeys(chromedp.CSS("#tg-url-new"), "http://127.0.0.1:6379/"),
	)
	ad.click(`#new-target button[type=submit]`, "/desk/admin/targets")
	ad.waitFor("SSRF refusal", `document.getElementById('page-error') && document.getElementById('page-error').textContent.includes('SSRF')`)
	ad.shot("target-refused")
	ts, _ := e.Distribution.FindTargets(t.Context(), e.members["quantri"])
	if len(ts) != 0 {
		t.Fatalf("internal target created: %+v", ts)
	}

	name, kind, hook, off := "Báo đối tác", "webhook", "http://localhost:9/hook", false
	tg, err := e.Distribution.CreateTarget(t.Context(), e.members["quantri"], distribution.TargetInput{Name: &name, Kind: &kind, URL: &hook})
	if err != nil {
		t.Fatal(err)
	}
	st := e.published("Giá lúa tăng mạnh")
	e.deliverAll(st.ID)
	if _, err := e.Distribution.UpdateTarget(t.Context(), e.members["quantri"], tg.ID, distribution.TargetInput{Active: &off}); err != nil {
		t.Fatal(err)
	}
	dead := e.deliverAll(st.ID)[name]
	chief := newBrowser(t, e.srv.URL, "tongbientap")
	chief.login("tongbientap")
	chief.open("/desk/stories/" + st.ID + "/revisions")
	chief.waitFor("diff", `document.querySelector('#diff ins, #diff del')`)
	chief.do("pick revisions 1 and the latest", chromedp.Click(chromedp.CSS("#from-1")))
	chief.click("#rev-compare", "from=1")
	chief.waitFor("diff from 1", `document.getElementById('h-diff').textContent.includes('phiên bản 1 và')`)
	chief.shot("revision-diff")
	chief.open("/desk/stories/" + st.ID + "/distribution")
	chief.waitFor("panel", `document.querySelector('tr[data-state="dead"]')`)
	chief.do("open attempts", chromedp.Click(chromedp.CSS(`tr[data-delivery="`+dead.ID+`"] + tr summary`)))
	chief.shot("distribution-dead")
	chief.click("#retry-"+dead.ID, "ok=retry")
	chief.waitFor("pending", `document.querySelector('tr[data-delivery="`+dead.ID+`"]').dataset.state === 'pending'`)
	chief.shot("distribution-retried")
}
