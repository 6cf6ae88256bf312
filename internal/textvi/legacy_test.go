package textvi

import (
	"testing"
	"unicode/utf8"
)

// legacySamples are known renderings of legacy text as it arrives, decoded
// as Latin-1 (the classic "Hµ Néi" and "Vieät Nam").
var legacySamples = []struct {
	in   string
	enc  Legacy
	want string
}{
	{"Hµ Néi lµ thñ ®« cña ViÖt Nam", LegacyTCVN3, "Hà Nội là thủ đô của Việt Nam"},
	{"§µ N½ng vµ thµnh phè Hå ChÝ Minh", LegacyTCVN3, "Đà Nẵng và thành phố Hồ Chí Minh"},
	{"Haø Noäi laø thuû ñoâ cuûa Vieät Nam", LegacyVNI, "Hà Nội là thủ đô của Việt Nam"},
	{"Ñaø Naüng vaø thaønh phoá Hoà Chí Minh, ngöôøi daân", LegacyVNI, "Đà Nẵng và thành phố Hồ Chí Minh, người dân"},
	{"<p>Quoác hoäi khoùa XV hoïp kyø thöù nhaát</p>", LegacyVNI, "<p>Quốc hội khóa XV họp kỳ thứ nhất</p>"},
}

func TestConvertLegacySamples(t *testing.T) {
	for _, s := range legacySamples {
		got, enc := ConvertLegacy(s.in)
		if got != s.want || enc != s.enc {
			t.Errorf("%q: got %q (%s), want %q (%s)", s.in, got, enc, s.want, s.enc)
		}
	}
}

// TestLegacyTablesRoundTrip checks the conversion tables letter by letter:
// every Vietnamese letter spelled in VNI (both cases) and in TCVN3 (lower
// case, plus the capitals TCVN3 has) converts back to itself.
func TestLegacyTablesRoundTrip(t *testing.T) {
	letters := "aáàảãạăắằẳẵặâấầẩẫậeéèẻẽẹêếềểễệiíìỉĩịoóòỏõọôốồổỗộơớờởỡợuúùủũụưứừửữựyýỳỷỹỵđ"
	for _, r := range letters {
		for _, l := range []string{string(r)} {
			if got := fromVNI(ToVNI(l)); got != l {
				t.Errorf("VNI %q -> %q -> %q", l, ToVNI(l), got)
			}
			if got := fromTCVN3(ToTCVN3(l)); got != l {
				t.Errorf("TCVN3 %q -> %q -> %q", l, ToTCVN3(l), got)
			}
		}
	}
	for _, r := range "AÁÀẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬEÉÈẺẼẸÊẾỀỂỄỆIÍÌỈĨỊOÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢUÚÙỦŨỤƯỨỪỬỮỰYÝỲỶỸỴĐ" {
		if got := fromVNI(ToVNI(string(r))); got != string(r) {
			t.Errorf("VNI %q -> %q -> %q", string(r), ToVNI(string(r)), got)
		}
	}
	for _, r := range "ĂÂÊÔƠƯĐ" {
		if got := fromTCVN3(ToTCVN3(string(r))); got != string(r) {
			t.Errorf("TCVN3 %q -> %q", string(r), got)
		}
	}
	if n := len(tcvn3Table); n != 74 {
		t.Errorf("TCVN3 table has %d entries, want 74 (60 toned lower-case letters, ă â ê ô ơ ư đ and their 7 capitals)", n)
	}
	if n := len(vniTable); n != 134 {
		t.Errorf("VNI table has %d entries, want 134", n)
	}
}

// TestDetectLegacyIsCautious: Unicode Vietnamese, Western European text and
// short or ambiguous strings are never converted.
func TestDetectLegacyIsCautious(t *testing.T) {
	for _, s := range []string{
		"Hà Nội là thủ đô của Việt Nam",
		"Hoà bình, hoá học và thuý", // old-style tone placement, Latin-1 only
		"Café crème, naïve façade, Ångström, São Paulo, Müller",
		"Hµ", "aø", "", "plain ASCII text",
		"Thành phố Hà Nội lµ", // a modern letter means Unicode
	} {
		if got, enc := ConvertLegacy(s); enc != LegacyNone || got != s {
			t.Errorf("%q converted as %s to %q", s, enc, got)
		}
	}
}

func FuzzConvertLegacy(f *testing.F) {
	for _, s := range legacySamples {
		f.Add(s.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, enc := ConvertLegacy(s)
		if enc == LegacyNone && got != s {
			t.Fatalf("%q changed without a detected encoding", s)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("%q: invalid UTF-8 out", s)
		}
	})
}
