package blob

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/newsroom-vn/newsroom/internal/asset"
)

func (m *MinIO) core() minio.Core { return minio.Core{Client: m.c} }

// NewMultipart starts an S3 multipart upload.
func (m *MinIO) NewMultipart(ctx context.Context, key, contentType string) (string, error) {
	if !asset.ValidKey(key) {
		return "", fmt.Errorf("blob: invalid key %q", key)
	}
	id, err := m.core().NewMultipartUpload(ctx, m.bucket, key, minio.PutObjectOptions{ContentType: contentType})
	if err != nil {
		return "", m.mapErr("new multipart", key, err)
	}
	return id, nil
}

// PresignPart signs a PUT of part n (partNumber and uploadId query
// parameters) that the client sends straight to MinIO.
func (m *MinIO) PresignPart(ctx context.Context, key, uploadID string, n int, expiry time.Duration) (string, error) {
	// S3 refuses presigned URLs valid for more than 7 days.
	expiry = min(max(expiry, time.Minute), 7*24*time.Hour)
	u, err := m.c.Presign(ctx, "PUT", m.bucket, key, expiry, url.Values{"partNumber": {strconv.Itoa(n)}, "uploadId": {uploadID}})
	if err != nil {
		return "", m.mapErr("presign part", key, err)
	}
	return u.String(), nil
}

// PutPart uploads part n through the server (when a client cannot reach MinIO).
func (m *MinIO) PutPart(ctx context.Context, key, uploadID string, n int, r io.Reader, size int64) (string, error) {
	sr := &strictReader{r: r}
	p, err := m.core().PutObjectPart(ctx, m.bucket, key, uploadID, n, sr, size, minio.PutObjectPartOptions{DisableContentSha256: true})
	if sr.err != nil {
		return "", fmt.Errorf("blob: put part %d of %s: reading the source: %w", n, key, sr.err)
	}
	if err != nil {
		return "", m.multipartErr("put part", key, err)
	}
	return p.ETag, nil
}

// multipartErr maps S3's refusals of parts to asset.ErrInvalidParts.
func (m *MinIO) multipartErr(op, key string, err error) error {
	switch minio.ToErrorResponse(err).Code {
	case "InvalidPart", "InvalidPartOrder", "EntityTooSmall", "NoSuchUpload", "InvalidArgument":
		return fmt.Errorf("blob: %s %s: %w: %w", op, key, asset.ErrInvalidParts, err)
	}
	return m.mapErr(op, key, err)
}

// CompleteMultipart joins the parts into the object.
func (m *MinIO) CompleteMultipart(ctx context.Context, key, uploadID string, parts []asset.CompletedPart) (asset.ObjectInfo, error) {
	cp := make([]minio.CompletePart, len(parts))
	for i, p := range parts {
		cp[i] = minio.CompletePart{PartNumber: p.Number, ETag: p.ETag}
	}
	if _, err := m.core().CompleteMultipartUpload(ctx, m.bucket, key, uploadID, cp, minio.PutObjectOptions{}); err != nil {
		return asset.ObjectInfo{}, m.multipartErr("complete multipart", key, err)
	}
	return m.Stat(ctx, key)
}

// AbortMultipart drops the upload's parts; an unknown upload is fine.
func (m *MinIO) AbortMultipart(ctx context.Context, key, uploadID string) error {
	err := m.core().AbortMultipartUpload(ctx, m.bucket, key, uploadID)
	if err != nil && minio.ToErrorResponse(err).Code != "NoSuchUpload" {
		return m.mapErr("abort multipart", key, err)
	}
	return nil
}

// AbortStaleMultipart aborts the unfinished uploads under prefix initiated
// before t. MinIO lists the unfinished uploads of one exact key only (a
// prefix finds none): uploads left without a session row there are removed
// by MinIO's own stale-upload cleanup (api stale_uploads_expiry, 24h by default).
func (m *MinIO) AbortStaleMultipart(ctx context.Context, prefix string, before time.Time) (int, error) {
	n := 0
	for u := range m.c.ListIncompleteUploads(ctx, m.bucket, prefix, true) {
		if u.Err != nil {
			return n, m.mapErr("list multipart", prefix, u.Err)
		}
		if !u.Initiated.Before(before) {
			continue
		}
		if err := m.AbortMultipart(ctx, u.Key, u.UploadID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

var _ asset.MultipartStore = (*MinIO)(nil)
