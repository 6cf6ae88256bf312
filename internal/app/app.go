package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os/exec"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/backup"
	"github.com/newsroom-vn/newsroom/internal/blob"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/broadcast/mos"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/feed"
	"github.com/newsroom-vn/newsroom/internal/jobs"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/selfcheck"
	"github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/storyview"
	"github.com/newsroom-vn/newsroom/internal/txn"
)

// Options are what the configuration file does not say.
type Options struct {
	// Version is the build version (/healthz).
	Version string
	// Jobs overrides the job queue's tuning (tests poll faster); zero
	// values take the configuration's.
	Jobs jobs.Options
	// Distribution, when set, adjusts the distribution service's
	// configuration after the file's (tests shorten backoffs and polls).
	Distribution func(*distribution.Config)
}

// App is the whole newsroom, built once.
type App struct {
	*Base
	Stories   *story.Service
	Assets    *asset.Service
	Broadcast *broadcast.Service
	Search    *search.Service
	// StoryViews is the story read model of the API and the desk.
	StoryViews   *storyview.Service
	Site         *site.Service
	Partners     *partner.Service
	Distribution *distribution.Service
	Queue        *jobs.Queue
	// AuditArchive is the audit retention job's work (export, then prune).
	AuditArchive *audit.Archiver
	Runner       *jobs.Runner
	// Backup takes, verifies and restores backups (scheduled: backup.interval).
	Backup *backup.Service
	// SelfCheck is the security self-check (/desk/admin/security, GET /api/v1/admin/security).
	SelfCheck *selfcheck.Service
	// RundownHub tells the desk's live pages about rundown changes.
	RundownHub *broadcast.RundownHub
	// Handler is the HTTP engine with the three faces.
	Handler http.Handler
	// KeyFileCreated is the path of the distribution key file this build
	// created (first start without distribution.secret_key), else empty:
	// serve tells the operator to back it up.
	KeyFileCreated string

	mosSync   *broadcast.MOSSync
	mosClient *mos.Client
	opts      Options
	// metrics is the engine's registry, served by metricsSrv (metrics.addr) once started.
	metrics    *server.Metrics
	metricsSrv *server.MetricsServer
}

// NewWithBase builds the app on an opened Base (its logger and database).
func NewWithBase(ctx context.Context, b *Base, o Options) (*App, error) { return build(ctx, b, o) }

func build(ctx context.Context, b *Base, o Options) (*App, error) {
	cfg, db, log := b.Config, b.DB, b.Log
	a := &App{Base: b, opts: o, RundownHub: broadcast.NewRundownHub()}
	presenters, err := cfg.Broadcast.PresenterWPM()
	if err != nil {
		return nil, err
	}
	storyRepo := store.NewStoryRepository(db)
	tx := txn.WithAfterCommit(db)

	// Who reacts: built first, from what they need and nothing that emits to them.
	a.Site = site.NewService(store.NewSiteRepository(db), storyRepo)
	if a.Queue, err = jobs.NewQueue(db, a.jobOptions()); err != nil {
		return nil, err
	}
	key, err := a.secretKey()
	if err != nil {
		return nil, err
	}
	s := cfg.Site
	dcfg := distribution.Config{SecretKey: key, RetryHorizon: cfg.Distribution.RetryHorizon, AllowHosts: cfg.Distribution.AllowHosts,
		Logger: log, ZaloVerifyTimeout: cfg.Distribution.ZaloVerifyTimeout}
	if o.Distribution != nil {
		o.Distribution(&dcfg)
	}
	a.Distribution = distribution.NewService(store.NewDistributionRepository(db), distribution.Deps{
		Stories: story.NewReader(storyRepo), Audit: b.AuditLog, Tx: tx, Enqueuer: a.Queue, Web: a.Site,
		Renderer: feed.NewRenderer(a.Site, feed.Site{Name: s.Name, BaseURL: s.BaseURL}),
	}, dcfg)
	if err := a.buildMOS(); err != nil {
		return nil, err
	}
	r := reactors{site: a.Site, storyJobs: jobs.NewStoryListener(a.Queue, a.Distribution), mos: a.mosSync, hub: a.RundownHub}

	// Who emits: each service gets its ordered listener list (listeners.go).
	blobs, err := openBlobStore(ctx, cfg.Storage)
	if err != nil {
		return nil, err
	}
	acfg := assetConfig(cfg.Storage, log)
	acfg.Audit = b.AuditLog
	a.Assets = asset.NewService(store.NewAssetRepository(db), blobs, tx, a.Queue, acfg, assetListeners(log, r))
	a.Stories = story.NewService(storyRepo, story.Deps{Audit: b.AuditLog, Tx: tx, Attachments: a.Assets, Listeners: storyListeners(log, r)},
		story.Config{LockTTL: cfg.Story.LockTTL, WordsPerMinute: cfg.Broadcast.WordsPerMinute, PresenterWPM: presenters})
	a.Broadcast = broadcast.NewService(store.NewBroadcastRepository(db), broadcast.Deps{Stories: storyRepo, Audit: b.AuditLog, Tx: tx,
		Assets: store.NewAssetRepository(db), Listeners: rundownListeners(log, r)})
	a.StoryViews = storyview.New(a.Stories, a.Assets)
	a.Search = search.NewService(store.NewSearcher(db), storyRepo, search.Config{HalfLife: cfg.Search.RecencyHalfLife, URLFor: search.PublicURL(s.BaseURL)})
	a.Partners = partner.NewService(store.NewPartnerRepository(db), b.AuditLog, db, partner.Config{DefaultRateLimit: cfg.Content.RateLimit})
	a.AuditArchive = audit.NewArchiver(b.Audit, func(ctx context.Context, key string, r io.Reader, ctype string) error {
		_, err := blobs.Put(ctx, key, r, ctype)
		return err
	}, db, nil)
	a.Backup = newBackupService(cfg, db, blobs, b.AuditLog, o.Version, log)
	a.SelfCheck = b.selfCheck(a.Backup)
	if a.Runner, err = jobs.NewRunner(jobs.Deps{DB: db, Stories: a.Stories, Deliverer: a.Distribution, Assets: a.Assets,
		AuditArchive: a.AuditArchive, AuditInterval: cfg.Audit.ExportInterval, Accounts: b.Users, Backup: a.Backup}, a.jobOptions()); err != nil {
		return nil, err
	}
	if a.Handler, err = a.buildHTTP(); err != nil {
		return nil, err
	}
	return a, nil
}

// jobOptions are the queue's tuning: the configuration's, then Options.Jobs.
func (a *App) jobOptions() jobs.Options {
	o := a.opts.Jobs
	if o.PublishPollInterval == 0 {
		o.PublishPollInterval = a.Config.Scheduler.Interval
	}
	if o.StuckAfter == 0 {
		o.StuckAfter = a.Config.Distribution.StuckAfter
	}
	if o.Logger == nil {
		o.Logger = a.Log
	}
	if o.RenditionWorkers == 0 {
		o.RenditionWorkers = a.Config.Storage.RenditionWorkers
	}
	if o.DormantInterval == 0 && a.Config.Auth.DormantAfter > 0 {
		o.DormantInterval = a.Config.Auth.DormantCheckInterval
	}
	return o
}

// buildMOS builds the MOS client and the rundown sync when mos.enabled;
// nothing is dialled before Start.
func (a *App) buildMOS() error {
	m := a.Config.MOS
	if !m.Enabled {
		return nil
	}
	client, err := mos.NewClient(mos.Config{Enabled: true, Host: m.Host, LowerPort: m.LowerPort, UpperPort: m.UpperPort,
		NCSID: m.NCSID, MOSID: m.MOSID, ListenHost: m.ListenHost, NCSLowerPort: m.NCSLowerPort, NCSUpperPort: m.NCSUpperPort,
		HeartbeatInterval: m.HeartbeatInterval, ReplyTimeout: m.ReplyTimeout, ReconnectMin: m.ReconnectMin, ReconnectMax: m.ReconnectMax}, a.Log)
	if err != nil {
		return err
	}
	a.mosClient = client
	a.mosSync = broadcast.NewMOSSync(client, a.Log)
	return nil
}

// openBlobStore opens the configured object storage (storage.kind).
func openBlobStore(ctx context.Context, s config.Storage) (asset.BlobStore, error) {
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

// assetConfig maps storage.* to the asset service's configuration; ffprobe
// and ffmpeg are found on the PATH (without them, media metadata and
// renditions are left out).
func assetConfig(s config.Storage, log *slog.Logger) asset.Config {
	ffprobe, _ := exec.LookPath("ffprobe")
	ffmpeg, _ := exec.LookPath("ffmpeg")
	return asset.Config{
		Limits: map[asset.Kind]int64{asset.KindImage: s.Limits.Image, asset.KindAudio: s.Limits.Audio,
			asset.KindVideo: s.Limits.Video, asset.KindDocument: s.Limits.Document},
		MaxImagePixels: s.MaxImagePixels, FFprobe: ffprobe, FFmpeg: ffmpeg,
		UploadExpiry: s.UploadExpiry, UploadPartSize: s.UploadPartSize, NoHLS: !s.HLS, Logger: log,
	}
}
