package testutil

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// FFmpeg finds ffmpeg and ffprobe for the audio/video tests. Without them the
// test is skipped, or fails under CI=true (scripts/test.sh installs Debian's ffmpeg).
func FFmpeg(t testing.TB) (ffmpeg, ffprobe string) {
	t.Helper()
	ffmpeg, err1 := exec.LookPath("ffmpeg")
	ffprobe, err2 := exec.LookPath("ffprobe")
	Need(t, "ffmpeg and ffprobe (Debian package ffmpeg)", errors.Join(err1, err2))
	return ffmpeg, ffprobe
}

// MakeMedia has ffmpeg generate a small test file named name (its extension
// picks the container) from args, e.g. a lavfi sine tone or test pattern.
func MakeMedia(t testing.TB, ffmpeg, name string, args ...string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	cmd := exec.Command(ffmpeg, append(append([]string{"-nostdin", "-v", "error", "-y"}, args...), out)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %s: %v\n%s", name, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// SilentWAV is a real one-second, silent 8 kHz mono 8-bit WAV file, for
// audio uploads that need no ffmpeg. (cmdtests helper, issue 12.)
func SilentWAV() []byte {
	samples := bytes.Repeat([]byte{128}, 8000)
	var b bytes.Buffer
	le32 := func(v uint32) { b.Write([]byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)}) }
	le16 := func(v uint16) { b.Write([]byte{byte(v), byte(v >> 8)}) }
	b.WriteString("RIFF")
	le32(uint32(36 + len(samples)))
	b.WriteString("WAVEfmt ")
	le32(16)   // fmt chunk size
	le16(1)    // PCM
	le16(1)    // mono
	le32(8000) // sample rate
	le32(8000) // byte rate
	le16(1)    // block align
	le16(8)    // bits per sample
	b.WriteString("data")
	le32(uint32(len(samples)))
	b.Write(samples)
	return b.Bytes()
}
