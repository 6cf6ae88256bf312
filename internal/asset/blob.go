package asset

import (
	"context"
	"errors"
	"io"
	"time"
)

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key          string
	Size         int64
	ContentType  string
	ETag         string
	LastModified time.Time
}

// Object is an open stored object: readable from any offset (Range requests).
type Object interface {
	io.ReadSeekCloser
}

// ErrObjectNotFound is returned (wrapped) by a BlobStore for a missing key.
var ErrObjectNotFound = errors.New("object not found")

// ErrStorageUnavailable is returned (wrapped) by a BlobStore when the storage cannot be reached.
var ErrStorageUnavailable = errors.New("storage unavailable")

// BlobStore keeps the bytes of assets. Keys are slash-separated paths made
// of [a-z0-9._-] segments; implementations refuse anything else.
type BlobStore interface {
	// Put streams r into key, replacing it, and returns what was stored. The
	// object appears whole or not at all; an error from r aborts the write
	// and is returned (wrapped) so the caller can tell it apart.
	Put(ctx context.Context, key string, r io.Reader, contentType string) (ObjectInfo, error)
	// Get opens key for reading.
	Get(ctx context.Context, key string) (Object, ObjectInfo, error)
	// Stat describes key without reading it.
	Stat(ctx context.Context, key string) (ObjectInfo, error)
	// Move renames src to dst (replacing dst).
	Move(ctx context.Context, src, dst string) error
	// Delete removes key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// List returns the keys under prefix (for consistency checks and tests).
	List(ctx context.Context, prefix string) ([]string, error)
	// PresignGet returns a URL that reads key directly from the storage for
	// expiry, or "" when the backend cannot (the local folder).
	PresignGet(ctx context.Context, key string, expiry time.Duration) (string, error)
	// Ping reports whether the storage answers.
	Ping(ctx context.Context) error
}

// ValidKey reports whether key is a path BlobStore implementations accept:
// no empty, "." or ".." segment, no leading slash, only [a-z0-9._-] and '/'.
func ValidKey(key string) bool {
	if key == "" || len(key) > 512 {
		return false
	}
	seg := 0
	for i := 0; i <= len(key); i++ {
		if i == len(key) || key[i] == '/' {
			s := key[seg:i]
			if s == "" || s == "." || s == ".." {
				return false
			}
			seg = i + 1
			continue
		}
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
