package desk_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// published takes a new story through both signatures to published.
func (e *env) published(headline string) *story.Story {
	e.t.Helper()
	st := e.draft(headline)
	e.transition("phongvien", st.ID, "submit", "")
	e.transition("bientap", st.ID, "claim", "")
	e.transition("bientap", st.ID, "approve", "")
	e.transition("tongbientap", st.ID, "approve", "")
	return e.transition("tongbientap", st.ID, "publish", "")
}

// deliverAll makes one attempt at each of the story's deliveries and returns them by channel or target name.
func (e *env) deliverAll(storyID string) map[string]distribution.Delivery {
	e.t.Helper()
	ds, err := e.Distribution.StoryDistribution(e.t.Context(), e.members["quantri"], storyID)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]distribution.Delivery{}
	for _, d := range ds {
		_, _ = e.Distribution.Deliver(e.t.Context(), d.ID)
	}
	ds, _ = e.Distribution.StoryDistribution(e.t.Context(), e.members["quantri"], storyID)
	for _, d := range ds {
		out[d.Channel+d.TargetName] = d
	}
	return out
}

func TestDistributionPanel(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		admin := e.members["quantri"]
		name, kind, hook := "Báo đối tác", "webhook", "http://localhost:9/hook" // a name: refused by the SSRF guard when dialled
		tg, err := e.Distribution.CreateTarget(t.Context(), admin, distribution.TargetInput{Name: &name, Kind: &kind, URL: &hook})
		if err != nil {
			t.Fatal(err)
		}
		st := e.published("Giá lúa tăng mạnh")
		ds := e.deliverAll(st.ID)
		if ds["web"].State != distribution.StateDelivered || ds[name].State != distribution.StateRetrying || ds[name].LastError == "" {
			t.Fatalf("deliveries after one attempt: %+v", ds)
		}
		c := e.loggedIn("thuky")
		path := "/desk/stories/" + st.ID + "/distribution"
		p := c.get(path)
		expect(t, p, http.StatusOK, "distribution panel")
		has(t, p, "panel", "Báo điện tử", "Đã gửi", name, "Đang thử lại", "address refused by the SSRF guard", "Các lần gửi (1)")
		if strings.Contains(p.Body, `id="retry-`+ds[name].ID+`"`) {
			t.Fatal("a retrying delivery offers a retry button (the queue still has it)")
		}
		// Switch the target off: the next attempt makes the delivery dead.
		off := false
		if _, err := e.Distribution.UpdateTarget(t.Context(), admin, tg.ID, distribution.TargetInput{Active: &off}); err != nil {
			t.Fatal(err)
		}
		dead := e.deliverAll(st.ID)[name]
		if dead.State != distribution.StateDead {
			t.Fatalf("after the target was switched off: %s", dead.State)
		}
		p = c.get(path)
		has(t, p, "dead", "Thất bại", `id="retry-`+dead.ID+`"`, "target inactive")
		// Retry: CSRF required; a reporter may not; the managing editor may.
		expect(t, c.post("/desk/deliveries/"+dead.ID+"/retry", url.Values{"story": {st.ID}}), http.StatusForbidden, "retry without CSRF")
		rep := e.loggedIn("phongvien")
		if rg := rep.get(path); strings.Contains(rg.Body, `id="retry-`+dead.ID+`"`) {
			t.Error("a reporter is offered the retry button (only those who may redeliver see it)")
		}
		rp := rep.post("/desk/deliveries/"+dead.ID+"/retry", url.Values{"story": {st.ID}, "csrf_token": {rep.csrf(path)}})
		expect(t, rp, http.StatusForbidden, "reporter retries")
		has(t, rp, "reporter retry", "Chỉ thư ký tòa soạn, tổng biên tập hoặc quản trị viên", "Thất bại")
		all, _ := e.Distribution.StoryDistribution(t.Context(), admin, st.ID)
		for _, d := range all {
			if d.ID == dead.ID && d.State != distribution.StateDead {
				t.Fatalf("refused retry changed the delivery: %s", d.State)
			}
		}
		p = c.post("/desk/deliveries/"+dead.ID+"/retry", url.Values{"story": {st.ID}, "csrf_token": {c.csrf(path)}})
		expect(t, p, http.StatusSeeOther, "retry")
		if loc := p.Header.Get("Location"); loc != path+"?ok=retry" {
			t.Fatalf("retry redirects to %q", loc)
		}
		has(t, c.get(path+"?ok=retry"), "after retry", "Đã xếp lượt gửi lại.", "Đang chờ gửi")
		// A delivery id that is not one: a clear 400.
		p = c.post("/desk/deliveries/khong-phai-uuid/retry", url.Values{"story": {st.ID}, "csrf_token": {c.csrf(path)}})
		expect(t, p, http.StatusBadRequest, "bad delivery id")
		has(t, p, "bad id", "không phải UUID")
	})
}

func TestRevisionDiff(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		st := e.draft("Mưa lớn ở Hà Nội")
		h2, body2 := "Mưa rất lớn ở Hà Nội", "<p>Nội dung bài viết đã sửa &amp; bổ sung.</p>"
		st2, err := e.Stories.UpdateStory(t.Context(), e.members["phongvien"], st.ID, story.Content{Headline: &h2, Body: &body2}, st.Version)
		if err != nil {
			t.Fatal(err)
		}
		c := e.loggedIn("phongvien")
		path := "/desk/stories/" + st.ID + "/revisions"
		p := c.get(path)
		expect(t, p, http.StatusOK, "revisions")
		has(t, p, "default diff", `id="from-1"`, `id="to-2"`, "Tạo bài", "<td>phongvien</td>", "Khác biệt giữa phiên bản 1 và 2",
			"<ins>rất </ins>", "Tít bài", "Nội dung bài <del>viết.", "<ins>viết đã sửa &amp; bổ sung.", "<del>mua-lon-o-ha-noi</del>")
		if strings.Contains(p.Body, "&lt;p&gt;") {
			t.Error("the body diff shows markup")
		}
		if !strings.Contains(p.Body, `name="from" value="1" id="from-1" checked`) || !strings.Contains(p.Body, `name="to" value="2" id="to-2" checked`) {
			t.Error("the two latest revisions are not preselected")
		}
		p = c.get(path + "?from=2&to=1")
		has(t, p, "reverse", "<del>rất </del>")
		p = c.get(path + "?from=2&to=2")
		has(t, p, "same", "Hai phiên bản giống nhau.")
		expect(t, c.get(path+"?from=x"), http.StatusBadRequest, "bad revision number")
		p = c.get(path + "?from=1&to=" + strconv.Itoa(st2.Version+5))
		expect(t, p, http.StatusNotFound, "unknown revision")
		// Someone who may not read the draft may not read its history.
		other := e.loggedIn("bientap")
		if p := other.get(path); p.Code != http.StatusNotFound && p.Code != http.StatusForbidden {
			t.Fatalf("editor reads a reporter's draft history: %d", p.Code)
		}
		e.transition("phongvien", st.ID, "submit", "")
		has(t, c.get(path+"?from=2&to=3"), "state change", "Trạng thái", "<del>Nháp</del>", "<ins>Chờ duyệt</ins>")
	})
}

func TestDeskSearch(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		sub := e.draft("Lúa chín vàng đồng Khoái Châu")
		e.transition("phongvien", sub.ID, "submit", "")
		e.draft("Lúa chín bản nháp riêng")
		ed := e.loggedIn("bientap")
		has(t, ed.get("/desk/queue"), "queue search box", `action="/desk/search"`, `<label for="q-search">`)
		for _, q := range []string{"lúa chín", "lua chin"} {
			p := ed.get("/desk/search?q=" + url.QueryEscape(q))
			expect(t, p, http.StatusOK, "search "+q)
			has(t, p, q, "Lúa chín vàng đồng Khoái Châu", "/desk/stories/"+sub.ID, "Chờ duyệt", "1 kết quả")
			if strings.Contains(p.Body, "bản nháp riêng") {
				t.Fatalf("%s: the editor finds the reporter's draft", q)
			}
		}
		rep := e.loggedIn("phongvien")
		has(t, rep.get("/desk/search?q=lua+chin"), "author", "bản nháp riêng", "2 kết quả")
		p := ed.get("/desk/search?q=lua&state=lost")
		expect(t, p, http.StatusBadRequest, "bad state")
		has(t, p, "bad state", "không hợp lệ")
		has(t, ed.get("/desk/search?q=lua+chin&state=draft"), "state filter", "Không tìm thấy bài nào.")
	})
}

// noisyJPEG is a photo of random pixels: it does not compress, so it is big.
func noisyJPEG(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(r.Uint32()), uint8(r.Uint32()), uint8(r.Uint32()), 255
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDeskUploadOverBodyLimit: the desk's upload route is streamed to
// storage like the API's, so a photo over http.max_body_bytes (4 MiB by
// default) goes through; other desk routes keep the cap.
func TestDeskUploadOverBodyLimit(t *testing.T) {
	e := newEnv(t, "sqlite")
	st := e.draft("Ảnh lớn")
	c := e.loggedIn("phongvien")
	tok := c.csrf("/desk/stories/" + st.ID)
	photo := noisyJPEG(t, 2200, 1400)
	if len(photo) <= 5<<20 {
		t.Fatalf("test photo is only %d bytes", len(photo))
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "anh-lon.jpg")
	_, _ = fw.Write(photo)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+"/desk/stories/"+st.ID+"/assets", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", tok)
	p := c.do(req)
	expect(t, p, http.StatusCreated, "upload of a "+strconv.Itoa(len(photo))+"-byte photo")
	has(t, p, "upload answer", `"kind":"image"`, "anh-lon.jpg")
	// The cap still holds elsewhere in the desk.
	big := url.Values{"body": {strings.Repeat("a", 5<<20)}, "csrf_token": {tok}}
	if p := c.post("/desk/stories/"+st.ID+"/comments", big); p.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 5 MiB comment: status %d, want 413", p.Code)
	}
}
