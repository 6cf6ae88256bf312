package main

import (
	"context"
	"fmt"
	"os/exec"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/blob"
	"github.com/newsroom-vn/newsroom/internal/store"
)

// openBlobStore opens the configured object storage (storage.kind).
func (a *app) openBlobStore(ctx context.Context) (asset.BlobStore, error) {
	s := a.cfg.Storage
	switch s.Kind {
	case "minio":
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return blob.NewMinIO(cctx, blob.MinIOConfig{Endpoint: s.MinIO.Endpoint, Bucket: s.MinIO.Bucket,
			AccessKey: s.MinIO.AccessKey, SecretKey: s.MinIO.SecretKey, UseSSL: s.MinIO.UseSSL, Region: s.MinIO.Region})
	case "local", "":
		return blob.NewLocal(s.Local.Dir)
	}
	return nil, fmt.Errorf("storage.kind must be local or minio, got %q", s.Kind)
}

// openAssets wires the asset service on the configured storage and attaches
// it to stories (Content.Assets, the publishing check). Call Start on the
// result to run the rendition workers.
func (a *app) openAssets(ctx context.Context) (*asset.Service, error) {
	blobs, err := a.openBlobStore(ctx)
	if err != nil {
		return nil, err
	}
	ffprobe, _ := exec.LookPath("ffprobe")
	ffmpeg, _ := exec.LookPath("ffmpeg")
	s := a.cfg.Storage
	svc := asset.NewService(store.NewAssetRepository(a.db), blobs, a.db, asset.Config{
		Limits: map[asset.Kind]int64{asset.KindImage: s.Limits.Image, asset.KindAudio: s.Limits.Audio,
			asset.KindVideo: s.Limits.Video, asset.KindDocument: s.Limits.Document},
		MaxImagePixels: s.MaxImagePixels, Workers: s.RenditionWorkers, FFprobe: ffprobe, FFmpeg: ffmpeg, Logger: a.log,
		UploadExpiry: s.UploadExpiry, UploadPartSize: s.UploadPartSize, NoHLS: !s.HLS,
	})
	a.stories.Attachments = svc
	return svc, nil
}

// readyWithStorage is the /readyz check: the database and the object storage.
func (a *app) readyWithStorage(assets *asset.Service) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if err := a.db.Ping(ctx); err != nil {
			return err
		}
		return assets.Ping(ctx)
	}
}
