package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/newsroom-vn/newsroom/internal/asset"
)

// MinIOConfig is how to reach the object storage.
type MinIOConfig struct {
	Endpoint  string // host:port, no scheme
	Bucket    string
	AccessKey string
	SecretKey string
	UseSSL    bool
	Region    string
	// PartSize is the multipart chunk for uploads of unknown length; it is
	// also the memory each upload holds. Default 16 MiB.
	PartSize uint64
}

// MinIO keeps objects in one bucket of a MinIO (or S3) server.
type MinIO struct {
	c      *minio.Client
	bucket string
	part   uint64
}

// NewMinIO connects, and creates the bucket if it is missing.
func NewMinIO(ctx context.Context, cfg MinIOConfig) (*MinIO, error) {
	var missing []string
	for _, f := range []struct{ name, v string }{{"storage.minio.endpoint", cfg.Endpoint}, {"storage.minio.bucket", cfg.Bucket},
		{"storage.minio.access_key", cfg.AccessKey}, {"storage.minio.secret_key", cfg.SecretKey}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("blob: storage.kind is minio but %s is not set (use NEWSROOM_STORAGE_MINIO_* environment variables for secrets)", strings.Join(missing, ", "))
	}
	if strings.Contains(cfg.Endpoint, "://") {
		return nil, fmt.Errorf("blob: storage.minio.endpoint %q must be host:port without a scheme (set storage.minio.use_ssl for https)", cfg.Endpoint)
	}
	c, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""), Secure: cfg.UseSSL, Region: cfg.Region,
		// Fail fast when the server is down: the caller answers 503 and the client retries.
		MaxRetries: 2,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: MinIO client for %s: %w", cfg.Endpoint, err)
	}
	if cfg.PartSize == 0 {
		cfg.PartSize = 16 << 20
	}
	m := &MinIO{c: c, bucket: cfg.Bucket, part: cfg.PartSize}
	ok, err := c.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("blob: cannot reach MinIO at %s (storage.minio.endpoint) with bucket %q: %w", cfg.Endpoint, cfg.Bucket, err)
	}
	if !ok {
		if err := c.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region}); err != nil {
			if r := minio.ToErrorResponse(err); r.Code != "BucketAlreadyOwnedByYou" && r.Code != "BucketAlreadyExists" {
				return nil, fmt.Errorf("blob: create bucket %q on %s: %w", cfg.Bucket, cfg.Endpoint, err)
			}
		}
	}
	return m, nil
}

// Client returns the minio-go client (benchmarks compare against it).
func (m *MinIO) Client() *minio.Client { return m.c }

// Bucket returns the bucket name.
func (m *MinIO) Bucket() string { return m.bucket }

func (m *MinIO) mapErr(op, key string, err error) error {
	if err == nil {
		return nil
	}
	r := minio.ToErrorResponse(err)
	switch {
	case r.Code == "NoSuchKey" || r.StatusCode == 404 && r.Code != "NoSuchBucket":
		return fmt.Errorf("blob: %s %s: %w", op, key, asset.ErrObjectNotFound)
	case isNetErr(err) || r.StatusCode >= 500:
		return fmt.Errorf("blob: %s %s: %w: %w", op, key, asset.ErrStorageUnavailable, err)
	}
	return fmt.Errorf("blob: %s %s: %w", op, key, err)
}

func isNetErr(err error) bool {
	var ne net.Error
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &ue)
}

// strictReader remembers the first read error other than io.EOF and hands
// minio-go a distinct error so it aborts the multipart upload.
type strictReader struct {
	r   io.Reader
	err error
}

var errSourceFailed = errors.New("blob: source read failed")

func (s *strictReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, errSourceFailed
	}
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
		return n, errSourceFailed
	}
	return n, err
}

// Put streams r as a multipart upload of PartSize chunks (length unknown).
func (m *MinIO) Put(ctx context.Context, key string, r io.Reader, contentType string) (asset.ObjectInfo, error) {
	if !asset.ValidKey(key) {
		return asset.ObjectInfo{}, fmt.Errorf("blob: invalid key %q", key)
	}
	sr := &strictReader{r: r}
	info, err := m.c.PutObject(ctx, m.bucket, key, sr, -1, minio.PutObjectOptions{ContentType: contentType, PartSize: m.part,
		// The payload is not signed chunk by chunk (one SHA-256 pass less on the
		// server's CPU); the caller hashes the content itself.
		DisableContentSha256: true})
	if sr.err != nil {
		// minio-go takes io.ErrUnexpectedEOF for the end of the stream and
		// would keep a truncated object: remove it and report the read error.
		if err == nil {
			_ = m.c.RemoveObject(context.WithoutCancel(ctx), m.bucket, key, minio.RemoveObjectOptions{})
		}
		return asset.ObjectInfo{}, fmt.Errorf("blob: put %s: reading the source: %w", key, sr.err)
	}
	if err != nil {
		return asset.ObjectInfo{}, m.mapErr("put", key, err)
	}
	return asset.ObjectInfo{Key: key, Size: info.Size, ContentType: contentType, ETag: info.ETag, LastModified: info.LastModified}, nil
}

func toInfo(o minio.ObjectInfo) asset.ObjectInfo {
	return asset.ObjectInfo{Key: o.Key, Size: o.Size, ContentType: o.ContentType, ETag: o.ETag, LastModified: o.LastModified.UTC()}
}

// Get opens the object; it reads from any offset (ranged GETs).
func (m *MinIO) Get(ctx context.Context, key string) (asset.Object, asset.ObjectInfo, error) {
	if !asset.ValidKey(key) {
		return nil, asset.ObjectInfo{}, fmt.Errorf("blob: get %q: %w", key, asset.ErrObjectNotFound)
	}
	o, err := m.c.GetObject(ctx, m.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, asset.ObjectInfo{}, m.mapErr("get", key, err)
	}
	st, err := o.Stat()
	if err != nil {
		o.Close()
		return nil, asset.ObjectInfo{}, m.mapErr("get", key, err)
	}
	return o, toInfo(st), nil
}

// Stat describes the object.
func (m *MinIO) Stat(ctx context.Context, key string) (asset.ObjectInfo, error) {
	if !asset.ValidKey(key) {
		return asset.ObjectInfo{}, fmt.Errorf("blob: stat %q: %w", key, asset.ErrObjectNotFound)
	}
	st, err := m.c.StatObject(ctx, m.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return asset.ObjectInfo{}, m.mapErr("stat", key, err)
	}
	return toInfo(st), nil
}

// Move copies src to dst on the server and removes src.
func (m *MinIO) Move(ctx context.Context, src, dst string) error {
	if !asset.ValidKey(src) || !asset.ValidKey(dst) {
		return fmt.Errorf("blob: move %q to %q: invalid key", src, dst)
	}
	_, err := m.c.CopyObject(ctx, minio.CopyDestOptions{Bucket: m.bucket, Object: dst}, minio.CopySrcOptions{Bucket: m.bucket, Object: src})
	if err != nil {
		return m.mapErr("move", src, err)
	}
	return m.Delete(ctx, src)
}

// Delete removes the object; a missing one is fine.
func (m *MinIO) Delete(ctx context.Context, key string) error {
	if !asset.ValidKey(key) {
		return fmt.Errorf("blob: invalid key %q", key)
	}
	return m.mapErr("delete", key, m.c.RemoveObject(ctx, m.bucket, key, minio.RemoveObjectOptions{}))
}

// List returns the keys under prefix.
func (m *MinIO) List(ctx context.Context, prefix string) ([]string, error) {
	keys := []string{}
	for o := range m.c.ListObjects(ctx, m.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, m.mapErr("list", prefix, o.Err)
		}
		keys = append(keys, o.Key)
	}
	return keys, nil
}

// PresignGet returns a URL that reads the object straight from MinIO.
func (m *MinIO) PresignGet(ctx context.Context, key string, expiry time.Duration) (string, error) {
	u, err := m.c.PresignedGetObject(ctx, m.bucket, key, expiry, nil)
	if err != nil {
		return "", m.mapErr("presign", key, err)
	}
	return u.String(), nil
}

// Ping asks the server whether the bucket exists.
func (m *MinIO) Ping(ctx context.Context) error {
	ok, err := m.c.BucketExists(ctx, m.bucket)
	if err != nil {
		return fmt.Errorf("blob: MinIO %s: %w: %w", m.c.EndpointURL().Host, asset.ErrStorageUnavailable, err)
	}
	if !ok {
		return fmt.Errorf("blob: MinIO bucket %q is missing: %w", m.bucket, asset.ErrStorageUnavailable)
	}
	return nil
}

var _ asset.BlobStore = (*MinIO)(nil)
