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
	"sort"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config is how to reach an s3:// destination: the configured object
// storage's endpoint and credentials (storage.minio.*).
type S3Config struct {
	Endpoint  string
	AccessKey string
	SecretKey string
	UseSSL    bool
	Region    string
}

// dest is where backups are written: a local folder or a bucket and prefix.
// Names are slash-separated and relative to the destination's root.
type dest interface {
	put(ctx context.Context, name string, r io.Reader, size int64) error
	get(ctx context.Context, name string) (io.ReadCloser, error)
	// list returns every name under the folder dir ("" for the root), sorted.
	list(ctx context.Context, dir string) ([]string, error)
	remove(ctx context.Context, name string) error
	// where is name as the operator would type it (a path or s3:// URL).
	where(name string) string
}

// openDest opens a destination: "s3://bucket/prefix" or a local folder.
func openDest(ctx context.Context, to string, s3 S3Config, create bool) (dest, error) {
	to = strings.TrimSpace(to)
	if to == "" {
		return nil, errors.New("no backup destination: give --to DIR or s3://bucket/prefix (or set backup.to)")
	}
	if rest, ok := strings.CutPrefix(to, "s3://"); ok {
		bucket, prefix, _ := strings.Cut(rest, "/")
		return openS3(ctx, bucket, strings.Trim(prefix, "/"), s3, create)
	}
	abs, err := filepath.Abs(to)
	if err != nil {
		return nil, err
	}
	if create {
		if err := os.MkdirAll(abs, 0o750); err != nil {
			return nil, fmt.Errorf("cannot create the backup folder %s: %w", abs, err)
		}
	} else if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("no backup folder at %s", abs)
	}
	return &localDest{root: abs}, nil
}

// splitBackupPath splits the path of one backup (folder or s3:// URL) into
// its destination and the backup's folder name.
func splitBackupPath(p string) (to, name string) {
	p = strings.TrimRight(strings.TrimSpace(p), "/")
	p = strings.TrimSuffix(p, "/"+ManifestName)
	if rest, ok := strings.CutPrefix(p, "s3://"); ok {
		i := strings.LastIndexByte(rest, '/')
		if i < 0 {
			return p, ""
		}
		return "s3://" + rest[:i], rest[i+1:]
	}
	return filepath.Dir(p), filepath.Base(p)
}

type localDest struct{ root string }

func (l *localDest) file(name string) string { return filepath.Join(l.root, filepath.FromSlash(name)) }

func (l *localDest) where(name string) string { return l.file(name) }

func (l *localDest) put(ctx context.Context, name string, r io.Reader, _ int64) error {
	p := l.file(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".part-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return os.Rename(f.Name(), p)
}

func (l *localDest) get(_ context.Context, name string) (io.ReadCloser, error) {
	return os.Open(l.file(name))
}

func (l *localDest) list(_ context.Context, dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(l.file(dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".part-") {
			return nil
		}
		rel, err := filepath.Rel(l.root, p)
		if err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(out)
	return out, err
}

func (l *localDest) remove(_ context.Context, name string) error {
	err := os.Remove(l.file(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	// Drop the folder when it is left empty (a removed backup's).
	if err == nil {
		_ = os.Remove(filepath.Dir(l.file(name)))
	}
	return err
}

type s3Dest struct {
	c              *minio.Client
	bucket, prefix string
}

func openS3(ctx context.Context, bucket, prefix string, cfg S3Config, create bool) (*s3Dest, error) {
	if bucket == "" {
		return nil, errors.New("an s3:// destination needs a bucket: s3://bucket/prefix")
	}
	if cfg.Endpoint == "" || cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New("an s3:// backup destination uses storage.minio.endpoint, storage.minio.access_key and storage.minio.secret_key; set them (NEWSROOM_STORAGE_MINIO_*)")
	}
	c, err := minio.New(cfg.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.UseSSL, Region: cfg.Region})
	if err != nil {
		return nil, fmt.Errorf("S3 client for %s: %w", cfg.Endpoint, err)
	}
	ok, err := c.BucketExists(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the backup bucket %q at %s: %w", bucket, cfg.Endpoint, err)
	}
	if !ok {
		if !create {
			return nil, fmt.Errorf("no backup bucket %q at %s", bucket, cfg.Endpoint)
		}
		if err := c.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: cfg.Region}); err != nil {
			return nil, fmt.Errorf("create the backup bucket %q: %w", bucket, err)
		}
	}
	return &s3Dest{c: c, bucket: bucket, prefix: prefix}, nil
}

func (s *s3Dest) key(name string) string {
	if s.prefix == "" {
		return name
	}
	return path.Join(s.prefix, name)
}

func (s *s3Dest) where(name string) string { return "s3://" + s.bucket + "/" + s.key(name) }

func (s *s3Dest) put(ctx context.Context, name string, r io.Reader, size int64) error {
	_, err := s.c.PutObject(ctx, s.bucket, s.key(name), r, size, minio.PutObjectOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return fmt.Errorf("write %s: %w", s.where(name), err)
	}
	return nil
}

func (s *s3Dest) get(ctx context.Context, name string) (io.ReadCloser, error) {
	o, err := s.c.GetObject(ctx, s.bucket, s.key(name), minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	// GetObject is lazy: Stat surfaces a missing key now.
	if _, err := o.Stat(); err != nil {
		o.Close()
		return nil, err
	}
	return o, nil
}

func (s *s3Dest) list(ctx context.Context, dir string) ([]string, error) {
	p := s.key(dir)
	if p != "" {
		p += "/"
	}
	base := ""
	if s.prefix != "" {
		base = s.prefix + "/"
	}
	var out []string
	for o := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: p, Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("list %s: %w", s.where(dir), o.Err)
		}
		out = append(out, strings.TrimPrefix(o.Key, base))
	}
	sort.Strings(out)
	return out, nil
}

func (s *s3Dest) remove(ctx context.Context, name string) error {
	return s.c.RemoveObject(ctx, s.bucket, s.key(name), minio.RemoveObjectOptions{})
}
