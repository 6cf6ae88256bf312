package story

import (
	"strings"
	"testing"
)

func TestPublicPathRoundTrip(t *testing.T) {
	id := "0a1b2c3d-1111-2222-3333-444455556666"
	p := PublicPath("thoi-su", "lu-ve-mien-trung", id)
	if p != "/thoi-su/lu-ve-mien-trung-0a1b2c3d.html" {
		t.Fatalf("path %q", p)
	}
	slug, short, ok := ParseArticleName(strings.TrimPrefix(p, "/thoi-su/"))
	if !ok || slug != "lu-ve-mien-trung" || short != "0a1b2c3d" {
		t.Fatalf("parse: %q %q %v", slug, short, ok)
	}
	for _, bad := range []string{"", ".html", "-0a1b2c3d.html", "abc.html", "abc-0A1B2C3D.html", "abc-0a1b2c3.html", "abc-0a1b2c3d", "abc-0a1b2c3g.html"} {
		if _, _, ok := ParseArticleName(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

func FuzzParseArticleName(f *testing.F) {
	f.Add("lu-ve-mien-trung-0a1b2c3d.html")
	f.Add("a-b-c-ffffffff.html")
	f.Add("-.html")
	f.Fuzz(func(t *testing.T, name string) {
		slug, short, ok := ParseArticleName(name)
		if !ok {
			return
		}
		if len(short) != ShortIDLen || slug == "" {
			t.Fatalf("accepted %q as %q %q", name, slug, short)
		}
		if slug+"-"+short+".html" != name {
			t.Fatalf("round trip %q -> %q %q", name, slug, short)
		}
	})
}
