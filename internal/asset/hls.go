package asset

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// hlsVariant is one rung of the HLS ladder for the online TV platform.
type hlsVariant struct {
	name           string
	height         int
	videoKbps      int
	audioKbps      int
	bandwidthTotal int // bits/s announced in the master playlist (peak estimate)
}

// hlsLadder is 360p and 720p, as the TV issue asks; a source smaller than a
// rung is not upscaled (the rung is dropped, except the first one).
var hlsLadder = []hlsVariant{
	{name: "360p", height: 360, videoKbps: 800, audioKbps: 96, bandwidthTotal: 1_100_000},
	{name: "720p", height: 720, videoKbps: 2800, audioKbps: 128, bandwidthTotal: 3_400_000},
}

// hlsSegmentSeconds is the target segment length.
const hlsSegmentSeconds = 6

// HLSName is the rendition name of a video's HLS master playlist.
const HLSName = "hls"

// hlsRendition encodes src into HLS variants with 6-second segments and
// stores every playlist and segment beside the original. The object names
// stay flat ("<key>-hls-360p-000.ts") so that they share the original's
// visibility, deletion and `assets check` rules, and the playlists refer to
// them by relative name so /media serves them as they are.
func (s *Service) hlsRendition(ctx context.Context, key, src, dir string, p Probe) (Rendition, error) {
	base := path.Base(key) + "-hls"
	out := filepath.Join(dir, "hls")
	if err := os.MkdirAll(out, 0o700); err != nil {
		return Rendition{}, err
	}
	var master strings.Builder
	master.WriteString("#EXTM3U\n#EXT-X-VERSION:3\n")
	top := Rendition{}
	for i, v := range hlsLadder {
		if i > 0 && p.Height > 0 && p.Height < v.height {
			break
		}
		h := v.height
		if p.Height > 0 && p.Height < h {
			h = p.Height - p.Height%2
		}
		playlist := base + "-" + v.name + ".m3u8"
		args := []string{"-i", src, "-map", "0:v:0", "-map", "0:a:0?", "-map_metadata", "-1",
			"-vf", fmt.Sprintf("scale=-2:%d", h),
			"-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p",
			"-b:v", fmt.Sprintf("%dk", v.videoKbps), "-maxrate", fmt.Sprintf("%dk", v.videoKbps*107/100), "-bufsize", fmt.Sprintf("%dk", v.videoKbps*3/2),
			// A key frame exactly every segment boundary, so every segment starts cleanly.
			"-force_key_frames", fmt.Sprintf("expr:gte(t,n_forced*%d)", hlsSegmentSeconds), "-sc_threshold", "0",
			"-c:a", "aac", "-b:a", fmt.Sprintf("%dk", v.audioKbps), "-ac", "2", "-ar", "44100",
			"-f", "hls", "-hls_time", fmt.Sprint(hlsSegmentSeconds), "-hls_playlist_type", "vod",
			"-hls_segment_filename", filepath.Join(out, base+"-"+v.name+"-%03d.ts"),
			filepath.Join(out, playlist)}
		if err := s.ffmpeg(ctx, args...); err != nil {
			return Rendition{}, fmt.Errorf("HLS %s: %w", v.name, err)
		}
		w := 0
		if p.Height > 0 {
			w = (p.Width*h/p.Height + 1) &^ 1
		}
		fmt.Fprintf(&master, "#EXT-X-STREAM-INF:BANDWIDTH=%d,RESOLUTION=%dx%d,CODECS=\"avc1.4d401f,mp4a.40.2\"\n%s\n", v.bandwidthTotal, w, h, playlist)
		top.Width, top.Height = w, h
	}
	if err := os.WriteFile(filepath.Join(out, base+"-master.m3u8"), []byte(master.String()), 0o600); err != nil {
		return Rendition{}, err
	}
	files, err := os.ReadDir(out)
	if err != nil {
		return Rendition{}, err
	}
	prefix := strings.TrimSuffix(key, path.Base(key))
	for _, f := range files {
		ct := "video/mp2t"
		if strings.HasSuffix(f.Name(), ".m3u8") {
			ct = "application/vnd.apple.mpegurl"
		}
		if _, err := s.putRendition(ctx, prefix+f.Name(), filepath.Join(out, f.Name()), ct); err != nil {
			return Rendition{}, err
		}
	}
	r := Rendition{Name: HLSName, Key: prefix + base + "-master.m3u8", ContentType: "application/vnd.apple.mpegurl",
		Width: top.Width, Height: top.Height, Duration: p.Duration}
	if info, err := s.blobs.Stat(ctx, r.Key); err == nil {
		r.Size = info.Size
	}
	return r, nil
}

// RenditionTypeByKey is the content type of a rendition the sniffer does
// not know by its bytes (HLS playlists and MPEG-TS segments), from its
// name; "" for anything else. Backends that do not keep content types (the
// local folder) use it after sniffing.
func RenditionTypeByKey(key string) string {
	switch {
	case strings.HasSuffix(key, ".m3u8"):
		return "application/vnd.apple.mpegurl"
	case strings.HasSuffix(key, ".ts"):
		return "video/mp2t"
	}
	return ""
}
