// Package blob implements asset.BlobStore: a local folder (the embedded
// default) and MinIO/S3 through minio-go.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
)

// Local keeps objects as files under one folder. Keys are checked by
// asset.ValidKey, so no key can reach outside the folder.
type Local struct{ root string }

// tmpPrefix starts the names of files being written; List skips them.
const tmpPrefix = ".put-"

// NewLocal opens (creating if needed) the folder dir.
func NewLocal(dir string) (*Local, error) {
	if strings.TrimSpace(dir) == "" {
		return nil, errors.New("blob: storage.local.dir must be set")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: storage.local.dir %q: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("blob: cannot create the media folder %s (storage.local.dir): %w", abs, err)
	}
	return &Local{root: abs}, nil
}

// Dir is the folder the objects live in.
func (l *Local) Dir() string { return l.root }

func (l *Local) path(key string) (string, error) {
	if !asset.ValidKey(key) {
		return "", fmt.Errorf("blob: invalid key %q", key)
	}
	return filepath.Join(l.root, filepath.FromSlash(key)), nil
}

// Put writes r to a temporary file beside the target and renames it into
// place, so readers see the whole object or none.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, contentType string) (asset.ObjectInfo, error) {
	p, err := l.path(key)
	if err != nil {
		return asset.ObjectInfo{}, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return asset.ObjectInfo{}, fmt.Errorf("blob: put %s: %w: %w", key, asset.ErrStorageUnavailable, err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), tmpPrefix+"*")
	if err != nil {
		return asset.ObjectInfo{}, fmt.Errorf("blob: put %s: %w: %w", key, asset.ErrStorageUnavailable, err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := io.Copy(f, ctxReader{ctx, r}); err != nil {
		return asset.ObjectInfo{}, fmt.Errorf("blob: put %s: %w", key, err)
	}
	if err := f.Sync(); err != nil {
		return asset.ObjectInfo{}, fmt.Errorf("blob: put %s: %w", key, err)
	}
	if err := f.Close(); err != nil {
		return asset.ObjectInfo{}, fmt.Errorf("blob: put %s: %w", key, err)
	}
	if err := os.Rename(f.Name(), p); err != nil {
		return asset.ObjectInfo{}, fmt.Errorf("blob: put %s: %w", key, err)
	}
	ok = true
	return l.Stat(ctx, key)
}

// ctxReader stops a copy when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Get opens the file.
func (l *Local) Get(ctx context.Context, key string) (asset.Object, asset.ObjectInfo, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, asset.ObjectInfo{}, fmt.Errorf("blob: get: %w: %w", asset.ErrObjectNotFound, err)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, asset.ObjectInfo{}, l.mapErr("get", key, err)
	}
	info, err := l.info(key, f)
	if err != nil {
		f.Close()
		return nil, asset.ObjectInfo{}, err
	}
	return f, info, nil
}

func (l *Local) mapErr(op, key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: %s %s: %w", op, key, asset.ErrObjectNotFound)
	}
	return fmt.Errorf("blob: %s %s: %w", op, key, err)
}

func (l *Local) info(key string, f *os.File) (asset.ObjectInfo, error) {
	fi, err := f.Stat()
	if err != nil {
		return asset.ObjectInfo{}, l.mapErr("stat", key, err)
	}
	if fi.IsDir() {
		return asset.ObjectInfo{}, fmt.Errorf("blob: %s: %w", key, asset.ErrObjectNotFound)
	}
	head := make([]byte, asset.SniffLen)
	n, _ := f.ReadAt(head, 0)
	ct, _, ok := asset.Sniff(head[:n])
	if !ok {
		ct = asset.RenditionTypeByKey(key)
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	mt := fi.ModTime().UTC().Truncate(time.Second)
	return asset.ObjectInfo{Key: key, Size: fi.Size(), ContentType: ct, LastModified: mt,
		ETag: fmt.Sprintf("%x-%x", fi.Size(), fi.ModTime().UnixNano())}, nil
}

// Stat describes the file.
func (l *Local) Stat(ctx context.Context, key string) (asset.ObjectInfo, error) {
	obj, info, err := l.Get(ctx, key)
	if err != nil {
		return info, err
	}
	obj.Close()
	return info, nil
}

// Move renames src to dst.
func (l *Local) Move(ctx context.Context, src, dst string) error {
	ps, err := l.path(src)
	if err != nil {
		return err
	}
	pd, err := l.path(dst)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(pd), 0o750); err != nil {
		return fmt.Errorf("blob: move %s: %w", src, err)
	}
	if err := os.Rename(ps, pd); err != nil {
		return l.mapErr("move", src, err)
	}
	return nil
}

// Delete removes the file; a missing one is fine.
func (l *Local) Delete(ctx context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	return nil
}

// List walks the folder of prefix and returns the keys that start with it.
func (l *Local) List(ctx context.Context, prefix string) ([]string, error) {
	start := l.root
	if d := path.Dir(prefix); prefix != "" && d != "." {
		if !asset.ValidKey(d) {
			return nil, fmt.Errorf("blob: invalid prefix %q", prefix)
		}
		start = filepath.Join(l.root, filepath.FromSlash(d))
	}
	keys := []string{}
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() && d.Name() == multipartDir && filepath.Dir(p) == l.root {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), tmpPrefix) {
			return nil
		}
		rel, err := filepath.Rel(l.root, p)
		if err != nil {
			return err
		}
		if k := filepath.ToSlash(rel); strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("blob: list %s: %w", prefix, err)
	}
	return keys, nil
}

// PresignGet is not possible for a local folder: it returns "".
func (l *Local) PresignGet(ctx context.Context, key string, expiry time.Duration) (string, error) {
	return "", nil
}

// Ping checks that the folder is there.
func (l *Local) Ping(ctx context.Context) error {
	if _, err := os.Stat(l.root); err != nil {
		return fmt.Errorf("blob: media folder %s: %w: %w", l.root, asset.ErrStorageUnavailable, err)
	}
	return nil
}

var _ asset.BlobStore = (*Local)(nil)

// FilePath is the file of key, so that ffmpeg reads it in place.
func (l *Local) FilePath(key string) (string, bool) {
	p, err := l.path(key)
	return p, err == nil
}
