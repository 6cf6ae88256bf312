package httpapi

import (
	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// The page tokens of the keyset-paged lists. A position missing its keys
// would restart or skip the list, so it is refused as an invalid cursor.
var (
	storyCursor   = respond.Cursor[story.Cursor]{Valid: func(p *story.Cursor) bool { return p.ID != "" && !p.UpdatedAt.IsZero() }}
	searchCursor  = respond.Cursor[search.Cursor]{Valid: func(p *search.Cursor) bool { return p.ID != "" && !p.At.IsZero() }}
	assetCursor   = respond.Cursor[asset.Cursor]{Valid: func(p *asset.Cursor) bool { return p.ID != "" && !p.CreatedAt.IsZero() }}
	rundownCursor = respond.Cursor[broadcast.RundownCursor]{Valid: func(p *broadcast.RundownCursor) bool { return p.ID != "" && !p.OnAirAt.IsZero() }}
	auditCursor   = respond.Cursor[auditPosition]{Valid: func(p *auditPosition) bool { return p.BeforeID >= 1 }}
)

// auditPosition is the page position in the audit list (newest first).
type auditPosition struct {
	BeforeID int64 `json:"b"`
}
