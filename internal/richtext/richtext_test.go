package richtext

import (
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/newsroom-vn/newsroom/internal/testutil/table"
	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

const assetID = "123e4567-e89b-12d3-a456-426614174000"

// TestSanitizeKeepsGoodMarkup lists markup the desk produces; it must come out
// byte for byte as it went in.
func TestSanitizeKeepsGoodMarkup(t *testing.T) {
	tests := []struct{ name, in string }{
		{"paragraphs and inline", `<p>Sáng nay, <strong>Hà Nội</strong> <em>mưa</em> <b>to</b>, <i>gió</i> <u>mạnh</u>, <s>nắng</s> H<sub>2</sub>O x<sup>2</sup> <mark>chú ý</mark> <small>ghi chú</small><br>dòng mới</p><hr>`},
		{"headings", `<h2>Diễn biến</h2><h3>Sáng</h3><h4>Chiều</h4><h5>Tối</h5><h6>Đêm</h6>`},
		{"figure with asset image", `<figure data-asset-id="` + assetID + `"><img src="/media/2025/anh.jpg" alt="Cầu Long Biên" width="800" height="450" loading="lazy"><figcaption>Cầu Long Biên lúc bình minh. Ảnh: Ngọc Thành</figcaption></figure>`},
		{"image by asset id only", `<img data-asset-id="` + assetID + `" alt="Ảnh">`},
		{"absolute image", `<img src="https://cdn.example.vn/a.jpg" alt="">`},
		{"table", `<table><caption>Giá xăng</caption><thead><tr><th scope="col">Loại</th><th scope="col">Giá</th></tr></thead><tbody><tr><td>RON 95</td><td>24.000</td></tr><tr><td colspan="2" rowspan="1">Nguồn: Bộ Công Thương</td></tr></tbody><tfoot><tr><td>Tổng</td><td>2</td></tr></tfoot></table>`},
		{"lists", `<ul><li>Một</li><li>Hai</li></ul><ol start="3" type="a"><li>Ba</li></ol>`},
		{"blockquote and q", `<blockquote cite="https://chinhphu.vn/bai"><p>Phát biểu của <q cite="/nguon">Thủ tướng</q></p></blockquote>`},
		{"external link", `<a href="https://vnexpress.net/bai-1.html" rel="noopener noreferrer nofollow" target="_blank">VnExpress</a>`},
		{"internal link", `<a href="/thoi-su/bai-viet-1">Xem thêm</a>`},
		{"mailto and tel", `<a href="mailto:toasoan@example.vn">Thư</a> <a href="tel:+84241234567">Gọi</a>`},
		{"code", `<pre><code>go test ./...</code></pre>`},
		{"classes", `<div class="box note-1"><span class="highlight">chú ý</span></div>`},
		{"media", `<video src="/media/2025/clip.mp4" controls="" data-asset-id="` + assetID + `"></video><audio src="/media/podcast/tap-1.mp3" controls=""></audio>`},
		{"escaped text", `<p>a &lt; b &amp;&amp; c &gt; d &#34;trích&#34; &#39;x&#39;</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in); got != tt.in {
				t.Errorf("Sanitize changed good markup\n in: %s\nout: %s", tt.in, got)
			}
		})
	}
}

func TestSanitizeRewrites(t *testing.T) {
	table.Run(t, "Sanitize", Sanitize, []table.Case[string, string]{
		{"h1 becomes h2", `<h1 class="big" id="t">Tiêu đề</h1>`, `<h2>Tiêu đề</h2>`},
		{"rel added to absolute link", `<a href="https://tuoitre.vn/">x</a>`, `<a href="https://tuoitre.vn/" rel="noopener noreferrer nofollow">x</a>`},
		{"user rel replaced", `<a href="https://tuoitre.vn/" rel="opener author">x</a>`, `<a href="https://tuoitre.vn/" rel="noopener noreferrer nofollow">x</a>`},
		{"protocol-relative is absolute", `<a href="//evil.example/x">x</a>`, `<a href="//evil.example/x" rel="noopener noreferrer nofollow">x</a>`},
		{"target dropped on relative link", `<a href="/bai" target="_blank">x</a>`, `<a href="/bai">x</a>`},
		{"other targets dropped", `<a href="https://a.vn/" target="_top">x</a>`, `<a href="https://a.vn/" rel="noopener noreferrer nofollow">x</a>`},
		{"link without href unwrapped", `<a name="x">chữ</a>`, `chữ`},
		{"backslash path cannot become a host", `<a href="/\evil.example">x</a>`, `<a href="/%5Cevil.example">x</a>`},
		{"URL percent-encoded", `<a href="https://vi.wikipedia.org/wiki/Hà_Nội">x</a>`, `<a href="https://vi.wikipedia.org/wiki/H%C3%A0_N%E1%BB%99i" rel="noopener noreferrer nofollow">x</a>`},
		{"mailto image src refused", `<img src="mailto:a@b.vn" alt="a">`, `<img alt="a">`},
		{"bad asset id dropped", `<img data-asset-id="../../etc/passwd" src="/a.jpg">`, `<img src="/a.jpg">`},
		{"bad dimensions dropped", `<img src="/a.jpg" width="100%" height="1e9" loading="auto">`, `<img src="/a.jpg">`},
		{"media outside /media dropped", `<video src="https://evil.example/v.mp4" controls></video><audio src="/media/../admin" controls></audio>`, `<video controls=""></video><audio controls=""></audio>`},
		{"bad class dropped", `<span class="x&quot; onclick=&quot;y">t</span><div class="a:b">d</div>`, `<span>t</span><div>d</div>`},
		{"class only on span and div", `<p class="lead">sapo</p>`, `<p>sapo</p>`},
		{"style attribute dropped", `<p style="color:red">đỏ</p>`, `<p>đỏ</p>`},
		{"ol attributes checked", `<ol start="x" type="disc"><li>a</li></ol>`, `<ol><li>a</li></ol>`},
		{"unknown elements unwrapped", `<font color="red">Hà</font> <center>Nội</center>`, `Hà Nội`},
		{"comments dropped", `a<!-- ghi chú -->b`, `ab`},
		{"NFD text composed", "<p>Ha\u0300 No\u0302\u0323i</p>", `<p>Hà Nội</p>`},
		{"entity marks composed", `<p>a&#x301;</p>`, `<p>á</p>`},
		{"U+0338 after a tag keeps the tag", "<p>\u0338x</p>", `<p>&#x338;x</p>`},
		{"U+0338 in text composes", "<p>a \u2260 b, a =\u0338 b</p>", "<p>a \u2260 b, a \u2260 b</p>"},
		{"controls and invalid bytes dropped", "<p>a\x00b\x01c\xffd&#1;e</p>", `<p>abcde</p>`},
		{"CRLF", "<p>a\r\nb</p>", "<p>a\nb</p>"},
		{"trimmed", "  \n<p>x</p>\n ", `<p>x</p>`},
		{"empty", "", ""},
	})
}

// TestSanitizeHostile feeds OWASP XSS cheat-sheet style input; want is the
// whole expected output where it is worth pinning down, "" meaning only the
// safety checks apply. inert marks cases where a hostile word survives as
// escaped text or inside an attribute value, where a browser reads it the
// same way: the structural checks of assertSafe still apply.
func TestSanitizeHostile(t *testing.T) {
	tests := []struct {
		name, in, want string
		inert          bool
	}{
		{"img onerror", `<img src=x onerror=alert(1)>`, `<img src="x">`, false},
		{"img onerror quoted", `<IMG SRC="/a.jpg" ONERROR="alert('XSS')">`, `<img src="/a.jpg">`, false},
		{"javascript href", `<a href="javascript:alert(1)">x</a>`, `x`, false},
		{"mixed case javascript", `<a href="JaVaScRiPt:alert(1)">x</a>`, `x`, false},
		{"entity-encoded javascript", `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`, `x`, false},
		{"hex entities without semicolons", `<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>`, `x`, false},
		{"tab inside javascript", "<a href=\"jav\tascript:alert(1)\">x</a>", `x`, false},
		{"encoded tab inside javascript", `<a href="jav&#x09;ascript:alert(1)">x</a>`, `x`, false},
		{"leading space and control", "<a href=\" \x01javascript:alert(1)\">x</a>", `x`, false},
		{"vbscript", `<a href="vbscript:msgbox(1)">x</a>`, `x`, false},
		{"data URL link", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`, `x`, false},
		{"data URL image", `<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="a">`, `<img alt="a">`, false},
		{"javascript image", `<img src="javascript:alert(1)" alt="a">`, `<img alt="a">`, false},
		{"javascript cite", `<blockquote cite="javascript:alert(1)">q</blockquote>`, `<blockquote>q</blockquote>`, false},
		{"script", `<p>trước</p><script>alert(1)</script><p>sau</p>`, `<p>trước</p><p>sau</p>`, false},
		{"script with src", `<script src="https://evil.example/x.js"></script>ok`, `ok`, false},
		{"svg onload", `<svg onload=alert(1)><circle r="1"/></svg>ok`, `ok`, false},
		{"svg script", `<svg><script>alert(1)</script></svg>ok`, `ok`, false},
		{"iframe", `<iframe src="https://evil.example"></iframe>ok`, `ok`, false},
		{"iframe srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>ok`, `ok`, false},
		{"style element", `<style>body{background:url(javascript:alert(1))}</style>ok`, `ok`, false},
		{"style attribute expression", `<p style="width:expression(alert(1))">ok</p>`, `<p>ok</p>`, false},
		{"math", `<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>ok`, `ok`, false},
		{"object and embed", `<object data="x.swf"><param name="a" value="b"></object><embed src="x.swf">ok`, `ok`, false},
		{"form and input", `<form action="https://evil.example"><input name="q" onfocus="alert(1)" autofocus><button>Gửi</button></form>`, `Gửi`, false},
		{"meta link base", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><link rel="stylesheet" href="x.css"><base href="https://evil.example/">ok`, `ok`, false},
		{"body onload", `<body onload="alert(1)">ok</body>`, `ok`, false},
		{"event on allowed element", `<p onclick="alert(1)" onmouseover="alert(2)">ok</p>`, `<p>ok</p>`, false},
		{"split script tag", `<scr<script>ipt>alert(1)</scr</script>ipt>`, "", false},
		{"double angle", `<<script>script>alert(1)<</script>/script>`, "", false},
		{"unclosed script", `<script>alert(1)`, ``, false},
		{"broken attribute quotes", `<img """><script>alert(1)</script>">`, "", false},
		{"nested broken tags", `<p><b><i>chữ</p></b><div><table><tr><td>x</div>`, "", false},
		{"noscript", `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`, "", false},
		{"textarea breakout", `<textarea></textarea><img src=x onerror=alert(1)>`, `<img src="x">`, false},
		{"comment breakout", `<!--<img src="--><img src=x onerror=alert(1)//">`, "", false},
		{"xmp", `<xmp><img src=x onerror=alert(1)></xmp>`, "", false},
		{"template", `<template><img src=x onerror=alert(1)></template>ok`, `ok`, false},
		{"attribute with newline handler", "<img src=x\nonerror=alert(1)>", `<img src="x">`, false},
		// A browser too reads everything up to '>' as the unquoted src value.
		{"slash-separated handler", `<img/src=x/onerror=alert(1)>`, `<img src="x/onerror=alert(1)">`, true},
		{"handler as text", `<p>&lt;img onerror=alert(1)&gt; javascript:alert(1)</p>`, `<p>&lt;img onerror=alert(1)&gt; javascript:alert(1)</p>`, true},
		{"srcset", `<img src="/a.jpg" srcset="javascript:alert(1) 1x">`, `<img src="/a.jpg">`, false},
		{"formaction", `<button formaction="javascript:alert(1)">x</button>`, `x`, false},
		{"xlink href", `<a xlink:href="javascript:alert(1)">x</a>`, `x`, false},
		{"target without rel trick", `<a href="https://evil.example" target="_blank" rel="opener">x</a>`, `<a href="https://evil.example" rel="noopener noreferrer nofollow" target="_blank">x</a>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sanitize(tt.in)
			assertSafe(t, tt.in, got)
			lower := strings.ToLower(got)
			if !tt.inert && (strings.Contains(lower, "javascript:") || strings.Contains(lower, "onerror")) {
				t.Errorf("Sanitize(%q) = %q: hostile word survived", tt.in, got)
			}
			for _, bad := range []string{"onload", "onclick", "<iframe", "<svg", "<math", "<style", "<object", "<embed", "<form", "<input", "<meta", "<link", "<base"} {
				if strings.Contains(lower, bad) {
					t.Errorf("Sanitize(%q) = %q: contains %q", tt.in, got, bad)
				}
			}
			if tt.want != "" && got != tt.want {
				t.Errorf("Sanitize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if again := Sanitize(got); again != got {
				t.Errorf("Sanitize not idempotent on %q: %q then %q", tt.in, got, again)
			}
		})
	}
}

var dangerousURL = regexp.MustCompile(`(?i)^\s*(?:javascript|vbscript|data|livescript|mocha):`)

// assertSafe checks the sanitiser's promises on out. "<script" and
// "javascript:" are looked for in the markup itself; a story about XSS may
// carry the words "javascript:" or "onerror=" as text, which is escaped and
// harmless, so event handlers and URL schemes are checked on the attributes
// as a browser would tokenise them, after entity decoding.
func assertSafe(t *testing.T, in, out string) {
	t.Helper()
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Fatalf("Sanitize(%q) = %q: contains <script", in, out)
	}
	if !utf8.ValidString(out) || !norm.NFC.IsNormalString(out) {
		t.Fatalf("Sanitize(%q) = %q: not valid NFC UTF-8", in, out)
	}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt == html.CommentToken || tt == html.DoctypeToken {
			t.Fatalf("Sanitize(%q) = %q: contains a comment or doctype", in, out)
		}
		tok := z.Token()
		switch tok.Data {
		case "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "meta", "link", "base":
			if tt != html.TextToken {
				t.Fatalf("Sanitize(%q) = %q: contains element %s", in, out, tok.Data)
			}
		}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			val := html.UnescapeString(a.Val)
			if strings.HasPrefix(key, "on") {
				t.Fatalf("Sanitize(%q) = %q: event handler %s", in, out, a.Key)
			}
			if key == "style" || key == "srcset" || key == "srcdoc" || key == "formaction" {
				t.Fatalf("Sanitize(%q) = %q: attribute %s", in, out, a.Key)
			}
			if dangerousURL.MatchString(val) || strings.Contains(strings.ToLower(val), "javascript:") {
				t.Fatalf("Sanitize(%q) = %q: dangerous URL in %s=%q", in, out, a.Key, a.Val)
			}
			if tok.Data == "a" && key == "target" && !hasAttr(tok, "rel", externalRel) {
				t.Fatalf("Sanitize(%q) = %q: target without rel", in, out)
			}
		}
	}
}

func hasAttr(tok html.Token, key, val string) bool {
	for _, a := range tok.Attr {
		if a.Key == key && a.Val == val {
			return true
		}
	}
	return false
}

func TestSanitizeConcurrent(t *testing.T) {
	in := `<p>Hà Nội <a href="https://a.vn/">x</a><script>alert(1)</script></p>`
	want := Sanitize(in)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if got := Sanitize(in); got != want {
					t.Errorf("concurrent Sanitize = %q, want %q", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestPlainText(t *testing.T) {
	table.Run(t, "PlainText", PlainText, []table.Case[string, string]{
		{"empty", "", ""},
		{"paragraphs", `<p>Sáng nay</p><p>Hà Nội mưa</p>`, "Sáng nay\nHà Nội mưa"},
		{"inline stays on the line", `<p>Giá <strong>xăng</strong> t<em>ă</em>ng</p>`, "Giá xăng tăng"},
		{"entities decoded", `<p>a &lt; b &amp; c&nbsp;d &#34;e&#34; &eacute;</p>`, "a < b & c d \"e\" é"},
		{"white space collapsed", "<p>  nhiều \n\t  khoảng   trắng  </p>", "nhiều khoảng trắng"},
		{"br breaks lines", `<p>dòng 1<br>dòng 2<br/><br>dòng 3</p>`, "dòng 1\ndòng 2\ndòng 3"},
		{"headings and lists", `<h2>Tiêu đề</h2><ul><li>Một</li><li>Hai</li></ul>`, "Tiêu đề\nMột\nHai"},
		{"table cells", `<table><caption>Giá</caption><tr><th>Loại</th><th>Giá</th></tr><tr><td>RON 95</td><td>24.000</td></tr></table>`, "Giá\nLoại Giá\nRON 95 24.000"},
		{"figure", `<figure><img src="/a.jpg" alt="không tính"><figcaption>Chú thích</figcaption></figure><p>Tiếp</p>`, "Chú thích\nTiếp"},
		{"script and style content excluded", `<p>a</p><script>var x = "b";</script><style>p{}</style><p>c</p>`, "a\nc"},
		{"unknown tags keep text", `<font>chữ</font> <section>đoạn</section>`, "chữ đoạn"},
		{"NFD composed", "<p>Ha\u0300 No\u0302\u0323i</p>", "Hà Nội"},
		{"text without markup", "Hà Nội", "Hà Nội"},
		{"pre collapsed too", "<pre>a\n    b</pre>", "a b"},
		{"blockquote", `<p>Ông nói:</p><blockquote><p>Sẽ làm.</p></blockquote>`, "Ông nói:\nSẽ làm."},
	})
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"", "<p>Hà Nội</p>", `<img src=x onerror=alert(1)>`, `<a href="JaVaScRiPt:alert(1)">x</a>`,
		`<a href="&#106;avascript:alert(1)">x</a>`, `<scr<script>ipt>alert(1)</scr</script>ipt>`,
		`<svg onload=alert(1)>`, `<h1>T</h1>`, `<a href="https://a.vn/" target="_blank">x</a>`,
		"<p>\u0338x</p>", `<p>a&#x301;</p>`, `<figure data-asset-id="` + assetID + `"><img src="/a.jpg"></figure>`,
		`<a href="https://vi.wikipedia.org/wiki/Hà_Nội?q=1#x">x</a>`, `<video src="/media/a.mp4" controls>`,
		`<table><tr><td colspan=2>x</td></tr></table>`, `<ol start=3 type=a><li>x</ol>`,
		`<textarea><p>x</p></textarea>`, `<plaintext><b>x`, "<p>a\r\nb\x00</p>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		once := Sanitize(in)
		assertSafe(t, in, once)
		// Sanitize is expected to be idempotent outright; finish() exists to
		// make it so (NFC of decoded text, escaped leading combining marks).
		twice := Sanitize(once)
		if twice != once {
			t.Fatalf("Sanitize not idempotent on %q:\n once %q\ntwice %q", in, once, twice)
		}
		text := PlainText(in)
		if !utf8.ValidString(text) || strings.Contains(text, "\n\n") || text != strings.TrimSpace(text) {
			t.Fatalf("PlainText(%q) = %q: blank lines or surrounding space", in, text)
		}
	})
}
