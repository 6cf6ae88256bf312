package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Page sizes of the audit list.
const (
	DefaultLimit = 100
	MaxLimit     = 500
)

// Service is the reading side of the audit log: it applies the rule of who
// may read it, so no face has to call the repository and repeat that rule.
type Service struct {
	repo      Repository
	chain     ChainStore
	retention time.Duration
}

// NewService wires the audit service: repo and chain are the store's
// (chain may be nil in unit tests that only read), retention is audit.retention.
func NewService(repo Repository, chain ChainStore, retention time.Duration) *Service {
	return &Service{repo: repo, chain: chain, retention: retention}
}

// FindEvents returns one page of the events f selects, newest first, to an
// actor who may read the audit log (CanRead). next is the BeforeID of the
// following page, 0 on the last one. A Limit of 0 asks for DefaultLimit
// events; more than MaxLimit gives MaxLimit.
func (s *Service) FindEvents(ctx context.Context, a user.Actor, f Filter) (events []Event, next int64, err error) {
	if !CanRead(a) {
		return nil, 0, apperr.Forbidden("audit.admin_only")
	}
	switch {
	case f.Limit <= 0:
		f.Limit = DefaultLimit
	case f.Limit > MaxLimit:
		f.Limit = MaxLimit
	}
	// One event more than the page tells whether another page follows.
	want := f.Limit
	f.Limit = want + 1
	events, err = s.repo.FindEvents(ctx, f)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: find events: %w", err)
	}
	if len(events) <= want {
		return events, 0, nil
	}
	events = events[:want]
	return events, events[want-1].ID, nil
}
