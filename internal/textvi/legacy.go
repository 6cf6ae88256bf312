package textvi

import (
	"strings"
	"unicode"
)

// Legacy names a pre-Unicode Vietnamese encoding.
type Legacy string

// The legacy encodings ConvertLegacy recognises.
const (
	LegacyNone  Legacy = ""
	LegacyTCVN3 Legacy = "tcvn3" // TCVN 5712:1993 VN3, the ".Vn" fonts (ABC)
	LegacyVNI   Legacy = "vni"   // VNI-Windows, the "VNI-" fonts
)

// Text in these encodings reaches us decoded as Windows-1252/Latin-1: old
// Word documents in .VnTime or VNI-Times pasted into the editor, or archives
// converted byte for byte. TCVN3 gives one Latin-1 character per Vietnamese
// letter ("Hµ Néi", "ViÖt Nam"); VNI writes a base letter followed by a mark
// character ("Haø Noäi", "Vieät Nam").

// tcvn3Table maps TCVN3 bytes to letters. TCVN3 has no upper-case toned
// letters in the same font (they live in the ".VnTimeH" capital fonts, whose
// text is a case-shifted copy): only Ă Â Ê Ô Ơ Ư Đ.
var tcvn3Table = map[rune]rune{
	0xA1: 'Ă', 0xA2: 'Â', 0xA3: 'Ê', 0xA4: 'Ô', 0xA5: 'Ơ', 0xA6: 'Ư', 0xA7: 'Đ',
	0xA8: 'ă', 0xA9: 'â', 0xAA: 'ê', 0xAB: 'ô', 0xAC: 'ơ', 0xAD: 'ư', 0xAE: 'đ',
	0xB5: 'à', 0xB6: 'ả', 0xB7: 'ã', 0xB8: 'á', 0xB9: 'ạ',
	0xBB: 'ằ', 0xBC: 'ẳ', 0xBD: 'ẵ', 0xBE: 'ắ', 0xC6: 'ặ',
	0xC7: 'ầ', 0xC8: 'ẩ', 0xC9: 'ẫ', 0xCA: 'ấ', 0xCB: 'ậ',
	0xCC: 'è', 0xCE: 'ẻ', 0xCF: 'ẽ', 0xD0: 'é', 0xD1: 'ẹ',
	0xD2: 'ề', 0xD3: 'ể', 0xD4: 'ễ', 0xD5: 'ế', 0xD6: 'ệ',
	0xD7: 'ì', 0xD8: 'ỉ', 0xDC: 'ĩ', 0xDD: 'í', 0xDE: 'ị',
	0xDF: 'ò', 0xE1: 'ỏ', 0xE2: 'õ', 0xE3: 'ó', 0xE4: 'ọ',
	0xE5: 'ồ', 0xE6: 'ổ', 0xE7: 'ỗ', 0xE8: 'ố', 0xE9: 'ộ',
	0xEA: 'ờ', 0xEB: 'ở', 0xEC: 'ỡ', 0xED: 'ớ', 0xEE: 'ợ',
	0xEF: 'ù', 0xF1: 'ủ', 0xF2: 'ũ', 0xF3: 'ú', 0xF4: 'ụ',
	0xF5: 'ừ', 0xF6: 'ử', 0xF7: 'ữ', 0xF8: 'ứ', 0xF9: 'ự',
	0xFA: 'ỳ', 0xFB: 'ỷ', 0xFC: 'ỹ', 0xFD: 'ý', 0xFE: 'ỵ',
}

// vniTable maps each letter to its VNI-Windows spelling (as Latin-1 text).
// Only the lower-case letters are listed: an upper-case letter is spelt in
// the upper case of its lower-case spelling ('Ệ' "EÄ" as 'ệ' "eä"), which
// withUpper adds.
var vniTable = withUpper(map[rune]string{
	'á': "aù", 'à': "aø", 'ả': "aû", 'ã': "aõ", 'ạ': "aï",
	'ă': "aê", 'ắ': "aé", 'ằ': "aè", 'ẳ': "aú", 'ẵ': "aü", 'ặ': "aë",
	'â': "aâ", 'ấ': "aá", 'ầ': "aà", 'ẩ': "aå", 'ẫ': "aã", 'ậ': "aä",
	'é': "eù", 'è': "eø", 'ẻ': "eû", 'ẽ': "eõ", 'ẹ': "eï",
	'ê': "eâ", 'ế': "eá", 'ề': "eà", 'ể': "eå", 'ễ': "eã", 'ệ': "eä",
	'í': "í", 'ì': "ì", 'ỉ': "æ", 'ĩ': "ó", 'ị': "ò",
	'ó': "où", 'ò': "oø", 'ỏ': "oû", 'õ': "oõ", 'ọ': "oï",
	'ô': "oâ", 'ố': "oá", 'ồ': "oà", 'ổ': "oå", 'ỗ': "oã", 'ộ': "oä",
	'ơ': "ô", 'ớ': "ôù", 'ờ': "ôø", 'ở': "ôû", 'ỡ': "ôõ", 'ợ': "ôï",
	'ú': "uù", 'ù': "uø", 'ủ': "uû", 'ũ': "uõ", 'ụ': "uï",
	'ư': "ö", 'ứ': "öù", 'ừ': "öø", 'ử': "öû", 'ữ': "öõ", 'ự': "öï",
	'ý': "yù", 'ỳ': "yø", 'ỷ': "yû", 'ỹ': "yõ", 'ỵ': "î",
	'đ': "ñ",
})

// withUpper returns lower with, for each letter, its upper case spelt in
// the upper case of its spelling.
func withUpper(lower map[rune]string) map[rune]string {
	m := make(map[rune]string, 2*len(lower))
	for r, s := range lower {
		m[r], m[unicode.ToUpper(r)] = s, strings.ToUpper(s)
	}
	return m
}

// vniDecode is vniTable inverted: VNI spelling to letter.
var vniDecode = func() map[string]rune {
	m := make(map[string]rune, len(vniTable))
	for r, s := range vniTable {
		if s != string(r) {
			m[s] = r
		}
	}
	return m
}()

// ToVNI spells Unicode Vietnamese in VNI-Windows (as Latin-1 text); it is
// the inverse of the conversion ConvertLegacy applies, for tests and tools.
func ToVNI(s string) string {
	var b strings.Builder
	for _, r := range NFC(s) {
		if v, ok := vniTable[r]; ok {
			b.WriteString(v)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ToTCVN3 spells Unicode Vietnamese in TCVN3 (as Latin-1 text); upper-case
// toned letters, which TCVN3 cannot hold in one font, are lowered first.
func ToTCVN3(s string) string {
	inv := map[rune]rune{}
	for k, v := range tcvn3Table {
		inv[v] = k
	}
	var b strings.Builder
	for _, r := range NFC(s) {
		if t, ok := inv[r]; ok {
			b.WriteRune(t)
		} else if t, ok := inv[unicode.ToLower(r)]; ok && r > 0x7f {
			b.WriteRune(t)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fromTCVN3 converts every TCVN3 character of s.
func fromTCVN3(s string) string {
	return strings.Map(func(r rune) rune {
		if u, ok := tcvn3Table[r]; ok {
			return u
		}
		return r
	}, s)
}

// fromVNI converts every VNI spelling in s, two characters before one.
func fromVNI(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); i++ {
		if i+1 < len(rs) {
			if u, ok := vniDecode[string(rs[i:i+2])]; ok {
				b.WriteRune(u)
				i++
				continue
			}
		}
		if u, ok := vniDecode[string(rs[i])]; ok {
			b.WriteRune(u)
			continue
		}
		b.WriteRune(rs[i])
	}
	return b.String()
}

// isModernVietnamese reports letters only Unicode Vietnamese text has
// (ă đ ĩ ũ ơ ư and the U+1EA0–U+1EF9 block): legacy text never contains them.
func isModernVietnamese(r rune) bool {
	switch r {
	case 'ă', 'Ă', 'đ', 'Đ', 'ĩ', 'Ĩ', 'ũ', 'Ũ', 'ơ', 'Ơ', 'ư', 'Ư':
		return true
	}
	return r >= 0x1EA0 && r <= 0x1EF9
}

// tcvn3Marker reports the TCVN3 characters that are symbols in Latin-1
// (¨ © ª « ¬ ® µ ¶ · ¸ ¹ ...: ă â ê ô ơ đ à ả ã á ạ ...): they never stand
// inside a word of Unicode or Western text, while the commonest Vietnamese
// letters fall on them.
func tcvn3Marker(r rune) bool {
	_, ok := tcvn3Table[r]
	return ok && r >= 0xA1 && r <= 0xBE
}

// vniMarker reports a VNI two-character spelling that Unicode text does
// not contain: a base letter followed by a mark character. Pairs ending in
// à, á or ã are left out, since Unicode Vietnamese has them ("hoà", "hoá").
func vniMarker(prev, r rune) bool {
	if strings.ContainsRune("àáãÀÁÃ", r) {
		return false
	}
	_, ok := vniDecode[string([]rune{prev, r})]
	return ok
}

// DetectLegacy reports the legacy encoding s is written in, or LegacyNone
// when it is not confident: the text must hold no letter only Unicode
// Vietnamese has, at least three legacy spellings inside words, and those
// spellings must make up most of the non-ASCII letters of the text.
func DetectLegacy(s string) Legacy {
	var tcvn, vni, nonASCII int
	var prev rune
	for _, r := range s {
		if isModernVietnamese(r) {
			return LegacyNone
		}
		if r > 0x7f {
			nonASCII++
			if tcvn3Marker(r) && (unicode.IsLetter(prev) || prev > 0x7f) {
				tcvn++
			}
			if vniMarker(prev, r) {
				vni++
			}
			if (r == 'ñ' || r == 'Ñ') && unicode.IsLetter(prev) {
				vni++
			}
		}
		prev = r
	}
	switch {
	case vni >= 3 && vni*3 >= nonASCII && vni >= tcvn:
		return LegacyVNI
	case tcvn >= 3 && tcvn*3 >= nonASCII:
		return LegacyTCVN3
	}
	return LegacyNone
}

// ConvertLegacy converts text written in TCVN3 (ABC) or VNI-Windows to
// Unicode NFC when DetectLegacy is confident, and reports the encoding it
// found; otherwise it returns s unchanged with LegacyNone. Markup and ASCII
// are left alone, so it may be applied to HTML.
func ConvertLegacy(s string) (string, Legacy) {
	switch enc := DetectLegacy(s); enc {
	case LegacyTCVN3:
		return NFC(fromTCVN3(s)), enc
	case LegacyVNI:
		return NFC(fromVNI(s)), enc
	}
	return s, LegacyNone
}
