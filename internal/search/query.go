// Package search is the newsroom's Vietnamese-aware search: the query
// language (words, "quoted phrases", -exclusions, a prefix on the last word
// while typing), the filters and hits, ranking rules, related stories and tag
// suggestions. The full-text backends (PostgreSQL tsvector, SQLite FTS5) live
// in package store behind Searcher.
//
// Every word of a query exists in two forms: Exact (lower case, NFC) and
// Folded (textvi.Fold: no diacritics, đ → d). Matching uses the folded form,
// so "ha noi", "Hà Nội" and "HA NOI" find the same stories; ranking boosts
// stories that also contain the exact form, so "đường" ranks "đường" above
// "dương". Words are runs of letters and digits only: no character of a query
// ever reaches a MATCH expression or a tsquery except inside a word the
// backend quotes itself.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/textvi"
)

// Limits on a query.
const (
	MaxQueryRunes = 500 // longer queries are refused
	MaxQueryWords = 24  // words, phrase words and exclusions together
	MaxWordRunes  = 64  // a longer "word" is cut (no Vietnamese syllable comes close)
	// MinPrefixRunes is the shortest last word expanded as a prefix; a shorter
	// one is dropped when the query has other words, or matched whole.
	MinPrefixRunes = 2
)

// Word is one searchable word in its two forms.
type Word struct {
	Exact  string // lower case, NFC
	Folded string // textvi.Fold
}

// Query is a parsed search query.
type Query struct {
	// Terms must all appear (or, when Any, at least one).
	Terms []Word
	// Phrases must appear as consecutive words.
	Phrases [][]Word
	// Exclude must not appear.
	Exclude []Word
	// Prefix makes the last term a prefix (search-as-you-type): set when the
	// query ends inside a bare word rather than after a space or a quote.
	Prefix bool
	// Any matches stories with at least one term instead of all of them
	// (related stories); ParseQuery never sets it.
	Any bool
}

// IsEmpty reports whether the query has nothing to match.
func (q Query) IsEmpty() bool { return len(q.Terms) == 0 && len(q.Phrases) == 0 }

// Positive returns every word that must match (terms and phrase words), for
// snippets and highlighting.
func (q Query) Positive() []Word {
	out := append([]Word(nil), q.Terms...)
	for _, p := range q.Phrases {
		out = append(out, p...)
	}
	return out
}

// ParseQuery parses what a person typed. Quotes delimit phrases (an
// unbalanced quote runs to the end); a word preceded by "-" is excluded;
// every other character that is not a letter or digit separates words, so
// FTS and SQL syntax (' " * : & | ! ( ) NEAR AND OR) is inert: NEAR, AND and
// OR are ordinary words. The only error is apperr.Invalid: a query longer
// than MaxQueryRunes, with more than MaxQueryWords words, or with no word to
// look for.
func ParseQuery(s string) (Query, error) {
	var q Query
	if n := utf8.RuneCountInString(s); n > MaxQueryRunes {
		return q, apperr.InvalidField("q", "search.query_too_long", n, MaxQueryRunes)
	}
	s = textvi.NFC(s)
	if strings.TrimSpace(s) == "" {
		return q, apperr.InvalidField("q", "search.query_empty")
	}
	rs := []rune(s)
	count := 0
	lastBare := false // the last thing parsed was a bare term that ended the input
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '"' || r == '“' || r == '”':
			j := i + 1
			for j < len(rs) && rs[j] != '"' && rs[j] != '“' && rs[j] != '”' {
				j++
			}
			words := splitWords(string(rs[i+1 : min(j, len(rs))]))
			count += len(words)
			switch len(words) {
			case 0:
			case 1:
				q.Terms = append(q.Terms, words[0])
			default:
				q.Phrases = append(q.Phrases, words)
			}
			lastBare = false
			i = j + 1
		case (r == '-' || r == '−') && (i == 0 || !isWordRune(rs[i-1])) && i+1 < len(rs) && isWordRune(rs[i+1]):
			j := i + 1
			for j < len(rs) && isWordRune(rs[j]) {
				j++
			}
			if w, ok := makeWord(string(rs[i+1 : j])); ok {
				q.Exclude = append(q.Exclude, w)
				count++
			}
			lastBare = false
			i = j
		case isWordRune(r):
			j := i
			for j < len(rs) && isWordRune(rs[j]) {
				j++
			}
			if w, ok := makeWord(string(rs[i:j])); ok {
				q.Terms = append(q.Terms, w)
				count++
			}
			lastBare = j == len(rs)
			i = j
		default:
			lastBare = false
			i++
		}
	}
	if count > MaxQueryWords {
		return Query{}, apperr.InvalidField("q", "search.query_too_many_words", count, MaxQueryWords)
	}
	if q.IsEmpty() {
		return Query{}, apperr.InvalidField("q", "search.query_no_word")
	}
	if lastBare && len(q.Terms) > 0 {
		last := q.Terms[len(q.Terms)-1]
		switch {
		case utf8.RuneCountInString(last.Folded) >= MinPrefixRunes:
			q.Prefix = true
		case len(q.Terms) > 1 || len(q.Phrases) > 0:
			// One letter typed after a space: too broad to expand, and not yet a word.
			q.Terms = q.Terms[:len(q.Terms)-1]
		}
	}
	return q, nil
}

// isWordRune reports letters, digits and combining marks (NFC leaves some
// marks uncomposed, and they belong to their letter).
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

// splitWords returns the words of s, in order.
func splitWords(s string) []Word {
	var out []Word
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !isWordRune(r) }) {
		if w, ok := makeWord(f); ok {
			out = append(out, w)
		}
	}
	return out
}

// Words returns the words of a text in their two forms (tag suggestions,
// related stories, snippets).
func Words(s string) []Word { return splitWords(textvi.NFC(s)) }

func makeWord(s string) (Word, bool) {
	if utf8.RuneCountInString(s) > MaxWordRunes {
		s = string([]rune(s)[:MaxWordRunes])
	}
	exact := strings.ToLower(s)
	folded := textvi.Fold(exact)
	// Folding keeps only letters and digits, but be strict: a key must be
	// made of word runes, or it is dropped.
	folded = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, folded)
	exact = strings.Map(func(r rune) rune {
		if isWordRune(r) {
			return r
		}
		return -1
	}, exact)
	if folded == "" {
		return Word{}, false
	}
	return Word{Exact: exact, Folded: folded}, true
}
