package textvi

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/newsroom-vn/newsroom/internal/testutil/table"
	"golang.org/x/text/unicode/norm"
)

// vowelRows lists the twelve Vietnamese vowels with their five tones, in the
// order: no tone, huyền, sắc, hỏi, ngã, nặng. Each row is written with
// precomposed (NFC) characters and folds to its first letter.
var vowelRows = []struct {
	row  string
	base string
}{
	{"aàáảãạ", "a"}, {"ăằắẳẵặ", "a"}, {"âầấẩẫậ", "a"},
	{"eèéẻẽẹ", "e"}, {"êềếểễệ", "e"},
	{"iìíỉĩị", "i"},
	{"oòóỏõọ", "o"}, {"ôồốổỗộ", "o"}, {"ơờớởỡợ", "o"},
	{"uùúủũụ", "u"}, {"ưừứửữự", "u"},
	{"yỳýỷỹỵ", "y"},
	{"AÀÁẢÃẠ", "a"}, {"ĂẰẮẲẴẶ", "a"}, {"ÂẦẤẨẪẬ", "a"},
	{"EÈÉẺẼẸ", "e"}, {"ÊỀẾỂỄỆ", "e"},
	{"IÌÍỈĨỊ", "i"},
	{"OÒÓỎÕỌ", "o"}, {"ÔỒỐỔỖỘ", "o"}, {"ƠỜỚỞỠỢ", "o"},
	{"UÙÚỦŨỤ", "u"}, {"ƯỪỨỬỮỰ", "u"},
	{"YỲÝỶỸỴ", "y"},
}

// Tone marks as combining characters, in the same order as vowelRows.
var toneMarks = []string{"", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}

// vowelBases are the toneless vowels spelt in NFD, in vowelRows order.
var vowelBases = []string{
	"a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u", "u\u031b", "y",
	"A", "A\u0306", "A\u0302", "E", "E\u0302", "I", "O", "O\u0302", "O\u031b", "U", "U\u031b", "Y",
}

func TestVowelTable(t *testing.T) {
	if len(vowelBases) != len(vowelRows) {
		t.Fatalf("table sizes differ: %d bases, %d rows", len(vowelBases), len(vowelRows))
	}
	for i, vr := range vowelRows {
		letters := []rune(vr.row)
		if len(letters) != len(toneMarks) {
			t.Fatalf("row %q has %d letters, want %d", vr.row, len(letters), len(toneMarks))
		}
		for j, want := range letters {
			nfd := vowelBases[i] + toneMarks[j]
			if got := NFC(nfd); got != string(want) {
				t.Errorf("NFC(%+q) = %+q, want %q", nfd, got, want)
			}
			if got := Fold(string(want)); got != vr.base {
				t.Errorf("Fold(%q) = %q, want %q", want, got, vr.base)
			}
			if got := Fold(nfd); got != vr.base {
				t.Errorf("Fold(%+q) = %q, want %q", nfd, got, vr.base)
			}
			if got := Slugify(string(want)); got != vr.base {
				t.Errorf("Slugify(%q) = %q, want %q", want, got, vr.base)
			}
		}
	}
}

func TestNFC(t *testing.T) {
	table.Run(t, "NFC", NFC, []table.Case[string, string]{
		{"empty", "", ""},
		{"ascii untouched", "Ha Noi\tva\nHue", "Ha Noi\tva\nHue"},
		{"already NFC", "Hà Nội", "Hà Nội"},
		{"NFD city", "Ha\u0300 No\u0323\u0302i", "Hà Nội"},
		{"NFD marks in either order", "No\u0302\u0323i", "Nội"},
		{"NFD upper", "\u0110a\u0300 Na\u0306\u0303ng", "Đà Nẵng"},
		{"NFD horn and tone", "Hu\u031bng Ye\u0302n", "Hưng Yên"},
		{"NUL removed", "Hà\x00 Nội", "Hà Nội"},
		{"C0 removed, tab and newline kept", "a\x01b\x1fc\td\ne", "abc\td\ne"},
		{"DEL and C1 removed", "a\x7fb\u0085c\u009fd", "abcd"},
		{"CRLF", "dòng 1\r\ndòng 2\r\n", "dòng 1\ndòng 2\n"},
		{"lone CR", "a\rb", "a\nb"},
		{"CR CR LF", "a\r\r\nb", "a\n\nb"},
		{"invalid UTF-8 dropped", "Hà\xff\xfeNội\xc3", "HàNội"},
		{"control between letter and mark", "a\x00\u0301", "á"},
		{"emoji kept", "Chúc mừng 🎉", "Chúc mừng 🎉"},
		{"replacement char kept", "a\uFFFDb", "a\uFFFDb"},
		{"digits", "Năm 2025 có 365 ngày", "Năm 2025 có 365 ngày"},
	})
}

func TestNFDAndNFCCompareEqual(t *testing.T) {
	// "No\u0323i" alone is "Nọi": ộ needs both the circumflex and the dot.
	if NFC("Ha\u0300 No\u0302\u0323i") != NFC("Hà Nội") {
		t.Fatal("NFD and NFC spellings of Hà Nội differ after NFC")
	}
	if NFC("Ha\u0300 No\u0323i") != "Hà Nọi" {
		t.Fatal("NFC composed a mark that was not in the input")
	}
	if Fold("Ha\u0300 No\u0323\u0302i") != Fold("HÀ NỘI") {
		t.Fatal("Fold of NFD and upper-case Hà Nội differ")
	}
}

func TestClean(t *testing.T) {
	table.Run(t, "Clean", Clean, []table.Case[string, string]{
		{"empty", "", ""},
		{"blank", " \t\n ", ""},
		{"trim and collapse", "  Giá   xăng\t\ttăng  ", "Giá xăng tăng"},
		{"newlines collapse", "Bão số 3\r\nđổ bộ\nQuảng Ninh", "Bão số 3 đổ bộ Quảng Ninh"},
		{"no-break and ideographic spaces", "Hà\u00a0Nội\u3000mưa", "Hà Nội mưa"},
		{"zero-width and BOM removed", "\ufeffHà\u200b Nội", "Hà Nội"},
		{"NFD normalised", "  Nguye\u0302\u0303n  Va\u0306n  A ", "Nguyễn Văn A"},
		{"controls removed", "Tin\x00 nóng\x07", "Tin nóng"},
		{"zero-width space between letter and mark", "a\u200b\u0301", "á"},
		{"ZWJ emoji kept", "gia đình 👨\u200d👩\u200d👧", "gia đình 👨\u200d👩\u200d👧"},
	})
}

func TestFold(t *testing.T) {
	table.Run(t, "Fold", Fold, []table.Case[string, string]{
		{"empty", "", ""},
		{"brief example", "Đường về Hưng Yên", "duong ve hung yen"},
		{"upper case", "ĐƯỜNG VỀ HƯNG YÊN", "duong ve hung yen"},
		{"NFD input", "D\u0306\u0301", "d"},
		{"đ lower and upper", "đĐ", "dd"},
		{"Icelandic eth as Đ", "Ðà Lạt", "da lat"},
		{"African D as Đ", "Ɖồng Nai", "dong nai"},
		{"old and new tone placement", "hòa hoà", "hoa hoa"},
		{"all horn letters", "Ơ ơ Ư ư", "o o u u"},
		{"all hat letters", "Â â Ê ê Ô ô Ă ă", "a a e e o o a a"},
		{"digits and punctuation kept", "Giá xăng tăng 5%!", "gia xang tang 5%!"},
		{"French accents", "Café Français", "cafe francais"},
		{"Turkish dotted I", "İstanbul", "istanbul"},
		{"non-Latin kept", "Hàn Quốc 한국", "han quoc 한국"},
		{"ascii fast path", "HA NOI", "ha noi"},
	})
}

func TestSlugify(t *testing.T) {
	long := strings.Repeat("Nguyễn ", 20) // "nguyen-" * 20 = 139 characters
	tests := []struct {
		name, in, want string
	}{
		{"brief example", "Đường về Hưng Yên", "duong-ve-hung-yen"},
		{"punctuation and spaces", "  Giá xăng tăng 5%!!! ", "gia-xang-tang-5"},
		{"empty", "", ""},
		{"symbols only", " %%% — !!! ", ""},
		{"non-Latin only", "한국", ""},
		{"NFD input", "Ha\u0300 No\u0323i", "ha-noi"},
		{"upper case hats and horns", "ĂN ÂM ÊM ÔM ƠN ƯU ĐI", "an-am-em-om-on-uu-di"},
		{"mixed digits", "Bão số 3 gây thiệt hại 1.200 tỷ đồng", "bao-so-3-gay-thiet-hai-1-200-ty-dong"},
		{"digits glued to letters", "COVID-19 và H5N1", "covid-19-va-h5n1"},
		{"hyphens and underscores collapse", "--a__b--", "a-b"},
		{"apostrophe keeps word", "Hà Nội's best", "ha-nois-best"},
		{"typographic apostrophe", "O’Neil", "oneil"},
		{"foreign letters", "Søren Kierkegaard ở Straße", "soren-kierkegaard-o-strasse"},
		{"Icelandic eth as Đ", "ÐÀ NẴNG", "da-nang"},
		{"newline and tab", "Tin\nnóng\tnhất", "tin-nong-nhat"},
		{"cut at word boundary", long, strings.TrimSuffix(strings.Repeat("nguyen-", 11), "-")},
		{"exactly 80 kept", strings.Repeat("a", 80), strings.Repeat("a", 80)},
		{"cut when word ends at 80", strings.Repeat("a", 80) + " b", strings.Repeat("a", 80)},
		{"one long word cut hard", strings.Repeat("a", 100), strings.Repeat("a", 80)},
		{"short word then long word", "ab " + strings.Repeat("c", 100), "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Slugify(tt.in)
			if got != tt.want {
				t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
			checkSlug(t, tt.in, got)
		})
	}
}

func TestCountSyllables(t *testing.T) {
	table.Run(t, "CountSyllables", CountSyllables, []table.Case[string, int]{
		{"empty", "", 0},
		{"blank", " \n\t ", 0},
		{"sentence", "Đường về Hưng Yên", 4},
		{"punctuation alone not counted", "Hà Nội – mưa ... to !", 4},
		{"punctuation attached counted", "Thôi, về đi.", 3},
		{"digits count", "Năm 2025 tăng 5%", 4},
		{"multiple lines", "dòng một\n\ndòng hai", 4},
		{"no-break space separates", "Hà\u00a0Nội", 2},
		{"NFD counts the same", "Ha\u0300 No\u0323i", 2},
	})
}

func TestReadSeconds(t *testing.T) {
	words := func(n int) string { return strings.Repeat("tin ", n) }
	tests := []struct {
		name string
		in   string
		wpm  int
		want int
	}{
		{"empty", "", 160, 0},
		{"160 syllables at 160 is a minute", words(160), 160, 60},
		{"one syllable rounds up to a second", "Chào", 160, 1},
		{"161 syllables rounds up", words(161), 160, 61},
		{"3 syllables at 180 is exactly 1 s", words(3), 180, 1},
		{"4 syllables at 180 rounds up to 2 s", words(4), 180, 2},
		{"slow reader", words(120), 120, 60},
		{"zero rate uses the default", words(160), 0, 60},
		{"negative rate uses the default", words(80), -5, 30},
		{"punctuation is not read", "Hà Nội – mưa ... to !", 60, 4},
		{"NFD counts the same", "Ha\u0300 No\u0323i", 60, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReadSeconds(tt.in, tt.wpm); got != tt.want {
				t.Errorf("ReadSeconds(%q, %d) = %d, want %d", tt.in, tt.wpm, got, tt.want)
			}
		})
	}
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func checkSlug(t *testing.T, in, slug string) {
	t.Helper()
	if slug != "" && !slugPattern.MatchString(slug) {
		t.Errorf("Slugify(%q) = %q: not a slug", in, slug)
	}
	if len(slug) > MaxSlugLen {
		t.Errorf("Slugify(%q) = %q: %d characters, more than %d", in, slug, len(slug), MaxSlugLen)
	}
	if again := Slugify(slug); again != slug {
		t.Errorf("Slugify not idempotent on %q: %q then %q", in, slug, again)
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{
		"", "Đường về Hưng Yên", "  Giá xăng tăng 5%!!! ", "Ha\u0300 No\u0323i", "---",
		strings.Repeat("Nguyễn ", 20), strings.Repeat("a", 81), "Straße ß", "\xff\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkSlug(t, s, Slugify(s))
	})
}

func FuzzNFC(f *testing.F) {
	for _, s := range []string{
		"", "Hà Nội", "Ha\u0300 No\u0323i", "a\x00\u0301", "\r\n\r", "\xc3", "ĐÐƉ", "İ", "한국",
		"\u0338>", "e\u0323\u0302", "a\u200b\u0301", "ẞ ǅ ﬁ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := NFC(s)
		if !utf8.ValidString(got) {
			t.Fatalf("NFC(%+q) = %+q: invalid UTF-8", s, got)
		}
		if !norm.NFC.IsNormalString(got) {
			t.Fatalf("NFC(%+q) = %+q: not in NFC", s, got)
		}
		for _, r := range got {
			if isDroppedControl(r) || r == '\r' {
				t.Fatalf("NFC(%+q) = %+q: control %U left", s, got, r)
			}
		}
		if again := NFC(got); again != got {
			t.Fatalf("NFC not idempotent on %+q: %+q then %+q", s, got, again)
		}

		folded := Fold(s)
		for _, r := range folded {
			if unicode.Is(unicode.M, r) {
				t.Fatalf("Fold(%+q) = %+q: combining mark %U left", s, folded, r)
			}
			if r == 'đ' || r == 'Đ' {
				t.Fatalf("Fold(%+q) = %+q: %q left", s, folded, r)
			}
		}
		if again := Fold(folded); again != folded {
			t.Fatalf("Fold not idempotent on %+q: %+q then %+q", s, folded, again)
		}
		if !utf8.ValidString(folded) {
			t.Fatalf("Fold(%+q) = %+q: invalid UTF-8", s, folded)
		}

		cleaned := Clean(s)
		if cleaned != strings.TrimSpace(cleaned) || strings.Contains(cleaned, "  ") || strings.ContainsAny(cleaned, "\n\t") {
			t.Fatalf("Clean(%+q) = %+q: white space left", s, cleaned)
		}
		if again := Clean(cleaned); again != cleaned {
			t.Fatalf("Clean not idempotent on %+q: %+q then %+q", s, cleaned, again)
		}
	})
}
