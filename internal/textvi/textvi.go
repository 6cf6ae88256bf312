// Package textvi holds the Vietnamese text rules shared by the whole newsroom:
// Unicode normalisation, single-line cleaning, accent folding for search keys,
// URL slugs and syllable counts.
//
// Vietnamese text reaches us in both composed (NFC) and decomposed (NFD) form:
// Windows and most keyboards (Unikey, EVKey) send NFC, macOS file names and
// some copy-paste paths send NFD, and the two look identical on screen while
// comparing unequal. Everything stored is therefore NFC, and every comparison
// that should ignore accents goes through Fold.
package textvi

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxSlugLen is the longest slug Slugify returns, in bytes (a slug is ASCII,
// so bytes and characters are the same).
const MaxSlugLen = 80

// NFC returns s in Unicode Normalisation Form C, the form everything is stored
// in. It also drops what no editor means to type: invalid UTF-8 bytes, C0
// control characters other than tab and newline, DEL and C1 control characters
// (U+0080–U+009F, usually debris of text decoded as Windows-1252). Windows
// (\r\n) and old Mac (\r) line breaks become \n.
//
// Controls are removed before normalising, because removing a control that sat
// between a letter and its combining mark can make the pair composable.
func NFC(s string) string {
	if isPlainASCII(s) {
		return s
	}
	if needsScrub(s) {
		s = scrub(s)
	}
	return norm.NFC.String(s)
}

// isPlainASCII reports whether s is printable ASCII, tab and newline only:
// such a string is already clean and in NFC, the common case for markup.
func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c == 0x7f || (c < 0x20 && c != '\t' && c != '\n') {
			return false
		}
	}
	return true
}

func needsScrub(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return true
			}
		}
		if isDroppedControl(r) || r == '\r' {
			return true
		}
	}
	return false
}

func scrub(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			// invalid byte: dropped
		case r == '\r':
			b.WriteByte('\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case isDroppedControl(r):
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isDroppedControl reports the control characters NFC removes; \r is handled
// separately because it becomes a line break.
func isDroppedControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	}
	return false
}

// Clean returns s ready to be stored as a single-line value such as a
// headline, a person's name or a tag: NFC, surrounding white space removed,
// and every inner run of white space (including line breaks and no-break
// spaces) collapsed to one ASCII space. Zero-width spaces and byte order marks,
// which arrive invisibly from Word and web pages and break search and
// de-duplication, are removed.
func Clean(s string) string {
	s = NFC(s)
	if strings.ContainsAny(s, "\u200b\ufeff") {
		// Removed before collapsing and normalised again: the invisible
		// character may have separated a letter from its combining mark.
		s = norm.NFC.String(strings.NewReplacer("\u200b", "", "\ufeff", "").Replace(s))
	}
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			pendingSpace = b.Len() > 0
			continue
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Fold returns the search key of s: lower case, with every diacritic removed
// and đ (also Đ, the look-alike Ð U+00D0 and Ɖ U+0189 that legacy fonts and
// careless typists put in its place) mapped to d, so that
// "Đường về Hưng Yên" becomes "duong ve hung yen". The result is meant for
// comparison and indexing, never for display.
//
// Every combining mark (Unicode category M) is dropped, which is what
// Vietnamese needs; scripts whose vowels are spacing marks (Devanagari, Thai)
// lose them too, an accepted loss for a search key.
func Fold(s string) string {
	s = strings.ToLower(NFC(s))
	if isPlainASCII(s) {
		return s
	}
	s = norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.M, r) {
			continue
		}
		if d, ok := foldRune(r); ok {
			b.WriteString(d)
			continue
		}
		b.WriteRune(r)
	}
	// Recompose what NFD split but is not an accent (Hangul syllables, for
	// example), so the key stays in the same form as stored text.
	return norm.NFC.String(b.String())
}

// foldRune maps the letters that carry no combining mark in NFD but that a
// reader still sees as an accented Latin letter.
func foldRune(r rune) (string, bool) {
	switch r {
	case 'đ', 'Đ', 'ð', 'Ð', 'ɖ', 'Ɖ':
		return "d", true
	}
	return "", false
}

// slugExtra spells the Latin letters that have no decomposition, so that
// foreign names in headlines ("Søren", "Łódź", "Straße") keep their letters in
// slugs. Fold leaves them alone since they are distinct letters to search.
var slugExtra = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'þ': "th", 'ı': "i",
}

// Slugify returns the URL slug of s: Fold, then runs of [a-z0-9] joined by
// single hyphens, at most MaxSlugLen characters, cut at a hyphen when the
// first word is not itself longer than the limit.
// "Đường về Hưng Yên" gives "duong-ve-hung-yen" and
// "  Giá xăng tăng 5%!!! " gives "gia-xang-tang-5".
//
// Input with no letter or digit of the Latin alphabet gives "", and the caller
// chooses the fallback (an id, a date). Apostrophes are dropped without
// splitting a word ("Hà Nội's" gives "ha-nois").
func Slugify(s string) string {
	s = Fold(s)
	var b strings.Builder
	b.Grow(len(s))
	pendingHyphen := false
	write := func(str string) {
		if pendingHyphen {
			b.WriteByte('-')
			pendingHyphen = false
		}
		b.WriteString(str)
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			write(string(r))
		case r == '\'' || r == '’':
			// keep the word whole
		default:
			if x, ok := slugExtra[r]; ok {
				write(x)
				continue
			}
			pendingHyphen = b.Len() > 0
		}
	}
	slug := b.String()
	if len(slug) <= MaxSlugLen {
		return slug
	}
	// slug[MaxSlugLen] == '-' means the cut falls exactly at a word end.
	if i := strings.LastIndexByte(slug[:MaxSlugLen+1], '-'); i > 0 {
		return slug[:i]
	}
	return strings.TrimRight(slug[:MaxSlugLen], "-")
}

// SlugCandidates lists the slugs to try, in order, when base may be taken:
// base, base-2, base-3 ... base-n. Every face numbers a taken slug the
// same way.
func SlugCandidates(base string, n int) []string {
	out := []string{base}
	for i := 2; i <= n; i++ {
		out = append(out, base+"-"+strconv.Itoa(i))
	}
	return out
}

// CountSyllables returns the number of white-space separated words in s that
// contain at least one letter or digit. Vietnamese writes one syllable per
// word, so this is the syllable count read-time estimates are based on;
// punctuation standing alone ("–", "...") is not counted.
func CountSyllables(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				n++
				break
			}
		}
	}
	return n
}

// DefaultWordsPerMinute is the usual reading rate of a Vietnamese newsreader,
// counted in syllables (each written word is one syllable).
const DefaultWordsPerMinute = 160

// ReadSeconds is how long reading text aloud takes at wordsPerMinute, each
// syllable counting as a word, rounded up to whole seconds: a broadcast
// running order must never come up short. A rate of zero or less means
// DefaultWordsPerMinute.
func ReadSeconds(text string, wordsPerMinute int) int {
	if wordsPerMinute <= 0 {
		wordsPerMinute = DefaultWordsPerMinute
	}
	n := CountSyllables(text)
	return (n*60 + wordsPerMinute - 1) / wordsPerMinute
}
