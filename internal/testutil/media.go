package testutil

import (
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
