// Package site is the public read side of the newsroom: published stories as
// readers, aggregators and partners see them, found by public URL, section,
// tag, author or a simple text query. It also keeps the generation counter
// that tells the public caches when published content changed.
package site

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/keyset"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/txn"
)

// MaxLimit caps any public list.
const MaxLimit = 100

// Cursor is a keyset position in the public order (published_at desc, id desc).
type Cursor struct {
	PublishedAt time.Time `json:"p"`
	ID          string    `json:"i"`
}

// Query selects published stories. Zero fields do not filter.
type Query struct {
	SectionID string
	Tag       string // exact tag text
	AuthorID  string
	Since     time.Time // published at or after (inclusive)
	Until     time.Time // published before (exclusive)
	Text      string    // case-insensitive substring of headline or sapo
	After     *Cursor
	Limit     int
}

// Author is the public face of a story's author.
type Author struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

// Repository reads published content. Only stories in the published state are
// ever listed; FindPublicByShortID also returns killed ones (to answer 410).
type Repository interface {
	// FindPublished lists published stories in (published_at desc, id desc) order.
	FindPublished(ctx context.Context, q Query) ([]story.Story, error)
	// FindPublicByShortID returns published or killed stories whose id starts with prefix.
	FindPublicByShortID(ctx context.Context, prefix string) ([]story.Story, error)
	// FindAuthors returns the authors with these ids (missing ids are left out).
	FindAuthors(ctx context.Context, ids []string) (map[string]Author, error)
	// FindAuthorByUsername returns an author or NotFound.
	FindAuthorByUsername(ctx context.Context, username string) (*Author, error)
	// OldestPublished returns the earliest published_at of a published story, or the zero time.
	OldestPublished(ctx context.Context) (time.Time, error)
	// FindMedia returns the attachments (with their assets) of these stories, by story id, in order.
	FindMedia(ctx context.Context, storyIDs []string) (map[string][]asset.Attachment, error)
	// AssetIsPublic reports whether a published or killed story uses the asset.
	AssetIsPublic(ctx context.Context, assetID string) (bool, error)
	// Generation reads the shared site generation counter.
	Generation(ctx context.Context) (int64, error)
	// BumpGeneration increments the shared counter (in the caller's transaction, if any).
	BumpGeneration(ctx context.Context) error
}

// Article is a public story with what its pages need around it.
type Article struct {
	story.Story
	Section story.Section
	Author  Author
	// Path is the canonical public path, /{section}/{slug}-{shortid}.html.
	Path string
	// Media are the story's attached assets in order, with /media URLs.
	Media []asset.Attachment
}

// Featured is the featured image, or nil.
func (a *Article) Featured() *asset.Asset {
	for i := range a.Media {
		if a.Media[i].Role == asset.RoleFeatured && a.Media[i].Asset != nil {
			return a.Media[i].Asset
		}
	}
	return nil
}

// MediaIn lists the attached assets in one role, in order.
func (a *Article) MediaIn(role asset.Role) []asset.Asset {
	var out []asset.Asset
	for _, m := range a.Media {
		if m.Role == role && m.Asset != nil {
			out = append(out, *m.Asset)
		}
	}
	return out
}

// Killed reports whether the story was taken down (gỡ bài).
func (a *Article) Killed() bool { return a.State == workflow.Killed }

// Modified is when the public content last changed (publish, correction or kill).
func (a *Article) Modified() time.Time {
	t := a.UpdatedAt
	if a.PublishedAt != nil && a.PublishedAt.After(t) {
		t = *a.PublishedAt
	}
	return t
}

// Searcher answers the public search page. The search engine plugs in here;
// until then Service uses a headline/sapo substring query.
type Searcher interface {
	Search(ctx context.Context, text string, after *Cursor, limit int) ([]Article, *Cursor, error)
}

// DefaultSyncInterval is how often a process reads the shared generation
// counter: a change made by another process is seen within this time plus
// one database round trip.
const DefaultSyncInterval = 500 * time.Millisecond

// Service is the public read side.
type Service struct {
	repo    Repository
	stories story.Repository
	gen     atomic.Uint64
	// Searcher, when set, replaces the built-in substring search.
	Searcher Searcher
	// SyncInterval is the longest time between two reads of the shared
	// generation counter (0: read it on every Generation call).
	SyncInterval time.Duration

	shared   atomic.Int64 // last shared counter seen
	checked  atomic.Int64 // unix nanoseconds of the last read
	checking atomic.Bool
}

// NewService wires the public read side.
func NewService(repo Repository, stories story.Repository) *Service {
	s := &Service{repo: repo, stories: stories, SyncInterval: DefaultSyncInterval}
	s.gen.Store(uint64(time.Now().UnixNano()))
	s.shared.Store(-1)
	return s
}

// Generation changes every time published content changes; caches keyed on it
// never serve what was true before the change. Changes made by this process
// show at once; those made by other processes (which bump the shared counter
// in their transactions) show once this process has read the counter, at
// most SyncInterval later.
func (s *Service) Generation() uint64 {
	now := time.Now().UnixNano()
	if now-s.checked.Load() >= int64(s.SyncInterval) && s.checking.CompareAndSwap(false, true) {
		s.sync(now)
		s.checking.Store(false)
	}
	return s.gen.Load()
}

// sync reads the shared counter and starts a new generation when it moved.
// A failed read keeps the current generation (the next call tries again).
func (s *Service) sync(now int64) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	n, err := s.repo.Generation(ctx)
	if err != nil {
		return
	}
	s.checked.Store(now)
	if old := s.shared.Swap(n); old != n {
		s.gen.Add(1)
	}
}

// Invalidate starts a new generation. Call it after a publish, correction or
// kill has committed (and before answering the request that made it).
func (s *Service) Invalidate() { s.gen.Add(1) }

// Sections lists every section.
func (s *Service) Sections(ctx context.Context) ([]story.Section, error) {
	return s.stories.FindSections(ctx)
}

// SectionBySlug finds a section by its URL slug or NotFound.
func (s *Service) SectionBySlug(ctx context.Context, slug string) (*story.Section, error) {
	secs, err := s.stories.FindSections(ctx)
	if err != nil {
		return nil, err
	}
	for i := range secs {
		if secs[i].Slug == slug {
			return &secs[i], nil
		}
	}
	return nil, apperr.NotFound("site.no_such_section", slug)
}

// AuthorByUsername finds an author or NotFound.
func (s *Service) AuthorByUsername(ctx context.Context, username string) (*Author, error) {
	return s.repo.FindAuthorByUsername(ctx, username)
}

// Latest lists published articles matching q, newest first, and the cursor of the next page (nil on the last).
func (s *Service) Latest(ctx context.Context, q Query) ([]Article, *Cursor, error) {
	items, next, err := keyset.Page(q.Limit, 20, MaxLimit, func(limit int) ([]story.Story, error) {
		q.Limit = limit
		return s.repo.FindPublished(ctx, q)
	}, func(last story.Story) Cursor { return Cursor{PublishedAt: *last.PublishedAt, ID: last.ID} })
	if err != nil {
		return nil, nil, err
	}
	arts, err := s.articles(ctx, items)
	return arts, next, err
}

// Search runs the public search: the plugged-in Searcher, or a substring query.
func (s *Service) Search(ctx context.Context, text string, after *Cursor, limit int) ([]Article, *Cursor, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, nil, nil
	}
	if s.Searcher != nil {
		return s.Searcher.Search(ctx, text, after, limit)
	}
	return s.Latest(ctx, Query{Text: text, After: after, Limit: limit})
}

// articles adds sections, authors and paths to stories.
func (s *Service) articles(ctx context.Context, items []story.Story) ([]Article, error) {
	secs, err := s.stories.FindSections(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]story.Section, len(secs))
	for _, sec := range secs {
		byID[sec.ID] = sec
	}
	ids := make([]string, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.AuthorID)
	}
	authors, err := s.repo.FindAuthors(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Article, len(items))
	for i, it := range items {
		sec := byID[it.SectionID]
		out[i] = Article{Story: it, Section: sec, Author: authors[it.AuthorID], Path: story.PublicPath(sec.Slug, it.Slug, it.ID)}
	}
	if len(items) == 0 {
		return out, nil
	}
	storyIDs := make([]string, len(items))
	for i, it := range items {
		storyIDs[i] = it.ID
	}
	media, err := s.repo.FindMedia(ctx, storyIDs)
	if err != nil {
		return nil, fmt.Errorf("site: media of stories: %w", err)
	}
	for i := range out {
		out[i].Media = withURLs(media[out[i].ID])
	}
	return out, nil
}

// withURLs fills the public /media addresses of attachments.
func withURLs(atts []asset.Attachment) []asset.Attachment {
	for i := range atts {
		a := atts[i].Asset
		if a == nil {
			continue
		}
		a.URL = asset.MediaURL(a.Key)
		for j := range a.Renditions {
			a.Renditions[j].URL = asset.MediaURL(a.Renditions[j].Key)
		}
	}
	return atts
}

func (s *Service) article(ctx context.Context, st *story.Story) (*Article, error) {
	arts, err := s.articles(ctx, []story.Story{*st})
	if err != nil {
		return nil, err
	}
	return &arts[0], nil
}

// Resolve finds the article behind a public URL /{sectionSlug}/{name}.
// It returns the article (killed ones too: the caller answers 410) and
// whether the URL asked is not the canonical one (the caller redirects).
// An unknown URL is NotFound.
func (s *Service) Resolve(ctx context.Context, sectionSlug, name string) (art *Article, redirect bool, err error) {
	slug, short, ok := story.ParseArticleName(name)
	notFound := apperr.NotFound("site.no_article_at_address")
	if !ok {
		return nil, false, notFound
	}
	cands, err := s.repo.FindPublicByShortID(ctx, short)
	if err != nil {
		return nil, false, err
	}
	var pick *story.Story
	for i := range cands {
		if pick == nil || cands[i].Slug == slug {
			pick = &cands[i]
		}
	}
	if pick == nil {
		// No such id: perhaps an old URL whose slug is still known in the section.
		sec, err := s.SectionBySlug(ctx, sectionSlug)
		if err != nil {
			return nil, false, notFound
		}
		st, err := s.stories.FindStoryBySlug(ctx, sec.ID, slug)
		if err != nil || (st.State != workflow.Published && st.State != workflow.Killed) {
			return nil, false, notFound
		}
		pick = st
	}
	art, err = s.article(ctx, pick)
	if err != nil {
		return nil, false, err
	}
	return art, "/"+sectionSlug+"/"+name != art.Path, nil
}

// ArticleByKey finds a published or killed article by UUID or by a (current or old) slug.
func (s *Service) ArticleByKey(ctx context.Context, key string) (*Article, error) {
	notFound := apperr.NotFound("site.article_not_found", key)
	var st *story.Story
	if _, err := uuid.Parse(key); err == nil {
		st, err = s.stories.FindStoryByID(ctx, strings.ToLower(key), false)
		if err != nil {
			return nil, apperr.IfNotFound(err, notFound)
		}
	} else {
		secs, err := s.stories.FindSections(ctx)
		if err != nil {
			return nil, err
		}
		for _, sec := range secs {
			found, err := s.stories.FindStoryBySlug(ctx, sec.ID, key)
			if err == nil && (found.State == workflow.Published || found.State == workflow.Killed) {
				st = found
				break
			} else if err != nil && !apperr.Is(err, apperr.CodeNotFound) {
				return nil, err
			}
		}
	}
	if st == nil || (st.State != workflow.Published && st.State != workflow.Killed) {
		return nil, notFound
	}
	return s.article(ctx, st)
}

// Related lists other recent articles of the same section (until the search
// engine offers better relations).
func (s *Service) Related(ctx context.Context, a *Article, n int) ([]Article, error) {
	items, _, err := s.Latest(ctx, Query{SectionID: a.SectionID, Limit: n + 1})
	if err != nil {
		return nil, err
	}
	out := make([]Article, 0, n)
	for _, it := range items {
		if it.ID != a.ID && len(out) < n {
			out = append(out, it)
		}
	}
	return out, nil
}

// OldestPublished is the publication time of the oldest published story (zero if none).
func (s *Service) OldestPublished(ctx context.Context) (time.Time, error) {
	t, err := s.repo.OldestPublished(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("site: oldest published: %w", err)
	}
	return t, nil
}

// StoryTransitioned is the site's in-transaction story listener: when the
// transition touched public content (publish, correction, kill) it starts a
// new generation in the transaction and drops the cached pages once it has
// committed, so the next request sees the change and no request can cache
// what was true before it.
func (s *Service) StoryTransitioned(ctx context.Context, st *story.Story, t workflow.Transition) error {
	if t.From == workflow.Published || t.To == workflow.Published || t.To == workflow.Killed {
		return s.newGeneration(ctx)
	}
	return nil
}

// StoryChanged is a no-op: a published story changes through a correction,
// which is a transition.
func (s *Service) StoryChanged(context.Context, *story.Story) error { return nil }

// RenditionsReady is the site's asset listener for background renditions
// of a file that is already public: every cached page may be stale.
func (s *Service) RenditionsReady(ctx context.Context, _ string) error { return s.newGeneration(ctx) }

func (s *Service) newGeneration(ctx context.Context) error {
	if err := s.repo.BumpGeneration(ctx); err != nil {
		return fmt.Errorf("site: bump generation: %w", err)
	}
	txn.AfterCommit(ctx, s.Invalidate)
	return nil
}

// AssetChanged is the site's asset listener for edited metadata: when a published (or
// killed) story uses the asset, its new caption, credit or alt text must show
// on the next request, here and in the other processes. Other assets leave
// the cache alone.
func (s *Service) AssetChanged(ctx context.Context, assetID string) error {
	public, err := s.repo.AssetIsPublic(ctx, assetID)
	if err != nil {
		return fmt.Errorf("site: asset %s: %w", assetID, err)
	}
	if !public {
		return nil
	}
	return s.newGeneration(ctx)
}
