package search

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/keyset"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// DefaultHalfLife is how fast recency fades when search.recency_half_life is not set:
// a story this old scores half of today's with the same words.
const DefaultHalfLife = 30 * 24 * time.Hour

// ExactBoost is added to the score factor of a story that also contains the
// query's exact (diacritic) forms: such a story scores (1+ExactBoost) times
// one that matches only once folded.
const ExactBoost = 1.0

// Page sizes.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Filter narrows a search. Visibility is always set by the Service.
type Filter struct {
	SectionID string
	States    []workflow.State
	AuthorID  string
	Tag       string
	Channel   story.Channel
	// From (inclusive) and To (exclusive) bound the story's date: its
	// publication time, or its last change when never published.
	From, To time.Time
	After    *Cursor // keyset position: hits strictly after it
	Limit    int

	// Set by the Service, not by callers.
	Visibility story.Visibility
	ExcludeIDs []string
	Now        time.Time     // the reference time of recency; kept in the cursor so pages agree
	HalfLife   time.Duration // recency half-life
}

// Cursor is a keyset position in the ranked order (score desc, id desc).
// At is the reference time the scores were computed for.
type Cursor struct {
	At    time.Time `json:"t"`
	Score float64   `json:"s"`
	ID    string    `json:"i"`
}

// Doc is one matching story as a backend returns it, with its score.
type Doc struct {
	ID          string
	Headline    string
	Slug        string // the story's URL slug
	SectionSlug string // its section's URL slug
	Sapo        string
	BodyText    string
	Tags        []string
	State       workflow.State
	SectionID   string
	PublishedAt *time.Time
	UpdatedAt   time.Time
	Score       float64
}

// Hit is one search result.
type Hit struct {
	ID          string         `json:"id"`
	Headline    string         `json:"headline"`
	URL         string         `json:"url"`     // public address; empty unless published
	Snippet     string         `json:"snippet"` // HTML: escaped text with <mark> around matches
	State       workflow.State `json:"state"`
	SectionID   string         `json:"section_id"`
	PublishedAt *time.Time     `json:"published_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	Score       float64        `json:"-"`
	Slug        string         `json:"-"` // the story's URL slug (URLFor builds the address from it)
	SectionSlug string         `json:"-"` // its section's URL slug
}

// Searcher is a full-text backend (store: PostgreSQL or SQLite).
type Searcher interface {
	// Search returns up to f.Limit documents matching q within f, best first
	// (score desc, id desc), strictly after f.After.
	Search(ctx context.Context, q Query, f Filter) ([]Doc, error)
	// DocFreq returns, for each phrase (a single word is a phrase of one), how
	// many published stories contain it, and how many published stories there are.
	DocFreq(ctx context.Context, phrases [][]Word) ([]int, int, error)
}

// StoryFinder reads one story without permission checks (story.Repository has it).
type StoryFinder interface {
	FindStoryByID(ctx context.Context, id string, forUpdate bool) (*story.Story, error)
}

// Config tunes the search service.
type Config struct {
	// HalfLife is the recency half-life (search.recency_half_life); 0 means DefaultHalfLife.
	HalfLife time.Duration
	// URLFor, when set, returns the public address of a published story's
	// hit (PublicURL under site.base_url); hits of unpublished stories never
	// carry a URL, and without it none does (tools that only index).
	URLFor func(h Hit) string
}

// Service is search with permissions: staff see what story.VisibilityFor
// allows them; the public sees published stories only.
type Service struct {
	backend Searcher
	stories StoryFinder
	cfg     Config
	now     func() time.Time
}

// NewService wires the search service.
func NewService(backend Searcher, stories StoryFinder, cfg Config) *Service {
	if cfg.HalfLife <= 0 {
		cfg.HalfLife = DefaultHalfLife
	}
	return &Service{backend: backend, stories: stories, cfg: cfg, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Search is staff search: every story the actor may read, narrowed by f.
// It returns the cursor of the next page, or nil on the last.
func (s *Service) Search(ctx context.Context, a user.Actor, raw string, f Filter) ([]Hit, *Cursor, error) {
	q, err := ParseQuery(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	f.Visibility = story.VisibilityFor(a)
	return s.run(ctx, q, f)
}

// SearchPublic is the readers' search: published stories only, whatever f
// says about states. Nothing of another state can reach the hits, their
// snippets or the cursor.
func (s *Service) SearchPublic(ctx context.Context, raw string, f Filter) ([]Hit, *Cursor, error) {
	q, err := ParseQuery(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	f.Visibility = story.Visibility{PublishedEverywhere: true}
	f.States = []workflow.State{workflow.Published}
	f.AuthorID = "" // not a public filter
	return s.run(ctx, q, f)
}

func (s *Service) run(ctx context.Context, q Query, f Filter) ([]Hit, *Cursor, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultLimit
	}
	if f.Limit > MaxLimit {
		f.Limit = MaxLimit
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return nil, nil, apperr.InvalidField("from", "search.from_must_before")
	}
	f.HalfLife = s.cfg.HalfLife
	f.Now = s.now()
	if f.After != nil {
		f.Now = f.After.At
	}
	want := f.Limit
	f.Limit = want + 1
	docs, err := s.backend.Search(ctx, q, f)
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	docs, next := keyset.Cut(docs, want, func(last Doc) Cursor { return Cursor{At: f.Now, Score: last.Score, ID: last.ID} })
	return s.hits(q, docs), next, nil
}

func (s *Service) hits(q Query, docs []Doc) []Hit {
	out := make([]Hit, len(docs))
	for i, d := range docs {
		h := Hit{ID: d.ID, Headline: d.Headline, State: d.State, SectionID: d.SectionID,
			PublishedAt: d.PublishedAt, UpdatedAt: d.UpdatedAt, Score: d.Score, Slug: d.Slug, SectionSlug: d.SectionSlug}
		h.Snippet = Snippet(q, d.Sapo+"\n"+d.BodyText, SnippetWords)
		if d.State == workflow.Published && s.cfg.URLFor != nil {
			h.URL = s.cfg.URLFor(h)
		}
		out[i] = h
	}
	return out
}

// PublicURL returns a Config.URLFor that builds a hit's address with the
// public URL scheme (story.PublicPath) under baseURL ("" gives a path).
func PublicURL(baseURL string) func(Hit) string {
	base := strings.TrimRight(baseURL, "/")
	return func(h Hit) string {
		if h.SectionSlug == "" || h.Slug == "" {
			return ""
		}
		return base + story.PublicPath(h.SectionSlug, h.Slug, h.ID)
	}
}
