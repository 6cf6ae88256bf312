package asset

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"time"

	"github.com/disintegration/imaging"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// ImageRendition is one resized JPEG made from every image.
type ImageRendition struct {
	Name  string
	Width int
}

// ImageRenditions are made for every image, in this order.
var ImageRenditions = []ImageRendition{{"thumbnail", 320}, {"medium", 800}, {"large", 1600}}

// RenditionJob is the work of making the renditions of one stored file:
// renditions belong to the object (identical uploads share it), so the job
// names its storage key, not an asset.
type RenditionJob struct {
	Key         string `json:"key"`
	Kind        Kind   `json:"kind"`
	ContentType string `json:"content_type"`
}

// RenditionQueue records rendition jobs durably (internal/jobs, on River).
// EnqueueRenditions is called inside the transaction that records the
// upload, so a job exists if and only if the asset row committed, and it
// survives a restart.
type RenditionQueue interface {
	EnqueueRenditions(ctx context.Context, j RenditionJob) error
}

// hasRenditions reports whether files of the kind get renditions: images
// (resized JPEGs), audio and video (probe, MP3, poster, HLS); documents none.
func hasRenditions(k Kind) bool { return k == KindImage || k == KindAudio || k == KindVideo }

// recordUpload writes the asset row, its audit record (by whom) and enqueues
// its renditions in one transaction.
func (s *Service) recordUpload(ctx context.Context, by user.Actor, a *Asset) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.CreateAsset(ctx, a); err != nil {
			return err
		}
		if err := s.record(ctx, by, "asset.upload", a.ID, map[string]any{"filename": a.Filename, "kind": a.Kind,
			"size": a.Size, "sha256": a.SHA256}); err != nil {
			return err
		}
		if !hasRenditions(a.Kind) {
			return nil
		}
		return s.queue.EnqueueRenditions(ctx, RenditionJob{Key: a.Key, Kind: a.Kind, ContentType: a.ContentType})
	})
}

// RenditionTimeout bounds one attempt at a job: images and audio take
// seconds to minutes; a video's HLS encode runs near real time on a small
// machine, so a long programme gets hours.
func (s *Service) RenditionTimeout(j RenditionJob) time.Duration {
	if j.Kind == KindVideo && !s.cfg.NoHLS && s.cfg.FFmpeg != "" {
		return 4 * time.Hour
	}
	return 10 * time.Minute
}

// MakeRenditions makes and records the renditions of a stored file (the
// rendition job's work); then, when a published story uses the file, the
// listeners hear RenditionsReady. An error leaves the asset as it was (the
// original only) and the job is tried again.
func (s *Service) MakeRenditions(ctx context.Context, j RenditionJob) error {
	var err error
	switch j.Kind {
	case KindImage:
		err = s.imageRenditions(ctx, j.Key)
	case KindAudio, KindVideo:
		err = s.mediaRenditions(ctx, j)
	}
	if err != nil {
		return err
	}
	ctx, cancel := overtime(ctx)
	defer cancel()
	return s.renditionsDone(ctx, j)
}

// RenditionsFailed is told that the last attempt at a job failed: the
// asset keeps its original only (as served before renditions exist), and
// the failure is logged with the file's key for the operator.
func (s *Service) RenditionsFailed(_ context.Context, j RenditionJob, err error) {
	s.log.Error("asset: make renditions", "key", j.Key, "kind", j.Kind, "err", err)
}

// LogTools says once, at start, which media renditions this machine cannot
// make for want of ffprobe or ffmpeg.
func (s *Service) LogTools() {
	if s.cfg.FFprobe == "" {
		s.log.Info("ffprobe not found: audio and video duration and codecs stay empty (install ffmpeg to fill them)")
	} else if s.cfg.FFmpeg == "" {
		s.log.Info("ffmpeg not found: no podcast MP3 for audio and no poster frame for video (install ffmpeg to make them)")
	}
}

// renditionsDone tells the public outputs that renditions of a published
// file appeared (a photo attached and published within seconds of its
// upload): cached pages built without its srcset, poster or HLS are dropped.
func (s *Service) renditionsDone(ctx context.Context, j RenditionJob) error {
	_, public, err := s.repo.KeyVisibility(ctx, j.Key)
	if err != nil || !public {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error { return s.emitRenditionsReady(ctx, j.Key) })
}

// imageRenditions decodes the original with its EXIF orientation applied and
// writes resized JPEGs beside it; re-encoding drops every EXIF field (GPS, camera serial).
func (s *Service) imageRenditions(ctx context.Context, key string) error {
	obj, _, err := s.blobs.Get(ctx, key)
	if err != nil {
		return err
	}
	img, err := imaging.Decode(obj, imaging.AutoOrientation(true))
	obj.Close()
	if err != nil {
		return fmt.Errorf("decode %s: %w", key, err)
	}
	b := img.Bounds()
	var out []Rendition
	for _, r := range ImageRenditions {
		w := min(r.Width, b.Dx())
		var dst image.Image = img
		if w != b.Dx() {
			dst = imaging.Resize(img, w, 0, imaging.Lanczos)
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, flatten(dst), &jpeg.Options{Quality: 85}); err != nil {
			return err
		}
		rk := key + "-" + r.Name + ".jpg"
		info, err := s.blobs.Put(ctx, rk, bytes.NewReader(buf.Bytes()), "image/jpeg")
		if err != nil {
			return err
		}
		db := dst.Bounds()
		out = append(out, Rendition{Name: r.Name, Key: rk, ContentType: "image/jpeg", Size: info.Size, Width: db.Dx(), Height: db.Dy()})
	}
	return s.repo.SetRenditions(ctx, key, out, b.Dx(), b.Dy())
}

// flatten puts transparent images on white, as JPEG has no alpha.
func flatten(img image.Image) image.Image {
	bg := imaging.New(img.Bounds().Dx(), img.Bounds().Dy(), image.White.C)
	return imaging.Overlay(bg, img, image.Pt(0, 0), 1)
}
