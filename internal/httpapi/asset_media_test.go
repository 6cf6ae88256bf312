package httpapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

func TestAssetAudioVideoRenditions(t *testing.T) {
	ffmpeg, _ := testutil.FFmpeg(t) // the app finds both on the PATH
	wav := testutil.MakeMedia(t, ffmpeg, "tone.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-ac", "1", "-ar", "22050")
	mp3 := testutil.MakeMedia(t, ffmpeg, "tone.mp3", "-f", "lavfi", "-i", "sine=frequency=660:duration=2", "-codec:a", "libmp3lame", "-b:a", "64k")
	mp4 := testutil.MakeMedia(t, ffmpeg, "clip.mp4", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25", "-pix_fmt", "yuv420p", "-c:v", "libx264")
	forEachAssetBackend(t, []testutil.AppOption{testutil.Started()}, func(t *testing.T, h *assetHarness) {
		sec := h.section("Phát thanh", 1)
		producer := h.user("sanxuat", user.RoleProducer, sec.ID)
		// get uploads f and waits for the background work: the probe of
		// every file, then the renditions of those that get some.
		get := func(f *filePart, renditions bool) assetJSON {
			t.Helper()
			var up assetJSON
			h.expect(h.upload(producer.token, [][2]string{{"title", f.filename}}, f), 201, "upload "+f.filename).json(t, &up)
			return h.renditions(producer.token, up.ID, func(a assetJSON) bool { return a.Codecs != "" && (!renditions || len(a.Renditions) > 0) })
		}

		a := get(&filePart{"ban-tin.wav", "audio/wav", wav}, true)
		if a.Kind != asset.KindAudio || a.Duration < 1.9 || a.Duration > 2.1 || a.Codecs != "pcm_s16le" || a.Bitrate < 340000 || a.Bitrate > 360000 {
			t.Fatalf("wav probe: %+v", a.Asset)
		}
		if len(a.Renditions) != 1 || a.Renditions[0].Name != "podcast" || a.Renditions[0].ContentType != "audio/mpeg" ||
			a.Renditions[0].Duration != a.Duration || !strings.HasSuffix(a.Renditions[0].URL, "-podcast.mp3") {
			t.Fatalf("wav renditions: %+v", a.Renditions)
		}
		r := h.expect(h.do(producer.token, "GET", a.Renditions[0].URL, nil, "Range", "bytes=0-2"), 206, "podcast mp3")
		if string(r.Body) != "ID3" || r.Header.Get("Content-Type") != "audio/mpeg" {
			t.Fatalf("podcast mp3 starts %q, type %q", r.Body, r.Header.Get("Content-Type"))
		}

		m := get(&filePart{"ban-tin.mp3", "audio/mpeg", mp3}, false)
		if m.Codecs != "mp3" || m.Duration < 1.9 || len(m.Renditions) != 0 {
			t.Fatalf("an MP3 gets its probe and no second MP3: %+v", m.Asset)
		}

		v := get(&filePart{"phong-su.mp4", "video/mp4", mp4}, true)
		if v.Kind != asset.KindVideo || v.Codecs != "h264" || v.Width != 320 || v.Height != 240 || v.Duration < 1.9 || v.Bitrate <= 0 {
			t.Fatalf("mp4 probe: %+v", v.Asset)
		}
		if len(v.Renditions) != 2 || v.Renditions[0].Name != "poster" || v.Renditions[0].ContentType != "image/jpeg" ||
			v.Renditions[0].Width != 320 || v.Renditions[0].Height != 240 ||
			v.Renditions[1].Name != asset.HLSName || v.Renditions[1].ContentType != "application/vnd.apple.mpegurl" || v.Renditions[1].Height != 240 {
			t.Fatalf("mp4 renditions: %+v", v.Renditions)
		}
		r = h.expect(h.do(producer.token, "GET", v.Renditions[1].URL, nil), 200, "HLS master")
		if !strings.Contains(string(r.Body), "-hls-360p.m3u8") || r.Header.Get("Content-Type") != "application/vnd.apple.mpegurl" {
			t.Fatalf("HLS master %q: %s", r.Header.Get("Content-Type"), r.Body)
		}
		r = h.expect(h.do(producer.token, "GET", v.Renditions[0].URL, nil), 200, "poster")
		if !strings.HasPrefix(string(r.Body), "\xFF\xD8\xFF") {
			t.Fatal("poster is not a JPEG")
		}
	})
}

// TestAssetVideoKeepsPosterWhenHLSFails: an HLS encode that fails (here an
// ffmpeg that refuses the hls muxer) leaves the video with its poster and
// probe, served as MP4 only.
func TestAssetVideoKeepsPosterWhenHLSFails(t *testing.T) {
	ffmpeg, _ := testutil.FFmpeg(t) // the app finds both on the PATH
	mp4 := testutil.MakeMedia(t, ffmpeg, "clip.mp4", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25", "-pix_fmt", "yuv420p", "-c:v", "libx264")
	// The app finds ffmpeg on the PATH: put the refusing one first.
	bin := t.TempDir()
	wrapper := filepath.Join(bin, "ffmpeg")
	script := "#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = hls ] && { echo 'hls muxer unavailable' >&2; exit 1; }; done\nexec " + ffmpeg + " \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	forEachAssetBackend(t, []testutil.AppOption{testutil.Started()}, func(t *testing.T, h *assetHarness) {
		sec := h.section("Truyền hình", 1)
		producer := h.user("sanxuat", user.RoleProducer, sec.ID)
		var up assetJSON
		h.expect(h.upload(producer.token, nil, &filePart{"phong-su.mp4", "video/mp4", mp4}), 201, "upload").json(t, &up)
		// A failed HLS encode must not fail the whole job: the poster is stored.
		got := h.renditions(producer.token, up.ID, func(a assetJSON) bool { return len(a.Renditions) > 0 })
		if len(got.Renditions) != 1 || got.Renditions[0].Name != "poster" || got.Duration < 1.9 {
			t.Fatalf("renditions after a failed HLS encode: %+v (duration %v)", got.Renditions, got.Duration)
		}
	})
}
