package app

import (
	"context"
	"log/slog"
	"strings"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/backup"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/store"
)

// NewBackup builds the backup service on an opened Base and the configured
// asset storage: `newsroom backup` and `backup verify`.
func NewBackup(ctx context.Context, b *Base, version string) (*backup.Service, error) {
	blobs, err := openBlobStore(ctx, b.Config.Storage)
	if err != nil {
		return nil, err
	}
	return newBackupService(b.Config, b.DB, blobs, b.AuditLog, version, b.Log), nil
}

// NewRestore builds the backup service for `newsroom restore`: it does not
// open the database (the restore opens, checks and fills it).
func NewRestore(ctx context.Context, cfg config.Config, log *slog.Logger) (*backup.Service, error) {
	blobs, err := openBlobStore(ctx, cfg.Storage)
	if err != nil {
		return nil, err
	}
	dialect := store.DialectSQLite
	if u := cfg.Database.URL; strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://") {
		dialect = store.DialectPostgres
	}
	return backup.New(backupConfig(cfg, dialect, "", log), backup.Deps{
		DB: backup.Database{Dialect: dialect, URL: cfg.Database.URL}, Blobs: blobs}), nil
}

func newBackupService(cfg config.Config, db *store.DB, blobs asset.BlobStore, auditLog audit.Repository, version string, log *slog.Logger) *backup.Service {
	dbURL := cfg.Database.URL
	if db.URL != "" {
		dbURL = db.URL
	}
	return backup.New(backupConfig(cfg, db.Dialect, version, log), backup.Deps{
		DB: backup.Database{Dialect: db.Dialect, URL: dbURL, SQL: db.SQL, SchemaVersion: func(ctx context.Context) (int64, error) {
			st, err := db.MigrationStatus(ctx)
			var v int64
			for _, s := range st {
				if s.Applied {
					v = max(v, s.Version)
				}
			}
			return v, err
		}},
		Blobs: blobs, Runs: store.NewBackupRunRepository(db), Audit: auditLog,
	})
}

func backupConfig(cfg config.Config, dialect, version string, log *slog.Logger) backup.Config {
	m := cfg.Storage.MinIO
	c := backup.Config{To: cfg.Backup.To, Interval: cfg.Backup.Interval, Keep: cfg.Backup.Keep, Version: version, Logger: log,
		S3: backup.S3Config{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey, UseSSL: m.UseSSL, Region: m.Region}}
	if p, ok := keyFilePath(cfg, dialect); ok {
		c.KeyFile = p
	}
	return c
}

// NewBackupVerifier builds the backup service for `newsroom backup verify`:
// it reads backups only (s3:// ones with the storage.minio credentials).
func NewBackupVerifier(cfg config.Config, log *slog.Logger) *backup.Service {
	return backup.New(backupConfig(cfg, "", "", log), backup.Deps{})
}
