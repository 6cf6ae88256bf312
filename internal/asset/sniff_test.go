package asset

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

func pngBytes(t testing.TB, w, h int) []byte {
	var buf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSniff(t *testing.T) {
	var jpg bytes.Buffer
	_ = jpeg.Encode(&jpg, image.NewGray(image.Rect(0, 0, 4, 4)), nil)
	cases := []struct {
		name, data, ct string
		kind           Kind
	}{
		{"jpeg", jpg.String(), "image/jpeg", KindImage},
		{"png", string(pngBytes(t, 2, 2)), "image/png", KindImage},
		{"gif", "GIF89a\x01\x00\x01\x00", "image/gif", KindImage},
		{"webp", "RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp", KindImage},
		{"wav", "RIFF\x24\x00\x00\x00WAVEfmt ", "audio/wav", KindAudio},
		{"ogg", "OggS\x00\x02", "audio/ogg", KindAudio},
		{"mp3 id3", "ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg", KindAudio},
		{"mp3 frame", "\xFF\xFB\x90\x44\x00", "audio/mpeg", KindAudio},
		{"aac adts", "\xFF\xF1\x50\x80\x00", "audio/aac", KindAudio},
		{"m4a", "\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "audio/mp4", KindAudio},
		{"mp4", "\x00\x00\x00\x18ftypisom\x00\x00\x02\x00", "video/mp4", KindVideo},
		{"mov", "\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "video/quicktime", KindVideo},
		{"webm", "\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\xF7\x81\x01\x42\x82\x84webm", "video/webm", KindVideo},
		{"pdf", "%PDF-1.7\n", "application/pdf", KindDocument},
		{"html", "<html><body>", "", ""},
		{"exe", "MZ\x90\x00", "", ""},
		{"zip", "PK\x03\x04", "", ""},
		{"matroska", "\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x88matroska", "", ""},
		{"empty", "", "", ""},
	}
	for _, c := range cases {
		ct, kind, ok := Sniff([]byte(c.data))
		if ct != c.ct || kind != c.kind || ok != (c.ct != "") {
			t.Errorf("%s: Sniff = %q %q %v, want %q %q", c.name, ct, kind, ok, c.ct, c.kind)
		}
	}
}

func TestDeclaredMatches(t *testing.T) {
	cases := []struct {
		declared, sniffed string
		want              bool
	}{
		{"", "image/jpeg", true},
		{"application/octet-stream", "video/mp4", true},
		{"image/jpeg", "image/jpeg", true},
		{"image/jpg", "image/jpeg", true},
		{"IMAGE/JPEG; charset=binary", "image/jpeg", true},
		{"audio/x-m4a", "audio/aac", true},
		{"audio/mp3", "audio/mpeg", true},
		{"image/png", "image/jpeg", false},
		{"application/pdf", "image/png", false},
		{"text/html", "image/png", false},
	}
	for _, c := range cases {
		if got := DeclaredMatches(c.declared, c.sniffed); got != c.want {
			t.Errorf("DeclaredMatches(%q, %q) = %v", c.declared, c.sniffed, got)
		}
	}
}

func TestInspectImageBomb(t *testing.T) {
	// A PNG header declaring 100000×100000 pixels: refused before decoding.
	b := pngBytes(t, 1, 1)
	bomb := append([]byte{}, b...)
	copy(bomb[16:24], []byte{0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0})
	binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
	_, _, _, _, err := Inspect(bomb, "image/png", DefaultMaxImagePixels)
	if !apperr.Is(err, apperr.CodeInvalid) {
		t.Fatalf("image bomb: %v, want invalid", err)
	}
	ct, kind, w, h, err := Inspect(pngBytes(t, 30, 20), "", DefaultMaxImagePixels)
	if err != nil || ct != "image/png" || kind != KindImage || w != 30 || h != 20 {
		t.Fatalf("Inspect = %q %q %d×%d %v", ct, kind, w, h, err)
	}
	if _, _, _, _, err := Inspect(pngBytes(t, 3, 3), "image/jpeg", DefaultMaxImagePixels); !apperr.Is(err, apperr.CodeUnsupportedMedia) {
		t.Fatalf("mismatched declaration: %v, want unsupported media", err)
	}
}

func TestCheckFilename(t *testing.T) {
	for _, bad := range []string{"../x.jpg", "a/b.jpg", `a\b.jpg`, "x\x00.jpg", "x\n.jpg", "x\u202e.jpg", "..", strings.Repeat("a", 300)} {
		if err := CheckFilename(bad); !apperr.Is(err, apperr.CodeInvalid) {
			t.Errorf("CheckFilename(%q) = %v, want invalid", bad, err)
		}
	}
	for _, ok := range []string{"", "ảnh hiện trường.jpg", "IMG_0001.JPG"} {
		if err := CheckFilename(ok); err != nil {
			t.Errorf("CheckFilename(%q) = %v", ok, err)
		}
	}
}

func TestValidKey(t *testing.T) {
	for _, k := range []string{"sha256/ab/cd/abcd", "tmp/1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed", "a/b-thumbnail.jpg"} {
		if !ValidKey(k) {
			t.Errorf("ValidKey(%q) = false", k)
		}
	}
	for _, k := range []string{"", "/a", "a/", "a//b", "../a", "a/../b", "a/./b", "A", "a b", "a\\b", strings.Repeat("a", 600)} {
		if ValidKey(k) {
			t.Errorf("ValidKey(%q) = true", k)
		}
	}
}

// FuzzInspect feeds random bytes to the sniffer and the image header code:
// they never panic, and whatever they accept is consistent.
func FuzzInspect(f *testing.F) {
	f.Add(pngBytes(f, 2, 2))
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00"))
	f.Add([]byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"))
	f.Add([]byte("\x00\x00\x00\x18ftypisom"))
	f.Add([]byte("ID3\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ct, kind, ok := Sniff(b)
		if ok != (ct != "") || ok != (kind != "") {
			t.Fatalf("inconsistent Sniff: %q %q %v", ct, kind, ok)
		}
		if ok && !DeclaredMatches(ct, ct) {
			t.Fatalf("%q does not match itself", ct)
		}
		ct2, kind2, w, h, err := Inspect(b, "", DefaultMaxImagePixels)
		if err == nil {
			if ct2 != ct || kind2 != kind {
				t.Fatalf("Inspect %q %q disagrees with Sniff %q %q", ct2, kind2, ct, kind)
			}
			if kind == KindImage && (w <= 0 || h <= 0 || int64(w)*int64(h) > DefaultMaxImagePixels) {
				t.Fatalf("accepted image %d×%d", w, h)
			}
		} else if _, isApp := apperr.As(err); !isApp {
			t.Fatalf("uncoded error %v", err)
		}
	})
}
