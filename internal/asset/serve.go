package asset

import (
	"context"
	"errors"
	"strings"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// MediaURL is the public path of an object key.
func MediaURL(key string) string { return "/media/" + key }

// mediaBase is the original's key for an original or rendition key.
func mediaBase(key string) string {
	i := strings.LastIndexByte(key, '/')
	if j := strings.IndexByte(key[i+1:], '-'); j >= 0 {
		return key[:i+1+j]
	}
	return key
}

// Media is an open original or rendition for GET /media.
type Media struct {
	Object
	Info ObjectInfo
	// Public is true when an asset stored there is attached to a published
	// story: anyone may read it, and shared caches may keep it.
	Public bool
}

// OpenMedia opens an original or a rendition for GET /media. staff is false
// for the public, who see only assets attached to a published story.
func (s *Service) OpenMedia(ctx context.Context, staff bool, key string) (*Media, error) {
	notFound := apperr.NotFound("asset.media_not_found")
	if !ValidKey(key) || !strings.HasPrefix(key, "sha256/") && !strings.HasPrefix(key, "obj/") {
		return nil, notFound
	}
	exists, public, err := s.repo.KeyVisibility(ctx, mediaBase(key))
	if err != nil {
		return nil, err
	}
	if !exists || (!public && !staff) {
		return nil, notFound
	}
	obj, info, err := s.blobs.Get(ctx, key)
	if errors.Is(err, ErrObjectNotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, storageDown(err)
	}
	return &Media{Object: obj, Info: info, Public: public}, nil
}
