package desk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/newsroom-vn/newsroom/internal/broadcast"
)

// TestBrowserRundownReorder: a producer reorders a rundown by drag and drop
// (DragEvents dispatched on the rows: headless Chromium does not synthesise
// native drags reliably), the timings update without a reload, the keyboard
// buttons work as well, and the prompter open in a second tab follows live.
func TestBrowserRundownReorder(t *testing.T) {
	chromiumPath(t)
	e := newEnv(t, "sqlite")
	f := newBcFixture(t, e)
	ctx := context.Background()
	v, err := e.Broadcast.InsertItem(ctx, f.producer, f.tv.ID, broadcast.ItemInput{Kind: "story", StoryID: f.tvStory.ID}, 1)
	if err != nil {
		t.Fatal(err)
	}
	weather, secs, script := "Thời tiết cuối tuần", 45, "Cuối tuần này trời nắng đẹp ở Bắc Bộ."
	if v, err = e.Broadcast.InsertItem(ctx, f.producer, f.tv.ID, broadcast.ItemInput{Kind: "weather", Title: &weather, PlannedSeconds: &secs, Script: &script}, v.Version); err != nil {
		t.Fatal(err)
	}
	jingle, js := "Nhạc hiệu", 10
	if _, err = e.Broadcast.InsertItem(ctx, f.producer, f.tv.ID, broadcast.ItemInput{Kind: "jingle", Title: &jingle, PlannedSeconds: &js}, v.Version); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, e.srv.URL, "sanxuat")
	b.login("sanxuat")
	rd := "/desk/rundowns/" + f.tv.ID
	b.open(rd)
	b.waitFor("rundown table", `document.querySelectorAll('#rd-items tr.rd-item').length === 3`)
	b.shot("rundown")

	// The prompter in a second tab of the same browser (same session).
	tabCtx, cancelTab := chromedp.NewContext(b.ctx)
	defer cancelTab()
	// The first run opens the tab; like the browser's, it must not carry a timeout.
	if err := chromedp.Do(tabCtx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("open a second tab: %v", err)
	}
	p := &browser{t: t, ctx: tabCtx, base: b.base, name: "prompter"}
	p.open(rd + "/prompter")
	p.waitFor("prompter text", `document.querySelector('.p-item .p-slug') && document.querySelector('.p-item .p-slug').textContent.includes('Mùa lúa chín')`)
	if !eval[bool](p, `document.body.innerText.includes(`+jsString(anchorScript)+`) && !document.body.innerText.includes(`+jsString(sotScript)+`)`) {
		t.Errorf("prompter shows the SOT transcript or lacks the anchor text")
	}
	p.do("mirror and larger type", chromedp.Evaluate[chromedp.Void](`document.dispatchEvent(new KeyboardEvent('keydown', {key: 'm', bubbles: true})); document.getElementById('p-bigger').click()`))
	if !eval[bool](p, `document.body.classList.contains('mirrored') && getComputedStyle(document.querySelector('.p-text')).transform !== 'none'`) {
		t.Errorf("mirror mode is not applied")
	}
	p.shot("prompter-before")
	p.do("unmirror", chromedp.Evaluate[chromedp.Void](`document.getElementById('p-mirror').click()`))
	p.do("mark the prompter page", chromedp.Evaluate[chromedp.Void](`window.__sameProm = true`))

	// Drag the jingle (row 3) onto row 1.
	b.do("drag and drop", chromedp.Evaluate[chromedp.Void](`(function () {
		var rows = document.querySelectorAll('#rd-items tr.rd-item');
		var src = rows[2], dst = rows[0], dt = new DataTransfer();
		src.dispatchEvent(new DragEvent('dragstart', {bubbles: true, cancelable: true, dataTransfer: dt}));
		dst.dispatchEvent(new DragEvent('dragenter', {bubbles: true, cancelable: true, dataTransfer: dt}));
		dst.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: dt}));
		dst.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt}));
		src.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: dt}));
	})()`))
	b.waitFor("reordered table", `document.querySelector('#rd-items tr.rd-item .title').textContent.includes('Nhạc hiệu') && document.getElementById('rundown').dataset.version === '5'`)
	// Timings moved with it: the jingle starts at 06:00:00, the story 10 s later.
	if got := eval[string](b, `document.querySelectorAll('#rd-items tr.rd-item td.front')[1].textContent`); got != "06:00:10" {
		t.Errorf("front time of the story after the jingle: %q", got)
	}
	if !eval[bool](b, `window.performance.getEntriesByType('navigation').length === 1 && !!document.getElementById('rd-status').textContent`) {
		t.Errorf("no status after the move")
	}
	if rv := e.rundown(f.tv.ID); rv.Items[0].Title != jingle || rv.Version != 5 {
		t.Fatalf("stored order: first %q, v%d", rv.Items[0].Title, rv.Version)
	}
	b.shot("after-drag")

	// The prompter follows without a reload.
	p.waitFor("prompter updated", `window.__sameProm && document.querySelector('.p-item .p-slug').textContent.includes('Nhạc hiệu')`)
	p.shot("prompter-after")

	// Keyboard fallback: the ↓ button of the first row moves it down; focus follows.
	b.do("move down by keyboard", chromedp.Focus(chromedp.CSS(`#rd-items tr.rd-item:first-child .rd-down`)), chromedp.KeyEvent("\r"))
	b.waitFor("moved down", `document.querySelectorAll('#rd-items tr.rd-item .title')[1].textContent.includes('Nhạc hiệu') && document.getElementById('rundown').dataset.version === '6'`)
	if got := eval[string](b, `document.activeElement && document.activeElement.closest('tr') ? document.activeElement.closest('tr').dataset.pos : ''`); got != "2" {
		t.Errorf("focus after the keyboard move is on row %q, want 2", got)
	}

	// Someone else changes the rundown: the page's next move is stale, reloads and says so.
	rv := e.rundown(f.tv.ID)
	pos := 1
	if _, err := e.Broadcast.UpdateItem(ctx, f.producer, f.tv.ID, rv.Items[2].ID, broadcast.ItemChange{Position: &pos}, rv.Version); err != nil {
		t.Fatal(err)
	}
	// Send the stale move straight away, before the live update lands.
	b.do("stale move", chromedp.Evaluate[chromedp.Void](`window.deskRundown.move(document.querySelector('#rd-items tr.rd-item').dataset.item, 3)`))
	b.waitFor("stale message", `document.getElementById('rd-status').classList.contains('error') || document.getElementById('rundown').dataset.version === '7'`)
	b.shot("after-stale")
	if rv := e.rundown(f.tv.ID); rv.Version != 7 && rv.Version != 8 {
		t.Errorf("rundown version %d after the stale move", rv.Version)
	}
	if !strings.Contains(eval[string](b, `document.getElementById('rundown').innerText`), "Thời tiết cuối tuần") {
		t.Errorf("rundown lost its items")
	}
}
