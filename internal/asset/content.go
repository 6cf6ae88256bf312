package asset

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"
)

// NewObjectKey is a fresh, never reused object key: obj/ab/<32 hex digits>.
// Its bytes never change, so it is cached as immutable like a content address.
func NewObjectKey() string {
	id := strings.ReplaceAll(uuid.NewString(), "-", "")
	return "obj/" + id[:2] + "/" + id
}

// ContentIndex finds the stored object of a content (store's asset repository implements it).
type ContentIndex interface {
	// FindObjectKeyBySHA256 returns the key of an asset with that SHA-256, or "" when there is none.
	FindObjectKeyBySHA256(ctx context.Context, sum string) (string, error)
}

// dedupe returns the key to record for content sum just stored under key:
// the key of the same content stored earlier (and key is deleted), or key.
// Two simultaneous uploads of one file may both keep their object; that
// costs space, never correctness.
func (s *Service) dedupe(ctx context.Context, sum, key string) (string, bool, error) {
	bg := context.WithoutCancel(ctx)
	ci, ok := s.repo.(ContentIndex)
	if !ok {
		return key, false, nil
	}
	old, err := ci.FindObjectKeyBySHA256(ctx, sum)
	if err != nil {
		_ = s.blobs.Delete(bg, key)
		return "", false, err
	}
	if old == "" || old == key {
		return key, false, nil
	}
	if _, err := s.blobs.Stat(ctx, old); errors.Is(err, ErrObjectNotFound) {
		return key, false, nil // the earlier object is lost: keep this one
	} else if err != nil {
		_ = s.blobs.Delete(bg, key)
		return "", false, storageDown(err)
	}
	_ = s.blobs.Delete(bg, key)
	return old, true, nil
}
