// Package richtext sanitises story bodies: the HTML that editors write in the
// desk (or paste from Word and web pages) is reduced to the small set of
// elements the public site, feeds and partner APIs know how to render, and
// everything able to run script, load foreign frames or restyle the page is
// removed. PlainText derives the text used for search, read time and diffs.
//
// Decisions worth knowing:
//   - h1 is the page headline, so an h1 in a body becomes h2 (attributes
//     dropped) rather than losing its heading structure.
//   - Links that leave the site (with a host, or an http/https scheme) get
//     rel="noopener noreferrer nofollow"; target="_blank" is kept only on such
//     links, and relative links never carry rel or target.
//   - Images, audio and video can point at media of our own through
//     data-asset-id (a UUID), which the renderer resolves to a rendition.
//   - Text and attribute values are NFC, without control characters, so that
//     stored bodies compare and search like every other field.
package richtext

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"

	"github.com/newsroom-vn/newsroom/internal/textvi"
)

var (
	uuidRe    = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	classRe   = regexp.MustCompile(`^[a-zA-Z0-9_\- ]+$`)
	dimRe     = regexp.MustCompile(`^[0-9]{1,5}$`)
	spanRe    = regexp.MustCompile(`^[0-9]{1,3}$`)
	olStartRe = regexp.MustCompile(`^-?[0-9]{1,9}$`)
	// imgSrcRe admits http(s) URLs and relative ones (no colon before the
	// first / ? #); the global scheme list would otherwise let mailto: and
	// tel: through on images.
	imgSrcRe = regexp.MustCompile(`(?i)^\s*(?:https?://|[^:/?#]*(?:[/?#]|$))`)
	// mediaSrcRe admits paths under /media/ only, with no "." or ".." segment
	// and no query, so a player can never be pointed elsewhere.
	mediaSrcRe = regexp.MustCompile(`^/media/(?:[A-Za-z0-9_~%-][A-Za-z0-9._~%-]*/)*[A-Za-z0-9_~%-][A-Za-z0-9._~%-]*$`)
)

// policy is built once; a bluemonday policy is safe for concurrent use once
// no more rules are added to it.
var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https", "mailto", "tel")

	p.AllowElements(
		"p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup", "mark", "small",
		"blockquote", "q", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
		"figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
		"pre", "code", "span", "div", "audio", "video",
	)
	// Elements that mean nothing without their attributes (a, img) are
	// allowed through AllowAttrs only, so bluemonday drops them bare.

	// URL attributes are checked by bluemonday against the scheme list after
	// entity decoding (so &#106;avascript: and JaVaScRiPt: are both refused).
	p.AllowAttrs("cite").OnElements("blockquote", "q")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("target").Matching(regexp.MustCompile(`^_blank$`)).OnElements("a")

	p.AllowAttrs("src").Matching(imgSrcRe).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("width", "height").Matching(dimRe).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^(?:lazy|eager)$`)).OnElements("img")

	p.AllowAttrs("src").Matching(mediaSrcRe).OnElements("audio", "video")
	p.AllowAttrs("controls").Matching(regexp.MustCompile(`(?i)^(?:|controls)$`)).OnElements("audio", "video")

	p.AllowAttrs("data-asset-id").Matching(uuidRe).OnElements("figure", "img", "audio", "video")

	p.AllowAttrs("start").Matching(olStartRe).OnElements("ol")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^[1aAiI]$`)).OnElements("ol")

	p.AllowAttrs("colspan", "rowspan").Matching(spanRe).OnElements("td", "th")
	p.AllowAttrs("scope").Matching(regexp.MustCompile(`^(?:row|col|rowgroup|colgroup)$`)).OnElements("th")

	p.AllowAttrs("class").Matching(classRe).OnElements("span", "div")

	// Beyond bluemonday's defaults (script, style, iframe, object, ...), drop
	// the text inside elements whose content is not article text.
	p.SkipElementsContent("svg", "math", "template", "select", "textarea", "noscript", "xmp")
	return p
}

// Sanitize returns body reduced to the elements and attributes allowed in a
// story body (see the package comment), NFC-normalised and trimmed. It is
// safe for concurrent use and idempotent: Sanitize(Sanitize(x)) ==
// Sanitize(x).
//
// The input goes through textvi.NFC before parsing. NFC composes '<', '='
// and '>' with a following U+0338 (combining long solidus) into '≮', '≠' and
// '≯', which would destroy markup, so U+0338 is first written as a character
// reference; the tokenizer decodes it and finish composes it within the text.
func Sanitize(body string) string {
	if strings.ContainsRune(body, '\u0338') {
		body = strings.ReplaceAll(body, "\u0338", "&#x338;")
	}
	return strings.TrimSpace(finish(policy.Sanitize(textvi.NFC(body))))
}

// finish rewrites bluemonday's output where bluemonday cannot express our
// rules: h1 becomes h2, links get their rel and target, and every text and
// attribute value is NFC-normalised again after entity decoding (so
// "a&#x301;" ends up as "á" and a second Sanitize finds nothing to change).
func finish(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	// droppedLinks holds, for every open <a>, whether its tags are left out:
	// bluemonday keeps <a target="_blank"> without href, which linkAttrs
	// empties, and a bare <a> would be dropped by the next Sanitize.
	var droppedLinks []bool
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			writeText(&b, textvi.NFC(string(z.Text())))
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			if tok.DataAtom == atom.H1 {
				tok.DataAtom, tok.Data, tok.Attr = atom.H2, "h2", nil
			}
			for i := range tok.Attr {
				tok.Attr[i].Val = textvi.NFC(tok.Attr[i].Val)
			}
			if tok.DataAtom == atom.A {
				switch tok.Type {
				case html.EndTagToken:
					if n := len(droppedLinks); n > 0 {
						dropped := droppedLinks[n-1]
						droppedLinks = droppedLinks[:n-1]
						if dropped {
							continue
						}
					}
				default:
					tok.Attr = linkAttrs(tok.Attr)
					dropped := len(tok.Attr) == 0
					if tok.Type == html.StartTagToken {
						droppedLinks = append(droppedLinks, dropped)
					}
					if dropped {
						continue
					}
				}
			}
			b.WriteString(tok.String())
		default:
			// bluemonday emits no comments or doctypes under this policy.
		}
	}
}

// writeText escapes text for HTML. A combining mark with no base letter in
// front of it (at the start of the text or after white space) is written as a
// character reference: raw, it would follow the '>' of the previous tag, or
// lead the output once Sanitize trims it, and NFC composes '>' + U+0338 into
// '≯', destroying the tag on the next pass. Escaping it keeps Sanitize
// idempotent.
func writeText(b *strings.Builder, text string) {
	prevBase := false
	last := 0
	for i, r := range text {
		isMark := unicode.Is(unicode.M, r) || norm.NFC.PropertiesString(text[i:]).CCC() != 0
		if isMark && !prevBase {
			b.WriteString(html.EscapeString(text[last:i]))
			fmt.Fprintf(b, "&#x%X;", r)
			last = i + utf8.RuneLen(r)
			continue
		}
		if !isMark {
			prevBase = !unicode.IsSpace(r)
		}
	}
	b.WriteString(html.EscapeString(text[last:]))
}

const externalRel = "noopener noreferrer nofollow"

// linkAttrs sets rel on links that leave the site and keeps target="_blank"
// only there. bluemonday has already reduced the attributes to href and
// target and checked the href.
func linkAttrs(attrs []html.Attribute) []html.Attribute {
	var href string
	var hasHref, blank bool
	for _, a := range attrs {
		switch a.Key {
		case "href":
			href, hasHref = a.Val, true
		case "target":
			blank = a.Val == "_blank"
		}
	}
	out := make([]html.Attribute, 0, 3)
	if hasHref {
		out = append(out, html.Attribute{Key: "href", Val: href})
	}
	if hasHref && isExternal(href) {
		out = append(out, html.Attribute{Key: "rel", Val: externalRel})
		if blank {
			out = append(out, html.Attribute{Key: "target", Val: "_blank"})
		}
	}
	return out
}

// isExternal reports whether href leaves the site: it names a host
// ("https://x", "//x") or an http(s) scheme (browsers resolve "http:x"
// against the page, but treat it as absolute when the scheme differs).
func isExternal(href string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return true // bluemonday only keeps parseable URLs; be strict anyway
	}
	return u.Host != "" || u.Scheme == "http" || u.Scheme == "https"
}

// blockElements start and end a line in PlainText.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Br: true, atom.Hr: true, atom.Blockquote: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Figure: true, atom.Figcaption: true,
	atom.Table: true, atom.Thead: true, atom.Tbody: true, atom.Tfoot: true, atom.Tr: true,
	atom.Caption: true, atom.Pre: true, atom.Div: true, atom.Audio: true, atom.Video: true,
}

// PlainText returns the text a reader sees in the HTML body: it is sanitised first
// (so script and style content never reach a search index), entities are
// decoded, block elements and line breaks separate lines, table cells are
// separated by a space, runs of white space become one space and blank lines
// are dropped. Image alt text is not included.
func PlainText(body string) string {
	z := html.NewTokenizer(strings.NewReader(Sanitize(body)))
	var b strings.Builder
	lineStarted := false
	pendingSpace, pendingBreak := false, false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return norm.NFC.String(b.String())
		case html.TextToken:
			for _, r := range string(z.Text()) {
				if unicode.IsSpace(r) {
					pendingSpace = lineStarted
					continue
				}
				switch {
				case pendingBreak && b.Len() > 0:
					b.WriteByte('\n')
				case pendingSpace:
					b.WriteByte(' ')
				}
				pendingBreak, pendingSpace, lineStarted = false, false, true
				b.WriteRune(r)
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case blockElements[a]:
				pendingBreak, pendingSpace, lineStarted = true, false, false
			case a == atom.Td || a == atom.Th:
				pendingSpace = lineStarted
			}
		}
	}
}
