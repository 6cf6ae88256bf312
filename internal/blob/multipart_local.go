package blob

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
)

// multipartDir holds unfinished multipart uploads of the local backend, one
// folder per upload id with one file per part; List never shows it.
const multipartDir = ".multipart"

func (l *Local) uploadDir(uploadID string) (string, error) {
	if len(uploadID) != 32 || strings.Trim(uploadID, "0123456789abcdef") != "" {
		return "", fmt.Errorf("blob: unknown upload %q: %w", uploadID, asset.ErrInvalidParts)
	}
	return filepath.Join(l.root, multipartDir, uploadID), nil
}

// NewMultipart creates the upload's folder; the key is remembered in it.
func (l *Local) NewMultipart(ctx context.Context, key, contentType string) (string, error) {
	if _, err := l.path(key); err != nil {
		return "", err
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	dir, _ := l.uploadDir(id)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("blob: new multipart %s: %w: %w", key, asset.ErrStorageUnavailable, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "key"), []byte(key), 0o640); err != nil {
		return "", fmt.Errorf("blob: new multipart %s: %w: %w", key, asset.ErrStorageUnavailable, err)
	}
	return id, nil
}

// PresignPart returns "": parts of the local backend go through the server.
func (l *Local) PresignPart(ctx context.Context, key, uploadID string, n int, expiry time.Duration) (string, error) {
	return "", nil
}

func (l *Local) openUpload(key, uploadID string) (string, error) {
	dir, err := l.uploadDir(uploadID)
	if err != nil {
		return "", err
	}
	k, err := os.ReadFile(filepath.Join(dir, "key"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("blob: no upload %s: %w", uploadID, asset.ErrInvalidParts)
	} else if err != nil {
		return "", fmt.Errorf("blob: upload %s: %w", uploadID, err)
	}
	if string(k) != key {
		return "", fmt.Errorf("blob: upload %s is not for %s: %w", uploadID, key, asset.ErrInvalidParts)
	}
	return dir, nil
}

// PutPart writes the part atomically; its ETag is the MD5 of its bytes, as with S3.
func (l *Local) PutPart(ctx context.Context, key, uploadID string, n int, r io.Reader, size int64) (string, error) {
	dir, err := l.openUpload(key, uploadID)
	if err != nil {
		return "", err
	}
	if n < 1 || n > 10000 {
		return "", fmt.Errorf("blob: part number %d: %w", n, asset.ErrInvalidParts)
	}
	f, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return "", fmt.Errorf("blob: put part %d of %s: %w: %w", n, key, asset.ErrStorageUnavailable, err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	h := md5.New()
	got, err := io.Copy(io.MultiWriter(f, h), ctxReader{ctx, io.LimitReader(r, size+1)})
	if err != nil {
		return "", fmt.Errorf("blob: put part %d of %s: %w", n, key, err)
	}
	if got != size {
		return "", fmt.Errorf("blob: put part %d of %s: got %d bytes, want %d: %w", n, key, got, size, io.ErrUnexpectedEOF)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("blob: put part %d of %s: %w", n, key, err)
	}
	etag := hex.EncodeToString(h.Sum(nil))
	// The ETag is in the file name, so that completion can check it without rereading.
	for _, old := range l.partFiles(dir, n) {
		_ = os.Remove(old)
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, fmt.Sprintf("%05d.%s", n, etag))); err != nil {
		return "", fmt.Errorf("blob: put part %d of %s: %w", n, key, err)
	}
	return etag, nil
}

func (l *Local) partFiles(dir string, n int) []string {
	m, _ := filepath.Glob(filepath.Join(dir, fmt.Sprintf("%05d.*", n)))
	return m
}

// CompleteMultipart concatenates the parts into the object and removes the upload.
func (l *Local) CompleteMultipart(ctx context.Context, key, uploadID string, parts []asset.CompletedPart) (asset.ObjectInfo, error) {
	dir, err := l.openUpload(key, uploadID)
	if err != nil {
		return asset.ObjectInfo{}, err
	}
	files := make([]string, len(parts))
	for i, p := range parts {
		etag := strings.Trim(p.ETag, `"`)
		f := filepath.Join(dir, fmt.Sprintf("%05d.%s", p.Number, etag))
		fi, err := os.Stat(f)
		if err != nil || (i > 0 && p.Number <= parts[i-1].Number) || strings.ContainsAny(etag, `/\`) {
			return asset.ObjectInfo{}, fmt.Errorf("blob: part %d with etag %q: %w", p.Number, p.ETag, asset.ErrInvalidParts)
		}
		if i < len(parts)-1 && fi.Size() < asset.MinPartSize {
			return asset.ObjectInfo{}, fmt.Errorf("blob: part %d is %d bytes, under 5 MiB: %w", p.Number, fi.Size(), asset.ErrInvalidParts)
		}
		files[i] = f
	}
	pr, pw := io.Pipe()
	go func() {
		for _, f := range files {
			in, err := os.Open(f)
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			_, err = io.Copy(pw, in)
			in.Close()
			if err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.Close()
	}()
	info, err := l.Put(ctx, key, pr, "")
	pr.Close()
	if err != nil {
		return asset.ObjectInfo{}, err
	}
	_ = os.RemoveAll(dir)
	return info, nil
}

// AbortMultipart removes the upload's folder.
func (l *Local) AbortMultipart(ctx context.Context, key, uploadID string) error {
	dir, err := l.uploadDir(uploadID)
	if err != nil {
		return nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("blob: abort upload %s: %w", uploadID, err)
	}
	return nil
}

// AbortStaleMultipart removes upload folders for keys under prefix created before t.
func (l *Local) AbortStaleMultipart(ctx context.Context, prefix string, before time.Time) (int, error) {
	base := filepath.Join(l.root, multipartDir)
	entries, err := os.ReadDir(base)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("blob: list uploads: %w", err)
	}
	n := 0
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || !e.IsDir() || !fi.ModTime().Before(before) {
			continue
		}
		k, _ := os.ReadFile(filepath.Join(base, e.Name(), "key"))
		if !strings.HasPrefix(string(k), prefix) && len(k) > 0 {
			continue
		}
		if err := os.RemoveAll(filepath.Join(base, e.Name())); err != nil {
			return n, fmt.Errorf("blob: remove upload %s: %w", e.Name(), err)
		}
		n++
	}
	return n, nil
}

var _ asset.MultipartStore = (*Local)(nil)
