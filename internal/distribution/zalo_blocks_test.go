package distribution

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

const base = "https://bao.example.vn"

func TestZaloBlocks(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		want []ZaloBlock
	}{
		{"paragraphs merge into one text block", `<p>Một</p><p>Hai &amp; ba</p>`,
			[]ZaloBlock{{Type: "text", Content: `<p>Một</p><p>Hai &amp; ba</p>`}}},
		{"headings and lists are text", `<h2>Diễn biến</h2><ul><li>Sáng</li><li>Chiều</li></ul><ol start="3"><li>Ba</li></ol><blockquote>Trích</blockquote>`,
			[]ZaloBlock{{Type: "text", Content: `<h2>Diễn biến</h2><ul><li>Sáng</li><li>Chiều</li></ul><ol start="3"><li>Ba</li></ol><blockquote>Trích</blockquote>`}}},
		{"figure with caption splits the text", `<p>Trước</p><figure><img src="/media/2026/cau.jpg" alt="alt bị bỏ"><figcaption>Cầu Long Biên. Ảnh: Ngọc Thành</figcaption></figure><p>Sau</p>`,
			[]ZaloBlock{{Type: "text", Content: `<p>Trước</p>`}, {Type: "image", URL: base + "/media/2026/cau.jpg", Caption: "Cầu Long Biên. Ảnh: Ngọc Thành"},
				{Type: "text", Content: `<p>Sau</p>`}}},
		{"figure without caption takes the alt text", `<figure><img src="https://cdn.example.vn/a.jpg" alt="Toàn cảnh"></figure>`,
			[]ZaloBlock{{Type: "image", URL: "https://cdn.example.vn/a.jpg", Caption: "Toàn cảnh"}}},
		{"image inside a paragraph is lifted after its text", `<p>Chữ <img src="/media/x.png"> tiếp</p>`,
			[]ZaloBlock{{Type: "text", Content: `<p>Chữ  tiếp</p>`}, {Type: "image", URL: base + "/media/x.png"}}},
		{"paragraph holding only an image", `<p><img src="/media/x.png" alt="Ảnh"></p>`,
			[]ZaloBlock{{Type: "image", URL: base + "/media/x.png", Caption: "Ảnh"}}},
		{"video", `<p>Xem clip:</p><video src="/media/2026/clip.mp4" controls></video>`,
			[]ZaloBlock{{Type: "text", Content: `<p>Xem clip:</p>`}, {Type: "video", URL: base + "/media/2026/clip.mp4"}}},
		{"video in a figure", `<figure><video src="/media/v.mp4" controls></video><figcaption>Clip</figcaption></figure>`,
			[]ZaloBlock{{Type: "video", URL: base + "/media/v.mp4"}}},
		{"audio has no Zalo block", `<audio src="/media/a.mp3" controls></audio><p>Văn bản</p>`,
			[]ZaloBlock{{Type: "text", Content: `<p>Văn bản</p>`}}},
		{"div wrappers are looked through", `<div class="box"><p>Trong hộp</p><figure><img src="/media/b.jpg"></figure></div>`,
			[]ZaloBlock{{Type: "text", Content: `<p>Trong hộp</p>`}, {Type: "image", URL: base + "/media/b.jpg"}}},
		{"bare text becomes a paragraph", `Chữ trần`, []ZaloBlock{{Type: "text", Content: `<p>Chữ trần</p>`}}},
		{"links stay in text", `<p>Theo <a href="https://vi.wikipedia.org/wiki/H%C3%A0_N%E1%BB%99i">Wikipedia</a></p>`,
			[]ZaloBlock{{Type: "text", Content: `<p>Theo <a href="https://vi.wikipedia.org/wiki/H%C3%A0_N%E1%BB%99i" rel="noopener noreferrer nofollow">Wikipedia</a></p>`}}},
		{"script and handlers stay out", `<p onclick="alert(1)">An toàn</p><script>alert(2)</script><iframe src="https://evil.example"></iframe><img src="javascript:alert(3)"><figure><img src="data:image/png;base64,AAAA"></figure>`,
			[]ZaloBlock{{Type: "text", Content: `<p>An toàn</p>`}}},
		{"empty", ``, []ZaloBlock{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := ZaloBlocks(c.in, base)
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(c.want)
			if string(g) != string(w) {
				t.Errorf("ZaloBlocks(%q)\n got %s\nwant %s", c.in, g, w)
			}
		})
	}
}

func TestBuildZaloArticle(t *testing.T) {
	a := &PublicArticle{Headline: strings.Repeat("Tiêu đề ", 30), Sapo: "Sapo bài viết", Author: "Nguyễn Văn A",
		BodyHTML: `<p>Nội dung</p><figure><img src="/media/a.jpg"><figcaption>Chú thích</figcaption></figure>`,
		CoverURL: base + "/media/large/cover.jpg", BaseURL: base}
	z, err := BuildZaloArticle(a)
	if err != nil {
		t.Fatal(err)
	}
	if z.Type != "normal" || z.Status != "show" || z.Comment != "show" || z.Author != "Nguyễn Văn A" || z.Description != "Sapo bài viết" {
		t.Errorf("article %+v", z)
	}
	if n := utf8.RuneCountInString(z.Title); n > ZaloMaxTitle || n < ZaloMaxTitle-2 || !strings.HasSuffix(z.Title, "…") {
		t.Errorf("title %q (%d characters), want cut to at most %d", z.Title, n, ZaloMaxTitle)
	}
	if z.Cover != (ZaloCover{CoverType: "photo", PhotoURL: base + "/media/large/cover.jpg", Status: "show"}) {
		t.Errorf("cover %+v", z.Cover)
	}
	if len(z.Body) != 2 || z.Body[1].Caption != "Chú thích" {
		t.Errorf("body %+v", z.Body)
	}
	// No featured image: the first inline image is the cover; no sapo: the text.
	a.CoverURL, a.Sapo, a.Author = "", "", ""
	z, err = BuildZaloArticle(a)
	if err != nil || z.Cover.PhotoURL != base+"/media/a.jpg" || z.Description != "Nội dung Chú thích" || z.Author == "" {
		t.Errorf("fallbacks: %+v, %v", z, err)
	}
	// No image at all: refused with a message naming the problem.
	a.BodyHTML = "<p>Chỉ có chữ</p>"
	if _, err := BuildZaloArticle(a); err == nil || !strings.Contains(err.Error(), "cover") {
		t.Errorf("no image: %v, want a refusal naming the cover", err)
	}
}

// FuzzZaloBlocks: whatever the body, the blocks are well formed, their URLs
// are absolute http(s), and no text block carries script or event handlers.
func FuzzZaloBlocks(f *testing.F) {
	for _, s := range []string{
		`<p>a</p><figure><img src="/media/a.jpg"><figcaption>c</figcaption></figure>`,
		`<p onclick=x>b<img src=javascript:alert(1)></p>`, `<video src="/media/v.mp4"></video>`,
		`<div><div><p>x</p></div></div>`, `<table><tr><td><img src="/m/a.png"></td></tr></table>`,
		`<p>a&#x338;</p><scr<script>ipt>alert(1)</script>`, `<figure><figcaption>only</figcaption></figure>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, b := range ZaloBlocks(body, base) {
			switch b.Type {
			case ZaloText:
				if b.Content == "" {
					t.Fatalf("empty text block from %q", body)
				}
				z := html.NewTokenizer(strings.NewReader(b.Content))
				for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
					tok := z.Token()
					if tok.Type == html.StartTagToken || tok.Type == html.SelfClosingTagToken {
						switch tok.Data {
						case "script", "style", "iframe", "object", "embed", "svg", "math", "form":
							t.Fatalf("%s in text block %q from %q", tok.Data, b.Content, body)
						}
						for _, a := range tok.Attr {
							if strings.HasPrefix(strings.ToLower(a.Key), "on") {
								t.Fatalf("handler %s in %q from %q", a.Key, b.Content, body)
							}
						}
					}
				}
			case ZaloImage, ZaloVideo:
				if !strings.HasPrefix(b.URL, "https://") && !strings.HasPrefix(b.URL, "http://") {
					t.Fatalf("%s block with URL %q from %q", b.Type, b.URL, body)
				}
			default:
				t.Fatalf("block type %q from %q", b.Type, body)
			}
		}
	})
}
