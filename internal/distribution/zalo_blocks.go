package distribution

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsroom-vn/newsroom/internal/richtext"
)

// ZaloBlock is one item of a Zalo article's body: text (HTML), image (with
// an optional caption) or video (by URL). Zalo also has product blocks; a
// story has none.
type ZaloBlock struct {
	Type    string `json:"type"`
	Content string `json:"content,omitempty"`
	URL     string `json:"url,omitempty"`
	Caption string `json:"caption,omitempty"`
	Thumb   string `json:"thumb,omitempty"`
}

// The block types.
const (
	ZaloText  = "text"
	ZaloImage = "image"
	ZaloVideo = "video"
)

// maxZaloCaption bounds an image caption (Zalo documents no limit; the
// description's 300 characters is a safe guess for what it shows).
const maxZaloCaption = 300

// ZaloBlocks converts a story body to Zalo's block list. The body is
// sanitized again first (richtext), so whatever reaches Zalo is what the
// public site would show. Consecutive text elements (paragraphs, headings,
// lists, quotes, tables) are merged into one text block of HTML; a figure
// becomes an image block with its figcaption (or the alt text) as caption,
// or a video block; images and videos inside a paragraph are lifted out of
// it, after the paragraph's text. Relative URLs (/media/...) are made
// absolute with base (site.base_url); anything not http(s) is left out.
func ZaloBlocks(bodyHTML, base string) []ZaloBlock {
	clean := richtext.Sanitize(bodyHTML)
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(clean), root)
	if err != nil {
		return []ZaloBlock{}
	}
	c := &zaloConv{base: strings.TrimRight(base, "/"), out: []ZaloBlock{}}
	for _, n := range nodes {
		c.top(n)
	}
	c.flush()
	return c.out
}

type zaloConv struct {
	base string
	text strings.Builder
	out  []ZaloBlock
}

func (c *zaloConv) flush() {
	// Sanitized again: what was parsed and rendered back is checked by the
	// same policy as the public site, whatever the parser made of it.
	if s := richtext.Sanitize(c.text.String()); s != "" {
		c.out = append(c.out, ZaloBlock{Type: ZaloText, Content: s})
	}
	c.text.Reset()
}

func (c *zaloConv) emit(b ZaloBlock) {
	c.flush()
	c.out = append(c.out, b)
}

// top handles one top-level node of the body.
func (c *zaloConv) top(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		if t := strings.TrimSpace(n.Data); t != "" {
			c.text.WriteString("<p>" + html.EscapeString(t) + "</p>")
		}
		return
	case html.ElementNode:
	default:
		return
	}
	switch n.DataAtom {
	case atom.Figure:
		c.figure(n)
	case atom.Img:
		if b, ok := c.image(n, ""); ok {
			c.emit(b)
		}
	case atom.Video:
		if b, ok := c.video(n); ok {
			c.emit(b)
		}
	case atom.Audio:
		// Zalo articles have no audio block; the public page keeps it.
	case atom.Div:
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			c.top(ch)
		}
	default:
		// A text element; media inside it are lifted out after its text.
		var media []*html.Node
		collectMedia(n, &media)
		for _, m := range media {
			m.Parent.RemoveChild(m)
		}
		if hasText(n) {
			var b strings.Builder
			if err := html.Render(&b, n); err == nil {
				c.text.WriteString(b.String())
			}
		}
		for _, m := range media {
			c.top(m)
		}
	}
}

// figure turns a figure into an image (or video) block, the caption from
// its figcaption, else the image's alt text.
func (c *zaloConv) figure(n *html.Node) {
	var img, vid, capNode *html.Node
	var walk func(*html.Node)
	walk = func(m *html.Node) {
		if m.Type == html.ElementNode {
			switch m.DataAtom {
			case atom.Img:
				if img == nil {
					img = m
				}
			case atom.Video:
				if vid == nil {
					vid = m
				}
			case atom.Figcaption:
				if capNode == nil {
					capNode = m
				}
			}
		}
		for ch := m.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	caption := ""
	if capNode != nil {
		caption = textOf(capNode)
	}
	switch {
	case img != nil:
		if b, ok := c.image(img, caption); ok {
			c.emit(b)
		}
	case vid != nil:
		if b, ok := c.video(vid); ok {
			c.emit(b)
		}
	}
}

func (c *zaloConv) image(n *html.Node, caption string) (ZaloBlock, bool) {
	u := c.abs(attr(n, "src"))
	if u == "" {
		return ZaloBlock{}, false
	}
	if caption == "" {
		caption = strings.Join(strings.Fields(attr(n, "alt")), " ")
	}
	return ZaloBlock{Type: ZaloImage, URL: u, Caption: truncateRunes(caption, maxZaloCaption)}, true
}

func (c *zaloConv) video(n *html.Node) (ZaloBlock, bool) {
	src := attr(n, "src")
	for ch := n.FirstChild; src == "" && ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && ch.DataAtom == atom.Source {
			src = attr(ch, "src")
		}
	}
	u := c.abs(src)
	if u == "" {
		return ZaloBlock{}, false
	}
	return ZaloBlock{Type: ZaloVideo, URL: u, Thumb: c.abs(attr(n, "poster"))}, true
}

// abs makes a media URL absolute; only http(s) results are kept.
func (c *zaloConv) abs(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		b, err := url.Parse(c.base + "/")
		if err != nil || c.base == "" {
			return ""
		}
		u = b.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	return u.String()
}

func collectMedia(n *html.Node, out *[]*html.Node) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (ch.DataAtom == atom.Img || ch.DataAtom == atom.Video || ch.DataAtom == atom.Figure) {
			*out = append(*out, ch)
			continue
		}
		collectMedia(ch, out)
	}
}

func hasText(n *html.Node) bool {
	return strings.TrimSpace(textOf(n)) != ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(m *html.Node) {
		if m.Type == html.TextNode {
			b.WriteString(m.Data)
		}
		for ch := m.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// truncateRunes cuts s to at most n characters, ending with "…" when cut.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
