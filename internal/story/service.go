package story

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/textvi"
	"github.com/newsroom-vn/newsroom/internal/txn"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Limits on story fields, in characters (runes) unless noted.
const (
	MaxHeadline  = 300
	MaxSapo      = 2000
	MaxByline    = 200
	MaxTags      = 30
	MaxTag       = 64
	MaxBodyBytes = 2 << 20
	MaxComment   = 5000
)

// Config tunes the story service.
type Config struct {
	LockTTL time.Duration // an edit lock without heartbeat expires after this
	// WordsPerMinute is the reading rate behind the read times of radio
	// scripts and spoken TV segments, each syllable a word (default 160).
	WordsPerMinute int
	// PresenterWPM is the reading rate of named presenters (RadioVersion.Presenter, case ignored).
	PresenterWPM map[string]int
}

// Service is the editorial use cases: each opens one transaction covering the
// change, its revision and its audit event.
type Service struct {
	*Reader
	repo  Repository
	audit audit.Repository
	tx    txn.Runner
	cfg   Config
	now   func() time.Time
	// attachments keeps the assets of stories (Content.Assets) and checks
	// them before publishing; nil: stories carry no assets.
	attachments Attachments
	// listeners hear every edit and transition (see Listener).
	listeners Listeners
}

// Deps are what the service works with besides its repository.
type Deps struct {
	Audit audit.Repository
	// Tx opens the use cases' transactions; it is wrapped so that
	// after-commit listeners run once the change is visible.
	Tx txn.Runner
	// Attachments (the asset service) keeps the stories' assets; nil leaves them out.
	Attachments Attachments
	// Listeners hear every edit and transition, in order.
	Listeners Listeners
}

// NewService wires the story service.
func NewService(repo Repository, d Deps, cfg Config) *Service {
	if cfg.LockTTL <= 0 {
		cfg.LockTTL = 2 * time.Minute
	}
	if cfg.WordsPerMinute <= 0 {
		cfg.WordsPerMinute = textvi.DefaultWordsPerMinute
	}
	wpm := make(map[string]int, len(cfg.PresenterWPM))
	for name, n := range cfg.PresenterWPM {
		if n > 0 {
			wpm[presenterKey(name)] = n
		}
	}
	cfg.PresenterWPM = wpm
	return &Service{Reader: NewReader(repo), repo: repo, audit: d.Audit, tx: txn.WithAfterCommit(d.Tx), cfg: cfg, attachments: d.Attachments, listeners: d.Listeners,
		now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

func (s *Service) record(ctx context.Context, a user.Actor, action, typ, id string, before, after int, details map[string]any) error {
	return audit.Record(ctx, s.audit, a, audit.Event{At: s.now(), Action: action, TargetType: typ, TargetID: id,
		BeforeVersion: before, AfterVersion: after, Details: details})
}

func (s *Service) snapshot(ctx context.Context, a user.Actor, st *Story, action, comment string) error {
	return s.repo.CreateRevision(ctx, &Revision{StoryID: st.ID, Number: st.Version, At: st.UpdatedAt,
		ActorID: a.UserID, Action: action, Comment: comment, Snapshot: *st})
}

// stale is the 412 answer, carrying the current version and story.
func stale(st *Story) error {
	return apperr.PreconditionFailed("story.story_changed", st.Version).
		WithDetails(map[string]any{"current_version": st.Version, "story": st})
}

// checkStoryID refuses an id that is not a UUID before any query runs.
func checkStoryID(id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return apperr.InvalidField("id", "story.story_id_not_uuid", id)
	}
	return nil
}

// notFound is the answer for a story the actor may not read, so that its
// existence is not revealed.
func notFound(id string) error {
	return apperr.NotFound("story.story_not_found", id)
}

// loadForChange is the prologue every change to one story shares: it checks
// the id, opens the use case's one transaction, reads the story (forUpdate
// holds its row until commit, so concurrent changes of the story queue) and
// hides it from an actor who may not read it. change runs on that story
// inside the same transaction.
func (s *Service) loadForChange(ctx context.Context, a user.Actor, id string, forUpdate bool, change func(ctx context.Context, st *Story) error) error {
	if err := checkStoryID(id); err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		st, err := s.repo.FindStoryByID(ctx, id, forUpdate)
		if err != nil {
			return err
		}
		if !CanRead(a, st) {
			return notFound(id)
		}
		return change(ctx, st)
	})
}
