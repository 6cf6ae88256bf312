package asset

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/user"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/txn"
)

// Default per-kind size limits.
const (
	DefaultImageLimit    int64 = 25 << 20
	DefaultAudioLimit    int64 = 500 << 20
	DefaultVideoLimit    int64 = 4 << 30
	DefaultDocumentLimit int64 = 50 << 20
	// DefaultMaxImagePixels refuses images whose declared size would take
	// too much memory to decode (an "image bomb"): 60 megapixels.
	DefaultMaxImagePixels int64 = 60_000_000
	// headLen is how much of an upload is looked at before storing: enough for
	// magic numbers and an image header with its EXIF block.
	headLen = 256 << 10
	// Field limits in characters.
	MaxFilename = 255
	MaxText     = 2000
	MaxKeywords = 50
)

// Config tunes the asset service.
type Config struct {
	// Audit, when set, records each upload (asset.upload) and deletion
	// (asset.delete) in the transaction that makes it.
	Audit audit.Repository
	// Limits is the largest accepted file per kind, in bytes.
	Limits map[Kind]int64
	// MaxImagePixels is the largest width×height accepted for an image.
	MaxImagePixels int64
	// FFprobe is the path of ffprobe, or "" when the machine has none.
	FFprobe string
	// FFmpeg is the path of ffmpeg (podcast MP3, poster frame), or "" when the machine has none.
	FFmpeg string
	// NoHLS turns off the HLS rendition (360p and 720p) of videos, which costs
	// an encode of each video on weak machines.
	NoHLS bool
	// UploadExpiry is how long an unfinished direct upload is kept (default DefaultUploadExpiry).
	UploadExpiry time.Duration
	// UploadPartSize is the part size of direct uploads (default DefaultPartSize, at least MinPartSize).
	UploadPartSize int64
	Logger         *slog.Logger
}

// Service is the asset use cases.
type Service struct {
	repo  Repository
	blobs BlobStore
	tx    txn.Runner
	cfg   Config
	log   *slog.Logger
	now   func() time.Time
	// queue records the rendition jobs of each upload in its transaction.
	queue RenditionQueue
	// listeners hear edited descriptions (the public site drops its cached
	// pages when a published story uses the asset) and renditions of public
	// files (so pages show the new srcset, poster or HLS stream).
	listeners Listeners
}

// NewService wires the asset service. queue records rendition jobs; the
// job runner (internal/jobs) calls MakeRenditions to do them.
func NewService(repo Repository, blobs BlobStore, tx txn.Runner, queue RenditionQueue, cfg Config, listeners Listeners) *Service {
	if cfg.Limits == nil {
		cfg.Limits = map[Kind]int64{}
	}
	for k, v := range map[Kind]int64{KindImage: DefaultImageLimit, KindAudio: DefaultAudioLimit, KindVideo: DefaultVideoLimit, KindDocument: DefaultDocumentLimit} {
		if cfg.Limits[k] <= 0 {
			cfg.Limits[k] = v
		}
	}
	if cfg.MaxImagePixels <= 0 {
		cfg.MaxImagePixels = DefaultMaxImagePixels
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.UploadPartSize < MinPartSize {
		cfg.UploadPartSize = DefaultPartSize
	}
	if cfg.UploadExpiry <= 0 {
		cfg.UploadExpiry = DefaultUploadExpiry
	}
	return &Service{repo: repo, blobs: blobs, tx: txn.WithAfterCommit(tx), queue: queue, cfg: cfg, log: cfg.Logger, listeners: listeners,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// Blobs returns the store the service writes to.
func (s *Service) Blobs() BlobStore { return s.blobs }

// record writes an audit event about asset id, when the service has an audit log.
func (s *Service) record(ctx context.Context, a user.Actor, action, id string, details map[string]any) error {
	if s.cfg.Audit == nil {
		return nil
	}
	return audit.Record(ctx, s.cfg.Audit, a, audit.Event{At: s.now(), Action: action, TargetType: "asset", TargetID: id, Details: details})
}

// Limit returns the size limit of a kind.
func (s *Service) Limit(k Kind) int64 { return s.cfg.Limits[k] }

func storageDown(err error) error {
	return fmt.Errorf("asset: storage: %w", apperr.Unavailable("asset.storage_unavailable", err).WithReason("storage_unavailable"))
}

func (s *Service) withURLs(a *Asset) *Asset {
	a.URL = MediaURL(a.Key)
	if a.Renditions == nil {
		a.Renditions = []Rendition{}
	}
	for i := range a.Renditions {
		a.Renditions[i].URL = MediaURL(a.Renditions[i].Key)
	}
	if a.Keywords == nil {
		a.Keywords = []string{}
	}
	return a
}

// Ping reports whether the storage answers (for /readyz).
func (s *Service) Ping(ctx context.Context) error {
	if err := s.blobs.Ping(ctx); err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}
