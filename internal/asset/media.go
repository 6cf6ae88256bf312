package asset

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// FilePather is a BlobStore that keeps objects as local files (the local
// folder): ffmpeg reads them in place instead of from a temporary copy.
type FilePather interface {
	FilePath(key string) (string, bool)
}

// Probe is what ffprobe says about an audio or video file.
type Probe struct {
	Duration      float64
	Codecs        string
	Bitrate       int64
	Width, Height int
}

// ProbeFile runs ffprobe on a file.
func ProbeFile(ctx context.Context, ffprobe, path string) (Probe, error) {
	out, err := exec.CommandContext(ctx, ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path).Output()
	if err != nil {
		return Probe{}, fmt.Errorf("ffprobe: %w%s", err, stderrOf(err))
	}
	var res struct {
		Format struct {
			Duration string `json:"duration"`
			BitRate  string `json:"bit_rate"`
		} `json:"format"`
		Streams []struct {
			CodecType string `json:"codec_type"`
			CodecName string `json:"codec_name"`
			Width     int    `json:"width"`
			Height    int    `json:"height"`
			// Still images in audio files (cover art) are not the video.
			Disposition struct {
				AttachedPic int `json:"attached_pic"`
			} `json:"disposition"`
		} `json:"streams"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		return Probe{}, fmt.Errorf("ffprobe: %w", err)
	}
	var p Probe
	p.Duration, _ = strconv.ParseFloat(res.Format.Duration, 64)
	p.Bitrate, _ = strconv.ParseInt(res.Format.BitRate, 10, 64)
	var codecs []string
	for _, st := range res.Streams {
		if st.CodecName == "" || st.Disposition.AttachedPic == 1 {
			continue
		}
		codecs = append(codecs, st.CodecName)
		if st.CodecType == "video" && p.Width == 0 {
			p.Width, p.Height = st.Width, st.Height
		}
	}
	p.Codecs = strings.Join(codecs, ",")
	return p, nil
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok && len(ee.Stderr) > 0 {
		return ": " + strings.TrimSpace(string(ee.Stderr))
	}
	return ""
}

// localCopy gives a file path for key: the object itself on the local
// folder, else a temporary copy (ffmpeg needs to seek, e.g. an MP4 whose
// index is at the end). cleanup removes the copy.
func (s *Service) localCopy(ctx context.Context, key, dir string) (path string, err error) {
	if fp, ok := s.blobs.(FilePather); ok {
		if p, ok := fp.FilePath(key); ok {
			return p, nil
		}
	}
	obj, _, err := s.blobs.Get(ctx, key)
	if err != nil {
		return "", err
	}
	defer obj.Close()
	f, err := os.Create(filepath.Join(dir, "source"))
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, obj); err != nil {
		f.Close()
		return "", fmt.Errorf("copy %s: %w", key, err)
	}
	return f.Name(), f.Close()
}

// mediaRenditions probes audio and video (duration, codecs, bitrate) and
// makes a podcast-ready MP3 of audio that is not MP3 already, and a poster
// frame (JPEG) of video. Without ffprobe/ffmpeg it does nothing.
func (s *Service) mediaRenditions(ctx context.Context, j RenditionJob) error {
	if s.cfg.FFprobe == "" {
		return nil
	}
	dir, err := os.MkdirTemp("", "newsroom-media-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	src, err := s.localCopy(ctx, j.Key, dir)
	if err != nil {
		return err
	}
	p, err := ProbeFile(ctx, s.cfg.FFprobe, src)
	if err != nil {
		return fmt.Errorf("%s: %w", j.Key, err)
	}
	if err := s.repo.SetProbe(ctx, j.Key, p.Duration, p.Codecs, p.Bitrate); err != nil {
		return err
	}
	if s.cfg.FFmpeg == "" {
		return nil
	}
	var out []Rendition
	switch {
	case j.Kind == KindAudio && j.ContentType != "audio/mpeg":
		dst := filepath.Join(dir, "podcast.mp3")
		// 128 kbit/s stereo 44.1 kHz CBR MP3: what podcast apps and directories expect.
		if err := s.ffmpeg(ctx, "-i", src, "-vn", "-map_metadata", "-1", "-ac", "2", "-ar", "44100", "-codec:a", "libmp3lame", "-b:a", "128k", "-f", "mp3", dst); err != nil {
			return fmt.Errorf("%s: podcast MP3: %w", j.Key, err)
		}
		r, err := s.putRendition(ctx, j.Key+"-podcast.mp3", dst, "audio/mpeg")
		if err != nil {
			return err
		}
		r.Name, r.Duration = "podcast", p.Duration
		out = append(out, r)
	case j.Kind == KindVideo:
		dst := filepath.Join(dir, "poster.jpg")
		at := "0"
		if p.Duration >= 2 {
			at = "1"
		}
		// One frame a second in (past a fade from black), at most 1600 px wide, metadata dropped.
		if err := s.ffmpeg(ctx, "-ss", at, "-i", src, "-frames:v", "1", "-map_metadata", "-1", "-vf", "scale='min(1600,iw)':-2", "-q:v", "3", "-f", "image2", "-c:v", "mjpeg", dst); err != nil {
			return fmt.Errorf("%s: poster frame: %w", j.Key, err)
		}
		r, err := s.putRendition(ctx, j.Key+"-poster.jpg", dst, "image/jpeg")
		if err != nil {
			return err
		}
		r.Name = "poster"
		out = append(out, r)
		if !s.cfg.NoHLS {
			// A failed HLS encode (a codec ffmpeg cannot read, a timeout) must
			// not cost the video its poster: the MP4 stays playable as it is.
			if h, err := s.hlsRendition(ctx, j.Key, src, dir, p); err != nil {
				s.log.Warn("asset: HLS rendition failed; the video is served as MP4 only", "key", j.Key, "err", err)
			} else {
				out = append(out, h)
			}
		}
	}
	if len(out) == 0 && p.Width == 0 {
		return nil
	}
	// The job's time may have run out in the HLS encode: the poster made
	// before it is still recorded, and the job ends rather than encoding again.
	ctx, cancel := overtime(ctx)
	defer cancel()
	return s.repo.SetRenditions(ctx, j.Key, out, p.Width, p.Height)
}

// overtime is ctx, or when ctx is over a short context of its own for
// recording what was made before it ended.
func overtime(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
}

func (s *Service) ffmpeg(ctx context.Context, args ...string) error {
	cmd := exec.CommandContext(ctx, s.cfg.FFmpeg, append([]string{"-nostdin", "-v", "error", "-y"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("ffmpeg: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

// putRendition stores a rendition file; images get their dimensions.
func (s *Service) putRendition(ctx context.Context, key, path, contentType string) (Rendition, error) {
	f, err := os.Open(path)
	if err != nil {
		return Rendition{}, err
	}
	defer f.Close()
	r := Rendition{Key: key, ContentType: contentType}
	if strings.HasPrefix(contentType, "image/") {
		if cfg, _, err := image.DecodeConfig(f); err == nil {
			r.Width, r.Height = cfg.Width, cfg.Height
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return r, err
		}
	}
	info, err := s.blobs.Put(ctx, key, f, contentType)
	if err != nil {
		return r, err
	}
	r.Size = info.Size
	return r, nil
}
