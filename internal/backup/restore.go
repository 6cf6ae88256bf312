package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// Summary describes a verified backup.
type Summary struct {
	Path    string
	Files   int
	Objects int
	Bytes   int64
	Manifest
}

// Verify reads every file and object of the backup at p (its folder, or its
// s3:// URL) and compares sizes and SHA-256 with the manifest. The error
// names the first bad file.
func (s *Service) Verify(ctx context.Context, p string) (*Summary, error) {
	d, name, m, err := s.open(ctx, p)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Path: d.where(name), Manifest: *m}
	if _, ok := m.dbFile(); !ok {
		return nil, fmt.Errorf("%s: the manifest lists no database file (%s)", d.where(name), dbFileName(m.Dialect))
	}
	for _, f := range m.Files {
		if err := checkContent(ctx, d, path.Join(name, f.Name), f.SHA256, f.Size); err != nil {
			return nil, err
		}
		sum.Files++
		sum.Bytes += f.Size
	}
	seen := map[string]bool{}
	for _, o := range m.Objects {
		sum.Objects++
		if seen[o.SHA256] {
			continue
		}
		seen[o.SHA256] = true
		if err := checkContent(ctx, d, poolName(o.SHA256), o.SHA256, o.Size); err != nil {
			return nil, fmt.Errorf("%w (media object %s)", err, o.Key)
		}
		sum.Bytes += o.Size
	}
	return sum, nil
}

func (s *Service) open(ctx context.Context, p string) (dest, string, *Manifest, error) {
	to, name := splitBackupPath(p)
	if name == "" {
		return nil, "", nil, fmt.Errorf("%s is not the path of a backup (…/newsroom-YYYYMMDDTHHMMSSZ)", p)
	}
	d, err := openDest(ctx, to, s.cfg.S3, false)
	if err != nil {
		return nil, "", nil, err
	}
	m, err := readManifest(ctx, d, name)
	if err != nil {
		return nil, "", nil, err
	}
	return d, name, m, nil
}

// Restore verifies the backup at src, then restores it into the configured
// database and asset storage, which must be empty: no accounts or stories
// in the database, no object in the storage.
func (s *Service) Restore(ctx context.Context, src string) (*Summary, error) {
	sum, err := s.Verify(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("the backup does not verify, nothing was restored: %w", err)
	}
	m := &sum.Manifest
	if m.Dialect != s.deps.DB.Dialect {
		return nil, fmt.Errorf("the backup is of a %s database but database.url is %s: restore into the same kind of database",
			m.Dialect, s.deps.DB.Dialect)
	}
	if err := s.deps.DB.requireEmpty(ctx); err != nil {
		return nil, err
	}
	if s.deps.Blobs != nil {
		keys, err := s.deps.Blobs.List(ctx, "")
		if err != nil {
			return nil, fmt.Errorf("inspect the media storage to restore into: %w", err)
		}
		if len(keys) > 0 {
			return nil, fmt.Errorf("refusing to restore: the configured media storage is not empty (%d object(s), e.g. %s); "+
				"restore into a new, empty bucket or folder (storage.*)", len(keys), keys[0])
		}
	}
	d, name, _, err := s.open(ctx, src)
	if err != nil {
		return nil, err
	}
	if err := s.restoreDB(ctx, d, name, m); err != nil {
		return nil, err
	}
	for _, o := range m.Objects {
		if err := s.restoreObject(ctx, d, o); err != nil {
			return nil, err
		}
	}
	return sum, nil
}

func (s *Service) restoreDB(ctx context.Context, d dest, name string, m *Manifest) error {
	tmp, err := os.MkdirTemp("", "newsroom-restore-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dbf, _ := m.dbFile()
	local := filepath.Join(tmp, dbf.Name)
	if err := fetch(ctx, d, path.Join(name, dbf.Name), local, dbf); err != nil {
		return err
	}
	if m.Dialect == dialectPostgres {
		// --clean --if-exists drops what a migrated but empty database already has.
		return runPG(ctx, s.cfg.PGRestore, "pg_restore", s.deps.DB.URL, "--clean", "--if-exists", "--no-owner", "--no-acl",
			"--single-transaction", "--exit-on-error", local)
	}
	target, err := s.deps.DB.sqlitePath()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(target + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(local, target); err != nil {
		if err := copyFile(local, target, 0o640); err != nil {
			return fmt.Errorf("write the database %s: %w", target, err)
		}
	}
	for _, f := range m.Files {
		if f.Name == dbf.Name || s.cfg.KeyFile == "" || f.Name != filepath.Base(s.cfg.KeyFile) {
			continue
		}
		if err := fetch(ctx, d, path.Join(name, f.Name), s.cfg.KeyFile, f); err != nil {
			return err
		}
		if err := os.Chmod(s.cfg.KeyFile, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// fetch copies name from the destination into the local file, checking its checksum again.
func fetch(ctx context.Context, d dest, name, file string, want File) error {
	return writeFile(file, 0o600, func(w io.Writer) error { return copyChecked(ctx, d, name, w, want.SHA256, want.Size) })
}

func (s *Service) restoreObject(ctx context.Context, d dest, o Object) error {
	r, err := d.get(ctx, poolName(o.SHA256))
	if err != nil {
		return fmt.Errorf("%s (media object %s): %w", d.where(poolName(o.SHA256)), o.Key, err)
	}
	defer r.Close()
	h := newHashReader(r)
	if _, err := s.deps.Blobs.Put(ctx, o.Key, h, o.ContentType); err != nil {
		return fmt.Errorf("restore media object %s: %w", o.Key, err)
	}
	if h.sum() != o.SHA256 {
		return fmt.Errorf("media object %s: checksum mismatch while restoring %s", o.Key, d.where(poolName(o.SHA256)))
	}
	return nil
}

// writeFile creates (or truncates) file, lets fill write it and syncs it.
func writeFile(file string, perm os.FileMode, fill func(io.Writer) error) error {
	f, err := os.OpenFile(file, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, perm)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func copyFile(src, dst string, perm os.FileMode) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	return writeFile(dst, perm, func(w io.Writer) error {
		_, err := io.Copy(w, f)
		return err
	})
}

// prune keeps the newest keep backups of the destination, removes the
// others, then removes pool objects no remaining backup references.
func (s *Service) prune(ctx context.Context, d dest, keep int) error {
	names, err := d.list(ctx, "")
	if err != nil {
		return err
	}
	backups := backupNames(names)
	if len(backups) > keep {
		for _, b := range backups[:len(backups)-keep] {
			s.removeBackup(ctx, d, b)
		}
		backups = backups[len(backups)-keep:]
	}
	used := map[string]bool{}
	for _, b := range backups {
		m, err := readManifest(ctx, d, b)
		if err != nil {
			return err
		}
		for _, o := range m.Objects {
			used[poolName(o.SHA256)] = true
		}
	}
	for _, n := range names {
		if path.Dir(path.Dir(n)) == poolDir && !used[n] {
			if err := d.remove(ctx, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// removeBackup removes a backup's folder: its manifest first, so that a
// half-removed backup is no longer taken for one.
func (s *Service) removeBackup(ctx context.Context, d dest, name string) {
	names, err := d.list(ctx, name)
	if err != nil {
		s.cfg.Logger.Warn("backup: list a backup to remove", "backup", d.where(name), "err", err)
		return
	}
	if err := d.remove(ctx, path.Join(name, ManifestName)); err != nil {
		s.cfg.Logger.Warn("backup: remove", "file", d.where(path.Join(name, ManifestName)), "err", err)
		return
	}
	for _, n := range names {
		if err := d.remove(ctx, n); err != nil {
			s.cfg.Logger.Warn("backup: remove", "file", d.where(n), "err", err)
		}
	}
}
