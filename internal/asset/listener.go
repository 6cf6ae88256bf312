package asset

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/event"
)

// Listener hears what happens to assets. The service takes an ordered list
// of them at construction (internal/app states it).
type Listener interface {
	// AssetChanged follows an edit of an asset's description (caption,
	// credit, alt text, keywords), in the edit's transaction.
	AssetChanged(ctx context.Context, assetID string) error
	// RenditionsReady follows the background renditions of a stored file
	// (by its storage key: identical uploads share one file) that a published
	// story already uses: its srcset, poster or HLS stream appeared.
	RenditionsReady(ctx context.Context, key string) error
}

// Listeners is the ordered list a Service emits to.
type Listeners = event.List[Listener]

func (s *Service) emitChanged(ctx context.Context, id string) error {
	return s.listeners.Emit(ctx, "asset.changed", func(ctx context.Context, l Listener) error { return l.AssetChanged(ctx, id) })
}

func (s *Service) emitRenditionsReady(ctx context.Context, key string) error {
	return s.listeners.Emit(ctx, "asset.renditions_ready", func(ctx context.Context, l Listener) error { return l.RenditionsReady(ctx, key) })
}
