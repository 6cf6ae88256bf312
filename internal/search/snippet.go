package search

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/newsroom-vn/newsroom/internal/textvi"
)

// SnippetWords is how many words a snippet shows.
const SnippetWords = 36

// maxSnippetSource bounds the text scanned for a snippet, in bytes.
const maxSnippetSource = 32 << 10

// Snippet returns an HTML fragment of about n words of text around the
// first match of q: every character of text is escaped first, then the
// matching words (compared folded; the last term as a prefix when q.Prefix)
// are wrapped in <mark>. No markup from the text survives. Only the first
// maxSnippetSource bytes are looked at, and words are folded only until the
// first match, since folding is the costly part.
func Snippet(q Query, text string, n int) string {
	if len(text) > maxSnippetSource {
		text = text[:maxSnippetSource]
		for !utf8.ValidString(text) {
			text = text[:len(text)-1]
		}
	}
	segs := segments(text)
	match := matcher(q)
	var words []int // indices of word segments
	first := -1
	for i, sg := range segs {
		if !sg.word {
			continue
		}
		if first < 0 && match(sg.text) {
			first = len(words)
		}
		words = append(words, i)
		if first < 0 && len(words) > n && len(words) > 4000 {
			break // no match early on: show the beginning
		}
		if first >= 0 && len(words) >= first+n {
			break
		}
	}
	if len(words) == 0 {
		return ""
	}
	start := 0
	if first > n/4 {
		start = first - n/4
	}
	end := min(start+n, len(words))
	if end-start < n && end == len(words) {
		start = max(0, end-n)
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	for i := words[start]; i <= words[end-1]; i++ {
		sg := segs[i]
		esc := html.EscapeString(sg.text)
		if sg.word && match(sg.text) {
			b.WriteString("<mark>" + esc + "</mark>")
		} else {
			b.WriteString(strings.ReplaceAll(esc, "\n", " "))
		}
	}
	if end < len(words) || words[end-1] < len(segs)-1 && hasWordAfter(segs[words[end-1]+1:]) {
		b.WriteString(" …")
	}
	return b.String()
}

func hasWordAfter(segs []segment) bool {
	for _, s := range segs {
		if s.word {
			return true
		}
	}
	return false
}

type segment struct {
	text string
	word bool
}

// segments cuts text into alternating runs of word runes and other runes.
func segments(text string) []segment {
	var out []segment
	start := 0
	inWord := false
	for i, r := range text {
		w := isWordRune(r)
		if i == 0 {
			inWord = w
			continue
		}
		if w != inWord {
			out = append(out, segment{text[start:i], inWord})
			start, inWord = i, w
		}
	}
	if start < len(text) {
		out = append(out, segment{text[start:], inWord})
	}
	return out
}

// matcher reports whether a word of text matches a positive word of q.
func matcher(q Query) func(string) bool {
	keys := map[string]bool{}
	for _, w := range q.Positive() {
		keys[w.Folded] = true
	}
	prefix := ""
	if q.Prefix && len(q.Terms) > 0 {
		prefix = q.Terms[len(q.Terms)-1].Folded
	}
	// Syllables repeat a lot in Vietnamese text: remember each verdict, so
	// each distinct word is folded once.
	seen := map[string]bool{}
	return func(word string) bool {
		if m, ok := seen[word]; ok {
			return m
		}
		f := textvi.Fold(word)
		m := keys[f] || (prefix != "" && strings.HasPrefix(f, prefix))
		seen[word] = m
		return m
	}
}
