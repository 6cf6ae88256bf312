package asset

import (
	"bytes"
	"strings"
)

// SniffLen is how many leading bytes Sniff needs at most.
const SniffLen = 64

// Sniff decides the content type and kind of a file from its first bytes
// (magic numbers), never from its name. ok is false for anything not accepted.
func Sniff(b []byte) (contentType string, kind Kind, ok bool) {
	has := func(off int, magic string) bool {
		return len(b) >= off+len(magic) && string(b[off:off+len(magic)]) == magic
	}
	switch {
	case has(0, "\xFF\xD8\xFF"):
		return "image/jpeg", KindImage, true
	case has(0, "\x89PNG\r\n\x1a\n"):
		return "image/png", KindImage, true
	case has(0, "GIF87a"), has(0, "GIF89a"):
		return "image/gif", KindImage, true
	case has(0, "RIFF") && has(8, "WEBP"):
		return "image/webp", KindImage, true
	case has(0, "RIFF") && has(8, "WAVE"):
		return "audio/wav", KindAudio, true
	case has(0, "OggS"):
		return "audio/ogg", KindAudio, true
	case has(0, "%PDF-"):
		return "application/pdf", KindDocument, true
	case has(0, "\x1A\x45\xDF\xA3"):
		// EBML: WebM says so in its DocType near the start; other Matroska is not accepted.
		if bytes.Contains(b[:min(len(b), SniffLen)], []byte("webm")) {
			return "video/webm", KindVideo, true
		}
		return "", "", false
	case has(4, "ftyp") && len(b) >= 12:
		switch brand := string(b[8:12]); brand {
		case "M4A ", "M4B ", "M4P ":
			return "audio/mp4", KindAudio, true
		case "qt  ":
			return "video/quicktime", KindVideo, true
		case "isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "dash", "MSNV", "M4V ", "mmp4", "f4v ":
			return "video/mp4", KindVideo, true
		}
		return "", "", false
	case has(4, "moov"), has(4, "mdat") && len(b) >= 16, has(4, "wide"):
		return "video/quicktime", KindVideo, true
	case has(0, "ID3"):
		return "audio/mpeg", KindAudio, true
	case len(b) >= 4 && b[0] == 0xFF && b[1]&0xF6 == 0xF0:
		// ADTS AAC: 12-bit sync, layer 00.
		return "audio/aac", KindAudio, true
	case len(b) >= 4 && b[0] == 0xFF && b[1]&0xE0 == 0xE0 && b[1]&0x06 != 0 && b[2]&0xF0 != 0xF0 && b[2]&0x0C != 0x0C:
		// MPEG audio frame: sync, a layer, a valid bitrate and sample-rate index.
		return "audio/mpeg", KindAudio, true
	}
	return "", "", false
}

// typeAliases maps the names clients declare to the canonical type Sniff returns.
var typeAliases = map[string]string{
	"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg",
	"audio/mp3": "audio/mpeg", "audio/mpeg3": "audio/mpeg", "audio/x-mpeg": "audio/mpeg",
	"audio/x-wav": "audio/wav", "audio/wave": "audio/wav", "audio/vnd.wave": "audio/wav",
	"audio/x-m4a": "audio/mp4", "audio/m4a": "audio/mp4", "audio/aacp": "audio/aac", "audio/x-aac": "audio/aac",
	"application/ogg": "audio/ogg", "audio/vorbis": "audio/ogg", "audio/opus": "audio/ogg",
	"video/mov": "video/quicktime", "application/x-pdf": "application/pdf",
}

// DeclaredMatches reports whether the Content-Type a client declared agrees
// with the sniffed type. A missing or generic declaration agrees with anything;
// M4A and raw AAC count as one family, as clients mix them up.
func DeclaredMatches(declared, sniffed string) bool {
	d := strings.ToLower(strings.TrimSpace(declared))
	if i := strings.IndexByte(d, ';'); i >= 0 {
		d = strings.TrimSpace(d[:i])
	}
	if d == "" || d == "application/octet-stream" || d == "binary/octet-stream" {
		return true
	}
	if c, ok := typeAliases[d]; ok {
		d = c
	}
	if d == sniffed {
		return true
	}
	aacFamily := func(t string) bool { return t == "audio/mp4" || t == "audio/aac" }
	return aacFamily(d) && aacFamily(sniffed)
}

// Extension is the file extension for a canonical content type, for download names.
func Extension(contentType string) string {
	return map[string]string{
		"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
		"audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/aac": ".aac", "audio/wav": ".wav", "audio/ogg": ".ogg",
		"video/mp4": ".mp4", "video/webm": ".webm", "video/quicktime": ".mov", "application/pdf": ".pdf",
	}[contentType]
}
