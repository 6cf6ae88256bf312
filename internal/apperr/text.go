package apperr

import (
	"fmt"
	"strings"
)

// The languages of the catalogue.
const (
	LangVietnamese = "vi"
	LangEnglish    = "en"
)

// text is one catalogue entry: the same message in both languages, as Go
// format strings that take the same arguments (explicit indexes such as
// %[2]d where the two languages order them differently).
type text struct{ vi, en string }

// catalogue holds every message key. Each file messages_<package>.go holds
// the keys of one package, so that no file grows past a reviewable size.
var catalogue = merge(
	apperrMessages, assetMessages, broadcastMessages, distributionMessages,
	partnerMessages, searchMessages, siteMessages, storeMessages,
	storyMessages, userMessages, workflowMessages, webMessages, httpMessages, auditMessages,
	selfcheckMessages,
	mfaMessages,
)

func merge(parts ...map[string]text) map[string]text {
	all := map[string]text{}
	for _, p := range parts {
		for k, v := range p {
			if _, dup := all[k]; dup {
				panic("apperr: message key " + k + " defined twice")
			}
			all[k] = v
		}
	}
	return all
}

var apperrMessages = map[string]text{
	KeyInternal:            {"Lỗi nội bộ", "internal error"},
	"apperr.database_down": {"Cơ sở dữ liệu tạm thời không trả lời, hãy thử lại sau giây lát", "the database is not answering for a moment; try again"},
}

// Localized is a value that reads differently in each language. Arguments
// of a message that implement it are translated with the message.
type Localized interface {
	Text(lang string) string
}

// Phrase is a catalogue key with its arguments that is not an error: a
// piece of a message (a noun, an action) passed as an argument to another.
type Phrase struct {
	Key  string
	Args []any
}

// T returns the phrase key with its arguments, translated when the message
// holding it is shown.
func T(key string, args ...any) Phrase { return Phrase{Key: key, Args: args} }

// Text returns the phrase in lang.
func (p Phrase) Text(lang string) string { return render(p.Key, p.Args, lang) }

// ByLang returns an argument shown as vi in Vietnamese and en in English,
// for values that already exist in both forms, such as a state's Vietnamese
// label and its code.
func ByLang(vi, en any) Localized { return byLang{vi, en} }

type byLang struct{ vi, en any }

func (b byLang) Text(lang string) string {
	if normLang(lang) == LangVietnamese {
		return fmt.Sprint(b.vi)
	}
	return fmt.Sprint(b.en)
}

// normLang maps a language tag to the catalogue's: Vietnamese for "vi" and
// its regional forms ("vi-VN"), English for anything else.
func normLang(lang string) string {
	l := strings.ToLower(lang)
	if l == LangVietnamese || strings.HasPrefix(l, "vi-") || strings.HasPrefix(l, "vi_") {
		return LangVietnamese
	}
	return LangEnglish
}

// render formats key's message in lang. A key missing from the catalogue
// (which TestEveryKeyInSourceIsInCatalogue prevents) shows as the key itself,
// so that it is noticed rather than hidden.
func render(key string, args []any, lang string) string {
	lang = normLang(lang)
	t, ok := catalogue[key]
	if !ok {
		return key
	}
	f := t.en
	if lang == LangVietnamese {
		f = t.vi
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, localize(args, lang)...)
}

func localize(args []any, lang string) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if l, ok := a.(Localized); ok {
			a = l.Text(lang)
		}
		out[i] = a
	}
	return out
}
