package desk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// chromiumPath is Debian's Chromium (scripts/test.sh installs it);
// NEWSROOM_CHROMIUM overrides it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv("NEWSROOM_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium not found at %s (apt-get install -y chromium): %v", p, err)
		}
		t.Skipf("Chromium not found at %s (apt-get install -y chromium)", p)
	}
	return p
}

// browser is one headless Chromium with a profile of its own (its own cookies).
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	name string
}

func newBrowser(t *testing.T, base, name string) *browser {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx, base: base, name: name}
}

// do runs steps with a time limit.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %s: %v", b.name, what, err)
	}
}

// eval evaluates JavaScript and decodes its value.
func eval[T any](b *browser, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("%s: eval %s: %v", b.name, js, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it is true, across page loads.
func (b *browser) waitFor(what, js string) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("Boolean("+js+")"))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.shot("timeout-" + strings.ReplaceAll(what, " ", "-"))
	body := eval[string](b, "document.body ? document.body.innerText.slice(0, 1500) : ''")
	b.t.Fatalf("%s: waiting for %s (%s) timed out; page %s:\n%s", b.name, what, js, eval[string](b, "location.href"), body)
}

var shotN = 0

// shot saves a screenshot under test-output/desk/ for a person to look at.
func (b *browser) shot(name string) {
	dir := filepath.Join("..", "..", "..", "test-output", "desk")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("screenshot dir: %v", err)
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	shotN++
	test, _, _ := strings.Cut(b.t.Name(), "/")
	test = strings.TrimPrefix(test, "TestBrowser")
	if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%02d-%s-%s.png", test, shotN, b.name, name)), png, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

// open navigates and marks the page, so that waitForLoad can tell the next one from it.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path))
}

// click clicks and waits for the page it leads to (a form post and its redirect).
func (b *browser) click(sel, wantURL string) {
	b.t.Helper()
	b.do("mark page", chromedp.Evaluate[chromedp.Void]("window.__deskOld = true"))
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	b.waitFor("page after "+sel, fmt.Sprintf("!window.__deskOld && document.readyState === 'complete' && location.href.includes(%q)", wantURL))
}

func (b *browser) login(username string) {
	b.t.Helper()
	b.open("/desk/login")
	b.do("login form",
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
	)
	b.click(`form[action="/desk/login"] button[type=submit]`, "/desk")
}

func (b *browser) logout() {
	b.t.Helper()
	b.click(`form[action="/desk/logout"] button`, "/desk/login")
}

// testJPEG writes a photo big enough for several upload progress events.
func testJPEG(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 1600, 1000))
	for y := 0; y < 1000; y++ {
		for x := 0; x < 1600; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 7 % 256), uint8((x*y + y) % 256), uint8(y * 3 % 256), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "lua-chin-hung-yen.jpg")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestBrowserNewsroomFlow is the whole day in a browser, in Vietnamese:
// reporter → editor → editor-in-chief → published, on a section that needs
// two signatures.
func TestBrowserNewsroomFlow(t *testing.T) {
	chromiumPath(t)
	e := newEnv(t, "sqlite")
	reporter := newBrowser(t, e.srv.URL, "phongvien")
	desk := newBrowser(t, e.srv.URL, "desk")
	headline := "Đường về Hưng Yên mùa lúa chín"
	sapo := "Những cánh đồng vàng óng ả ở Khoái Châu đón mùa gặt sớm."
	bodyText := "Người dân phấn khởi vì được mùa, được giá. Ông Nguyễn Văn Tư cho biết năng suất đạt 70 tạ/ha."
	var storyID string

	t.Run("reporter writes, uploads a photo and submits", func(t *testing.T) {
		reporter.t = t
		reporter.login("phongvien")
		reporter.waitFor("my work", `document.querySelector('h1') && document.querySelector('h1').textContent === 'Việc của tôi'`)
		reporter.shot("my-work")
		reporter.open("/desk/stories/new")
		reporter.do("write the story",
			chromedp.WaitVisible(chromedp.CSS("trix-editor")),
			chromedp.SetValue(chromedp.CSS("#section_id"), e.section.ID),
			chromedp.SendKeys(chromedp.CSS("#headline"), headline),
			chromedp.SendKeys(chromedp.CSS("#sapo"), sapo),
			chromedp.Click(chromedp.CSS("trix-editor")),
			chromedp.SendKeys(chromedp.CSS("trix-editor"), bodyText),
		)
		// Trix's run-time stylesheets passed the CSP with the page's nonce
		// (a blocked <style> has no sheet).
		if !eval[bool](reporter, `(() => { const s = [...document.querySelectorAll('style[data-tag-name]')]; return s.length > 0 && s.every(e => e.sheet && e.sheet.cssRules.length > 0) })()`) {
			t.Errorf("Trix's injected styles are blocked by the CSP")
		}
		if got := eval[string](reporter, `document.getElementById('headline-count').textContent`); got != fmt.Sprintf("%d/300 ký tự", len([]rune(headline))) {
			t.Errorf("headline count shows %q", got)
		}
		reporter.shot("new-story")
		reporter.click(`#new-form button[type=submit]`, "ok=created")
		storyID = eval[string](reporter, `document.getElementById('story-form').dataset.story`)
		st := e.current(storyID)
		if st.Headline != headline || st.Sapo != sapo || !strings.Contains(st.Body, "Người dân phấn khởi") {
			t.Fatalf("stored story: %q / %q / %q", st.Headline, st.Sapo, st.Body)
		}

		reporter.do("choose the photo", chromedp.SetUploadFiles(chromedp.CSS("#file-input"), []string{testJPEG(t)}))
		reporter.waitFor("upload complete", `document.querySelector('#uploads li.done progress') && document.querySelector('#uploads li.done progress').value === 100`)
		if got := eval[string](reporter, `document.querySelector('#uploads li.done .u-status').textContent`); !strings.HasPrefix(got, "Đã tải lên") {
			t.Errorf("upload status %q", got)
		}
		reporter.shot("photo-uploaded")
		reporter.do("describe the photo",
			chromedp.SendKeys(chromedp.CSS("#asset-list .asset .a-caption"), "Lúa chín ở Khoái Châu"),
			chromedp.SendKeys(chromedp.CSS("#asset-list .asset .a-credit"), "Trần Hòa"),
			chromedp.SendKeys(chromedp.CSS("#asset-list .asset .a-alt"), "Cánh đồng lúa chín vàng"),
			chromedp.Click(chromedp.CSS("#asset-list .asset .a-save")),
		)
		reporter.waitFor("photo details saved", `document.querySelector('#asset-list .asset .a-status').textContent === 'Đã lưu'`)
		reporter.waitFor("autosave attaches the photo", `document.getElementById('save-status').textContent.startsWith('Đã lưu lúc')`)
		atts, err := e.Assets.FindStoryAssets(t.Context(), storyID)
		if err != nil || len(atts) != 1 || atts[0].Role != "featured" || atts[0].Asset.Credit != "Trần Hòa" {
			t.Fatalf("story assets: %+v %v", atts, err)
		}
		reporter.shot("editor")
		reporter.click("#action-submit", "ok=submit")
		e.wantState(t, storyID, workflow.Submitted, "after submit")
	})
	if t.Failed() {
		return
	}

	t.Run("editor returns it with a comment", func(t *testing.T) {
		desk.t = t
		desk.login("bientap")
		desk.waitFor("queue", `location.pathname === '/desk/queue' && document.body.innerText.includes(`+jsString(headline)+`)`)
		desk.shot("queue")
		desk.open("/desk/stories/" + storyID)
		desk.click("#action-claim", "ok=claim")
		desk.do("write the reason", chromedp.SendKeys(chromedp.CSS("#comment-reject"), "Cần bổ sung nguồn tin từ Sở Nông nghiệp."))
		desk.click("#action-reject", "ok=reject")
		e.wantState(t, storyID, workflow.Draft, "after reject")
	})
	if t.Failed() {
		return
	}

	t.Run("reporter sees the comment, fixes and resubmits", func(t *testing.T) {
		reporter.t = t
		reporter.open("/desk")
		reporter.waitFor("returned story", `document.querySelector('.story.returned .returned-note') && document.querySelector('.story.returned .returned-note').textContent.includes('Sở Nông nghiệp')`)
		reporter.shot("returned")
		reporter.open("/desk/stories/" + storyID)
		reporter.do("fix the sapo", chromedp.WaitVisible(chromedp.CSS("#sapo")), chromedp.SendKeys(chromedp.CSS("#sapo"), " Theo Sở Nông nghiệp, sản lượng tăng 5%."))
		reporter.click("#action-submit", "ok=submit")
		st := e.current(storyID)
		if st.State != workflow.Submitted || !strings.Contains(st.Sapo, "Theo Sở Nông nghiệp") {
			t.Fatalf("after resubmit: %s %q", st.State, st.Sapo)
		}
	})
	if t.Failed() {
		return
	}

	t.Run("two signatures, then published", func(t *testing.T) {
		desk.t = t
		desk.open("/desk/stories/" + storyID)
		desk.click("#action-claim", "ok=claim")
		if got := eval[string](desk, `document.getElementById('action-approve').textContent`); got != "Duyệt cấp 1" {
			t.Errorf("approve button says %q", got)
		}
		desk.click("#action-approve", "ok=approve")
		e.wantState(t, storyID, workflow.InEdit, "after level 1")
		desk.logout()
		desk.login("tongbientap")
		desk.open("/desk/stories/" + storyID)
		desk.waitFor("awaiting sign-off", `document.getElementById('story-state').textContent === 'Chờ ký duyệt'`)
		if got := eval[string](desk, `document.getElementById('action-approve').textContent`); got != "Duyệt cấp 2" {
			t.Errorf("approve button says %q", got)
		}
		desk.shot("awaiting-signoff")
		desk.click("#action-approve", "ok=approve")
		e.wantState(t, storyID, workflow.Approved, "after level 2")
		desk.click("#action-publish", "ok=publish")
		e.wantState(t, storyID, workflow.Published, "after publish")
		desk.shot("published")
		public := eval[string](desk, `document.getElementById('public-link').getAttribute('href')`)
		if !strings.HasSuffix(public, ".html") {
			t.Fatalf("public link %q", public)
		}
		desk.open(public)
		desk.waitFor("public article", `document.querySelector('article h1') && document.querySelector('article h1').textContent === `+jsString(headline))
		if !eval[bool](desk, `document.body.innerText.includes('Người dân phấn khởi') && !!document.querySelector('figure.featured img')`) {
			t.Errorf("public page lacks the body or the photo")
		}
		desk.shot("public-page")
	})
}

// TestBrowserEditConflict: two browsers edit the same story; the second to
// save gets the conflict dialog with both versions, and nothing is lost.
func TestBrowserEditConflict(t *testing.T) {
	chromiumPath(t)
	e := newEnv(t, "sqlite")
	st := e.draft("Bản tin sáng")
	a := newBrowser(t, e.srv.URL, "laptop")
	b := newBrowser(t, e.srv.URL, "phone")
	for _, br := range []*browser{a, b} {
		br.login("phongvien")
		br.open("/desk/stories/" + st.ID)
		br.do("editor", chromedp.WaitVisible(chromedp.CSS("#headline")))
	}
	a.do("edit headline", chromedp.SendKeys(chromedp.CSS("#headline"), " cập nhật"))
	a.waitFor("first save", `document.getElementById('save-status').textContent.startsWith('Đã lưu lúc')`)
	saved := strings.TrimSpace(eval[string](a, `document.getElementById('headline').value`))
	if !strings.Contains(saved, "cập nhật") {
		t.Fatalf("headline typed in the first browser: %q", saved)
	}
	b.do("edit sapo", chromedp.SendKeys(chromedp.CSS("#sapo"), "Sapo viết trên điện thoại."))
	b.waitFor("conflict dialog", `document.getElementById('conflict').open`)
	if got := eval[string](b, `document.querySelector('#conflict-theirs .v-headline').textContent`); got != saved {
		t.Errorf("saved version in the dialog: %q", got)
	}
	if got := eval[string](b, `document.querySelector('#conflict-mine .v-sapo').textContent`); got != "Sapo viết trên điện thoại." {
		t.Errorf("own version in the dialog: %q", got)
	}
	b.shot("conflict")
	if cur := e.current(st.ID); cur.Version != 2 || cur.Sapo != "" || cur.Headline != saved {
		t.Fatalf("the second save overwrote silently: v%d %q %q", cur.Version, cur.Headline, cur.Sapo)
	}
	// Keep mine: an explicit overwrite on top of the version shown.
	b.do("keep mine", chromedp.Click(chromedp.CSS("#conflict-keep")))
	b.waitFor("saved after keep mine", `!document.getElementById('conflict').open && document.getElementById('save-status').textContent.startsWith('Đã lưu lúc')`)
	if cur := e.current(st.ID); cur.Version != 3 || cur.Sapo != "Sapo viết trên điện thoại." {
		t.Fatalf("after keep mine: v%d %q", cur.Version, cur.Sapo)
	}
}
