// Package backup takes, verifies and restores backups of the newsroom: the
// database (SQLite by VACUUM INTO, PostgreSQL by pg_dump in custom format),
// the distribution key file of the embedded setup, and the media objects of
// the asset storage, incrementally by object key and ETag.
//
// Layout of a destination (a folder, or s3://bucket/prefix):
//
//	newsroom-20261203T181500Z/manifest.json   format, versions, dialect, checksums
//	newsroom-20261203T181500Z/db.sqlite       or db.pgdump (pg_dump -Fc)
//	newsroom-20261203T181500Z/distribution.key  SQLite without distribution.secret_key
//	objects/ab/abcdef…                          media objects by SHA-256, shared
//
// An object whose key and ETag a previous backup in the destination already
// holds is referenced by that backup's checksum, not copied again.
package backup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Run is one backup attempt, as recorded in the backups table.
type Run struct {
	ID         int64
	StartedAt  time.Time
	FinishedAt time.Time
	Path       string
	OK         bool
	Error      string
	Bytes      int64
}

// Runs records backup attempts.
type Runs interface {
	RecordRun(ctx context.Context, r *Run) error
	// LastSuccess is the latest successful run, nil when there is none.
	LastSuccess(ctx context.Context) (*Run, error)
}

// Config is the backup settings (backup.*) and what the build knows.
type Config struct {
	// To is the scheduled backups' destination (backup.to).
	To string
	// Interval is how often the scheduled backup runs (backup.interval; 0: never).
	Interval time.Duration
	// Keep is how many backups a destination keeps after a scheduled or
	// command-line backup (backup.keep; 0: all).
	Keep int
	// S3 reaches s3:// destinations.
	S3 S3Config
	// KeyFile is the distribution key file to include ("" or missing: none).
	KeyFile string
	// Version is the newsroom build version (manifest).
	Version string
	// PGDump and PGRestore are the PostgreSQL client programs (default
	// pg_dump and pg_restore, found on PATH).
	PGDump, PGRestore string
	Logger            *slog.Logger
}

// Deps are what the service reads and writes. Runs and Audit may be nil for
// a restore (the target database is empty).
type Deps struct {
	DB    Database
	Blobs asset.BlobStore
	Runs  Runs
	Audit audit.Repository
}

// Service takes, verifies and restores backups.
type Service struct {
	cfg  Config
	deps Deps
	now  func() time.Time
}

// New builds the service.
func New(cfg Config, deps Deps) *Service {
	if cfg.PGDump == "" {
		cfg.PGDump = "pg_dump"
	}
	if cfg.PGRestore == "" {
		cfg.PGRestore = "pg_restore"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Service{cfg: cfg, deps: deps, now: time.Now}
}

// Interval is how often scheduled backups run (0: they do not).
func (s *Service) Interval() time.Duration { return s.cfg.Interval }

// To is the scheduled backups' destination.
func (s *Service) To() string { return s.cfg.To }

// LastSuccess is when the latest successful backup finished and where it is
// (zero time and "" when there is none).
func (s *Service) LastSuccess(ctx context.Context) (at time.Time, path string, err error) {
	if s.deps.Runs == nil {
		return time.Time{}, "", nil
	}
	r, err := s.deps.Runs.LastSuccess(ctx)
	if err != nil || r == nil {
		return time.Time{}, "", err
	}
	return r.FinishedAt, r.Path, nil
}

// Backup writes one backup into dest (a folder or s3://bucket/prefix),
// applies the retention (backup.keep), records the run (table backups,
// audit backup.created or backup.failed) and returns the backup's path.
func (s *Service) Backup(ctx context.Context, to string) (string, error) {
	run := &Run{StartedAt: s.now().UTC()}
	where, bytes, err := s.backup(ctx, to)
	run.FinishedAt, run.Path, run.Bytes, run.OK = s.now().UTC(), where, bytes, err == nil
	if err != nil {
		run.Error = err.Error()
	}
	if rerr := s.record(context.WithoutCancel(ctx), run); rerr != nil {
		s.cfg.Logger.Error("backup: record the run", "err", rerr)
		if err == nil {
			err = rerr
		}
	}
	if err != nil {
		return where, fmt.Errorf("backup failed: %w", err)
	}
	return where, nil
}

func (s *Service) record(ctx context.Context, run *Run) error {
	if s.deps.Runs == nil {
		return nil
	}
	if err := s.deps.Runs.RecordRun(ctx, run); err != nil {
		return err
	}
	if s.deps.Audit == nil {
		return nil
	}
	action, details := "backup.created", map[string]any{"path": run.Path, "bytes": run.Bytes}
	if !run.OK {
		action, details = "backup.failed", map[string]any{"path": run.Path, "error": run.Error}
	}
	return audit.Record(ctx, s.deps.Audit, user.System, audit.Event{Action: action, TargetType: "backup",
		TargetID: fmt.Sprint(run.ID), Details: details})
}

func (s *Service) backup(ctx context.Context, to string) (where string, written int64, err error) {
	if s.deps.DB.Dialect == dialectPostgres {
		if _, err := findTool(s.cfg.PGDump); err != nil {
			return "", 0, err
		}
	}
	d, err := openDest(ctx, to, s.cfg.S3, true)
	if err != nil {
		return "", 0, err
	}
	names, err := d.list(ctx, "")
	if err != nil {
		return "", 0, err
	}
	name := s.newName(names)
	where = d.where(name)
	m := &Manifest{Format: FormatVersion, NewsroomVersion: s.cfg.Version, Dialect: s.deps.DB.Dialect, Name: name}
	if s.deps.DB.SchemaVersion != nil {
		if m.SchemaVersion, err = s.deps.DB.SchemaVersion(ctx); err != nil {
			return where, 0, err
		}
	}
	ok := false
	defer func() {
		if !ok {
			s.removeBackup(context.WithoutCancel(ctx), d, name)
		}
	}()
	tmp, err := os.MkdirTemp("", "newsroom-backup-")
	if err != nil {
		return where, 0, err
	}
	defer os.RemoveAll(tmp)
	// The database first: objects it refers to are copied after it, so every
	// asset row of the copy finds its object (later uploads are extra).
	m.CreatedAt = s.now().UTC().Truncate(time.Second)
	dbFile := filepath.Join(tmp, dbFileName(m.Dialect))
	if err := s.deps.DB.dump(ctx, s.cfg.PGDump, dbFile); err != nil {
		return where, 0, err
	}
	files := []string{dbFile}
	if m.Dialect == dialectSQLite && s.cfg.KeyFile != "" {
		if _, err := os.Stat(s.cfg.KeyFile); err == nil {
			files = append(files, s.cfg.KeyFile)
		}
	}
	for _, f := range files {
		e, err := putFile(ctx, d, path.Join(name, filepath.Base(f)), f)
		if err != nil {
			return where, written, err
		}
		m.Files = append(m.Files, e)
		written += e.Size
	}
	n, err := s.copyObjects(ctx, d, names, m, tmp)
	written += n
	if err != nil {
		return where, written, err
	}
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return where, written, err
	}
	// The manifest last: a folder without one is an unfinished backup.
	if err := d.put(ctx, path.Join(name, ManifestName), strings.NewReader(string(raw)), int64(len(raw))); err != nil {
		return where, written, err
	}
	ok = true
	if s.cfg.Keep > 0 {
		if err := s.prune(ctx, d, s.cfg.Keep); err != nil {
			return where, written, fmt.Errorf("backup written, but the retention (backup.keep) failed: %w", err)
		}
	}
	return where, written + int64(len(raw)), nil
}

// newName is the folder of a backup taken now, unique in the destination.
func (s *Service) newName(existing []string) string {
	base := namePrefix + s.now().UTC().Format("20060102T150405Z")
	name := base
	for i := 1; ; i++ {
		taken := false
		for _, e := range existing {
			if strings.HasPrefix(e, name+"/") {
				taken = true
				break
			}
		}
		if !taken {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// putFile copies a local file into the destination and describes it.
func putFile(ctx context.Context, d dest, name, file string) (File, error) {
	f, err := os.Open(file)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return File{}, err
	}
	h := newHashReader(f)
	if err := d.put(ctx, name, h, fi.Size()); err != nil {
		return File{}, err
	}
	return File{Name: path.Base(name), SHA256: h.sum(), Size: h.n}, nil
}

// copyObjects lists the asset storage and adds each object to the manifest,
// copying into the pool only those whose key and ETag no earlier backup of
// the destination holds (and whose content the pool lacks).
func (s *Service) copyObjects(ctx context.Context, d dest, names []string, m *Manifest, tmp string) (int64, error) {
	if s.deps.Blobs == nil {
		return 0, nil
	}
	known := s.knownObjects(ctx, d, names)
	pool := map[string]bool{}
	for _, n := range names {
		if strings.HasPrefix(n, poolDir+"/") {
			pool[n] = true
		}
	}
	keys, err := s.deps.Blobs.List(ctx, "")
	if err != nil {
		return 0, fmt.Errorf("list the media objects: %w", err)
	}
	var written int64
	for _, key := range keys {
		info, err := s.deps.Blobs.Stat(ctx, key)
		if errors.Is(err, asset.ErrObjectNotFound) {
			continue // deleted since the listing
		}
		if err != nil {
			return written, fmt.Errorf("media object %s: %w", key, err)
		}
		o := Object{Key: key, ETag: info.ETag, Size: info.Size, ContentType: info.ContentType}
		if prev, ok := known[key+"\x00"+info.ETag]; ok && pool[poolName(prev.SHA256)] {
			o.SHA256, o.Size = prev.SHA256, prev.Size
			m.Objects = append(m.Objects, o)
			continue
		}
		n, sum, size, err := s.copyObject(ctx, d, key, pool, tmp)
		if errors.Is(err, asset.ErrObjectNotFound) {
			continue
		}
		if err != nil {
			return written, err
		}
		written += n
		o.SHA256, o.Size = sum, size
		m.Objects = append(m.Objects, o)
	}
	return written, nil
}

// copyObject spools key to a temporary file while hashing it, then stores
// it in the pool unless the pool has that content already.
func (s *Service) copyObject(ctx context.Context, d dest, key string, pool map[string]bool, tmp string) (written int64, sum string, size int64, err error) {
	obj, _, err := s.deps.Blobs.Get(ctx, key)
	if err != nil {
		return 0, "", 0, fmt.Errorf("read media object %s: %w", key, err)
	}
	defer obj.Close()
	f, err := os.CreateTemp(tmp, "object-")
	if err != nil {
		return 0, "", 0, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	h := newHashReader(obj)
	if _, err := io.Copy(f, h); err != nil {
		return 0, "", 0, fmt.Errorf("read media object %s: %w", key, err)
	}
	sum, size = h.sum(), h.n
	if pool[poolName(sum)] {
		return 0, sum, size, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, "", 0, err
	}
	if err := d.put(ctx, poolName(sum), f, size); err != nil {
		return 0, "", 0, fmt.Errorf("copy media object %s: %w", key, err)
	}
	pool[poolName(sum)] = true
	return size, sum, size, nil
}

// backupNames are the finished backups of a destination listing, oldest first.
func backupNames(names []string) []string {
	var out []string
	for _, n := range names {
		dir, file := path.Split(n)
		if file == ManifestName && strings.HasPrefix(dir, namePrefix) && strings.Count(dir, "/") == 1 {
			out = append(out, strings.TrimSuffix(dir, "/"))
		}
	}
	// newsroom-…Z, then newsroom-…Z-1, -2 … (taken in the same second).
	seq := func(n string) (string, int) {
		base, suffix, found := strings.Cut(n, "Z-")
		if !found {
			return strings.TrimSuffix(n, "Z"), 0
		}
		i, _ := strconv.Atoi(suffix)
		return base, i
	}
	sort.SliceStable(out, func(i, j int) bool {
		bi, si := seq(out[i])
		bj, sj := seq(out[j])
		return bi < bj || bi == bj && si < sj
	})
	return out
}

// knownObjects maps key+"\x00"+ETag to the objects the destination's
// backups hold. A backup whose manifest cannot be read is left out (its
// objects are copied again) and logged.
func (s *Service) knownObjects(ctx context.Context, d dest, names []string) map[string]Object {
	out := map[string]Object{}
	for _, b := range backupNames(names) {
		m, err := readManifest(ctx, d, b)
		if err != nil {
			s.cfg.Logger.Warn("backup: an earlier backup of the destination is unreadable; its objects are copied again", "err", err)
			continue
		}
		for _, o := range m.Objects {
			out[o.Key+"\x00"+o.ETag] = o
		}
	}
	return out
}
