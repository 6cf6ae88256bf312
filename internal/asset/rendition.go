package asset

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"sync"
	"time"

	"github.com/disintegration/imaging"
)

// ImageRendition is one resized JPEG made from every image.
type ImageRendition struct {
	Name  string
	Width int
}

// ImageRenditions are made for every image, in this order.
var ImageRenditions = []ImageRendition{{"thumbnail", 320}, {"medium", 800}, {"large", 1600}}

type renditionJob struct {
	key, contentType string
	kind             Kind
}

// enqueue hands a job to the workers; when the queue is full the job is
// dropped and logged (a later upload of the same file makes it again).
func (s *Service) enqueue(j renditionJob) {
	select {
	case s.jobs <- j:
	default:
		s.log.Warn("asset: rendition queue full, skipped", "key", j.key)
	}
}

// Start runs the rendition workers until ctx ends; the returned function waits for them.
func (s *Service) Start(ctx context.Context) (wait func()) {
	if s.cfg.FFprobe == "" {
		s.log.Info("ffprobe not found: audio and video duration and codecs stay empty (install ffmpeg to fill them)")
	} else if s.cfg.FFmpeg == "" {
		s.log.Info("ffmpeg not found: no podcast MP3 for audio and no poster frame for video (install ffmpeg to make them)")
	}
	var wg sync.WaitGroup
	for i := 0; i < s.cfg.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case j := <-s.jobs:
					jctx, cancel := context.WithTimeout(ctx, s.jobTimeout(j))
					if err := s.process(jctx, j); err != nil && ctx.Err() == nil {
						s.log.Error("asset: make renditions", "key", j.key, "err", err)
					}
					cancel()
				}
			}
		}()
	}
	return wg.Wait
}

// jobTimeout bounds one rendition job: images and audio take seconds to
// minutes; a video's HLS encode runs near real time on a small machine, so a
// long programme gets hours.
func (s *Service) jobTimeout(j renditionJob) time.Duration {
	if j.kind == KindVideo && !s.cfg.NoHLS && s.cfg.FFmpeg != "" {
		return 4 * time.Hour
	}
	return 10 * time.Minute
}

// ProcessPending runs the queued jobs now, in the caller's goroutine (tests, CLI).
func (s *Service) ProcessPending(ctx context.Context) error {
	for {
		select {
		case j := <-s.jobs:
			if err := s.process(ctx, j); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

func (s *Service) process(ctx context.Context, j renditionJob) error {
	var err error
	switch j.kind {
	case KindImage:
		err = s.imageRenditions(ctx, j.key)
	case KindAudio, KindVideo:
		err = s.mediaRenditions(ctx, j)
	}
	if err != nil {
		return err
	}
	return s.renditionsDone(ctx, j)
}

// renditionsDone tells the public outputs that renditions of a published
// file appeared (a photo attached and published within seconds of its
// upload): cached pages built without its srcset, poster or HLS are dropped.
func (s *Service) renditionsDone(ctx context.Context, j renditionJob) error {
	_, public, err := s.repo.KeyVisibility(ctx, j.key)
	if err != nil || !public {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error { return s.emitRenditionsReady(ctx, j.key) })
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
