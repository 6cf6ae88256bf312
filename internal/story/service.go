package story

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
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
	repo  Repository
	audit audit.Repository
	tx    txn.Runner
	cfg   Config
	now   func() time.Time
	// OnTransition, when set, runs inside the transaction of every transition
	// (distribution enqueues its jobs here so they commit with the state change).
	OnTransition func(ctx context.Context, s *Story, t workflow.Transition) error
	// OnUpdate, when set, runs after an edit (UpdateStory) has committed, so
	// that outputs holding a copy of the story (the MOS device's running
	// orders) send the new text. It must not block.
	OnUpdate func(ctx context.Context, s *Story)
	// Attachments, when set, keeps the assets of stories (Content.Assets) and
	// checks them before publishing.
	Attachments Attachments
}

// NewService wires the story service.
func NewService(repo Repository, auditRepo audit.Repository, tx txn.Runner, cfg Config) *Service {
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
	return &Service{repo: repo, audit: auditRepo, tx: tx, cfg: cfg, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

func (s *Service) record(ctx context.Context, a user.Actor, action, typ, id string, before, after int, details map[string]any) error {
	e := audit.New(a, action, typ, id)
	e.At = s.now()
	e.BeforeVersion, e.AfterVersion, e.Details = before, after, details
	return s.audit.RecordEvent(ctx, e)
}

// Content is the editable part of a story; nil fields are left as they are.
type Content struct {
	SectionID *string    `json:"section_id"`
	Headline  *string    `json:"headline"`
	Sapo      *string    `json:"sapo"`
	Body      *string    `json:"body"`
	Byline    *string    `json:"byline"`
	Tags      *[]string  `json:"tags"`
	Channels  *[]Channel `json:"channels"`
	// Assets replaces the story's attached assets (kept by Service.Attachments).
	Assets *[]AssetRef `json:"assets"`
	// Radio and TV replace the channel versions; an empty object removes one
	// (see versions.go). Their computed fields are ignored on input.
	Radio *RadioVersion `json:"radio"`
	TV    *TVVersion    `json:"tv"`
}

// AssetRef is an asset a story uses, in a role (featured, gallery, inline, radio_audio, tv_video).
type AssetRef struct {
	AssetID string `json:"asset_id"`
	Role    string `json:"role"`
}

// Attachments keeps the assets attached to stories; the asset package implements it.
type Attachments interface {
	// ReplaceStoryAssets validates refs and makes them the story's assets.
	ReplaceStoryAssets(ctx context.Context, storyID string, refs []AssetRef) error
	// CheckPublishable refuses a story whose assets are not fit to publish.
	CheckPublishable(ctx context.Context, storyID string) error
	// MediaInfo returns an asset's kind (image, audio, video, document) and
	// its duration in seconds (0 when unknown); NotFound when there is no such asset.
	MediaInfo(ctx context.Context, assetID string) (kind string, seconds float64, err error)
}

// IsEmpty reports whether the content changes nothing.
func (c Content) IsEmpty() bool {
	return c.SectionID == nil && c.Headline == nil && c.Sapo == nil && c.Body == nil && c.Byline == nil && c.Tags == nil && c.Channels == nil && c.Assets == nil &&
		c.Radio == nil && c.TV == nil
}

// apply validates and normalises c onto st. It reports whether the headline changed.
func (s *Service) apply(ctx context.Context, st *Story, c Content) (headlineChanged bool, err error) {
	if c.SectionID != nil {
		if _, err := uuid.Parse(*c.SectionID); err != nil {
			return false, apperr.InvalidField("section_id", "section_id không phải UUID hợp lệ (section_id is not a valid UUID)")
		}
		if _, err := s.repo.FindSectionByID(ctx, *c.SectionID); err != nil {
			if apperr.Is(err, apperr.CodeNotFound) {
				return false, apperr.InvalidField("section_id", "Chuyên mục không tồn tại (section %s does not exist)", *c.SectionID)
			}
			return false, err
		}
		if st.SectionID != *c.SectionID {
			headlineChanged = true // slug must be unique in the new section
		}
		st.SectionID = *c.SectionID
	}
	if c.Headline != nil {
		h := textvi.Clean(fixLegacy(*c.Headline))
		if h == "" {
			return false, apperr.InvalidField("headline", "Tít bài không được để trống (headline must not be empty)")
		}
		if n := utf8.RuneCountInString(h); n > MaxHeadline {
			return false, apperr.InvalidField("headline", "Tít bài dài %d ký tự, tối đa %d (headline is %d characters, at most %d)", n, MaxHeadline, n, MaxHeadline)
		}
		if h != st.Headline {
			headlineChanged = true
		}
		st.Headline = h
	}
	if c.Sapo != nil {
		v := strings.TrimSpace(textvi.NFC(fixLegacy(*c.Sapo)))
		if n := utf8.RuneCountInString(v); n > MaxSapo {
			return false, apperr.InvalidField("sapo", "Sapo dài %d ký tự, tối đa %d (sapo too long)", n, MaxSapo)
		}
		st.Sapo = v
	}
	if c.Body != nil {
		if len(*c.Body) > MaxBodyBytes {
			return false, apperr.TooLarge("Nội dung bài quá lớn, tối đa %d MiB (body over %d bytes)", MaxBodyBytes>>20, MaxBodyBytes).WithDetails(map[string]any{"field": "body"})
		}
		st.Body = richtext.Sanitize(fixLegacy(*c.Body))
	}
	if c.Byline != nil {
		v := textvi.Clean(*c.Byline)
		if n := utf8.RuneCountInString(v); n > MaxByline {
			return false, apperr.InvalidField("byline", "Bút danh dài quá %d ký tự (byline too long)", MaxByline)
		}
		st.Byline = v
	}
	if c.Tags != nil {
		tags := []string{}
		seen := map[string]bool{}
		for _, t := range *c.Tags {
			t = textvi.Clean(t)
			if t == "" {
				continue
			}
			if utf8.RuneCountInString(t) > MaxTag {
				return false, apperr.InvalidField("tags", "Từ khóa %q dài quá %d ký tự (tag too long)", t, MaxTag)
			}
			k := strings.ToLower(t)
			if !seen[k] {
				seen[k] = true
				tags = append(tags, t)
			}
		}
		if len(tags) > MaxTags {
			return false, apperr.InvalidField("tags", "Tối đa %d từ khóa (at most %d tags)", MaxTags, MaxTags)
		}
		st.Tags = tags
	}
	if c.Channels != nil {
		chs := []Channel{}
		for _, ch := range *c.Channels {
			if !slices.Contains(Channels, ch) {
				return false, apperr.InvalidField("channels", "Kênh %q không hợp lệ; dùng web, radio, tv (unknown channel)", ch)
			}
			if !slices.Contains(chs, ch) {
				chs = append(chs, ch)
			}
		}
		if len(chs) == 0 {
			return false, apperr.InvalidField("channels", "Cần ít nhất một kênh: web, radio, tv (at least one channel is required)")
		}
		st.Channels = chs
	}
	if c.Radio != nil {
		rv, err := s.radioVersion(ctx, *c.Radio)
		if err != nil {
			return false, err
		}
		st.Radio = rv
	}
	if c.TV != nil {
		tv, err := s.tvVersion(ctx, *c.TV)
		if err != nil {
			return false, err
		}
		st.TV = tv
	}
	return headlineChanged, nil
}

// assignSlug gives st a slug from its headline, unique in its section, and
// records it; old slugs stay recorded so old URLs can redirect.
func (s *Service) assignSlug(ctx context.Context, st *Story) error {
	slug, isNew, err := s.pickSlug(ctx, st)
	if err != nil {
		return err
	}
	st.Slug = slug
	if isNew {
		return s.repo.AddSlug(ctx, st.ID, st.SectionID, slug, s.now())
	}
	return nil
}

// pickSlug finds the first free slug for the headline in the story's section;
// isNew is false when the story already holds it.
func (s *Service) pickSlug(ctx context.Context, st *Story) (slug string, isNew bool, err error) {
	base := textvi.Slugify(st.Headline)
	if base == "" {
		base = "bai-viet"
	}
	for i := 1; i <= 50; i++ {
		cand := base
		if i > 1 {
			cand = base + "-" + strconv.Itoa(i)
		}
		if i == 50 {
			cand = base + "-" + st.ID[:8]
		}
		owner, err := s.repo.SlugOwner(ctx, st.SectionID, cand)
		if err != nil {
			return "", false, err
		}
		if owner == "" || owner == st.ID {
			return cand, owner == "", nil
		}
	}
	return "", false, apperr.Conflict("Không tìm được đường dẫn (slug) còn trống (no free slug)")
}

func (s *Service) snapshot(ctx context.Context, a user.Actor, st *Story, action, comment string) error {
	return s.repo.CreateRevision(ctx, &Revision{StoryID: st.ID, Number: st.Version, At: st.UpdatedAt,
		ActorID: a.UserID, Action: action, Comment: comment, Snapshot: *st})
}

// CreateStory starts a draft owned by the actor.
func (s *Service) CreateStory(ctx context.Context, a user.Actor, c Content) (*Story, error) {
	if !CanCreate(a) {
		return nil, apperr.Forbidden("Vai trò %s không được viết bài (your role may not write stories)", a.Role.Label())
	}
	if c.SectionID == nil || *c.SectionID == "" {
		return nil, apperr.InvalidField("section_id", "Cần chọn chuyên mục (section_id is required)")
	}
	if c.Headline == nil {
		return nil, apperr.InvalidField("headline", "Cần có tít bài (headline is required)")
	}
	now := s.now()
	st := &Story{ID: uuid.NewString(), State: workflow.Draft, Version: 1, AuthorID: a.UserID,
		Tags: []string{}, Channels: []Channel{ChannelWeb}, CreatedAt: now, UpdatedAt: now}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.apply(ctx, st, c); err != nil {
			return err
		}
		if c.Byline == nil {
			st.Byline = a.Username
		}
		slug, _, err := s.pickSlug(ctx, st)
		if err != nil {
			return err
		}
		st.Slug = slug
		if err := s.repo.CreateStory(ctx, st); err != nil {
			return err
		}
		if err := s.repo.AddSlug(ctx, st.ID, st.SectionID, slug, now); err != nil {
			return err
		}
		if err := s.saveAssets(ctx, st, c); err != nil {
			return err
		}
		if err := s.snapshot(ctx, a, st, "create", ""); err != nil {
			return err
		}
		return s.record(ctx, a, "story.create", "story", st.ID, 0, st.Version, map[string]any{"headline": st.Headline})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// FindStoryByID returns a story the actor may read; others are NotFound.
func (s *Service) FindStoryByID(ctx context.Context, a user.Actor, id string) (*Story, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.InvalidField("id", "Mã bài %q không phải UUID (story id is not a UUID)", id)
	}
	st, err := s.repo.FindStoryByID(ctx, id, false)
	if err != nil {
		return nil, err
	}
	if !CanRead(a, st) {
		return nil, apperr.NotFound("Không tìm thấy bài %s (story not found)", id)
	}
	return st, nil
}

// FindStories lists the stories the actor may read, newest change first.
// It returns the cursor of the next page, or nil on the last.
func (s *Service) FindStories(ctx context.Context, a user.Actor, f Filter) ([]Story, *Cursor, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	f.Visibility = VisibilityFor(a)
	want := f.Limit
	f.Limit = want + 1
	items, err := s.repo.FindStories(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	if len(items) <= want {
		return items, nil, nil
	}
	items = items[:want]
	last := items[want-1]
	return items, &Cursor{UpdatedAt: last.UpdatedAt, ID: last.ID}, nil
}

// UpdateStory saves an edit if the story is still at ifVersion.
func (s *Service) UpdateStory(ctx context.Context, a user.Actor, id string, c Content, ifVersion int) (*Story, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.InvalidField("id", "Mã bài %q không phải UUID (story id is not a UUID)", id)
	}
	var out *Story
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		st, err := s.repo.FindStoryByID(ctx, id, true)
		if err != nil {
			return err
		}
		if !CanRead(a, st) {
			return apperr.NotFound("Không tìm thấy bài %s (story not found)", id)
		}
		if !CanEdit(a, st) {
			return apperr.Forbidden("Bạn không được sửa bài ở trạng thái %q (you may not edit this story in state %q)", st.State.Label(), st.State).
				WithDetails(map[string]any{"state": st.State})
		}
		if st.Version != ifVersion {
			return stale(st)
		}
		if c.IsEmpty() {
			return apperr.Invalid("Không có trường nào để sửa (no field to change)")
		}
		changed, err := s.apply(ctx, st, c)
		if err != nil {
			return err
		}
		if err := s.retime(ctx, st, c.Radio == nil, c.TV == nil); err != nil {
			return err
		}
		if changed {
			if err := s.assignSlug(ctx, st); err != nil {
				return err
			}
		}
		st.Version = ifVersion + 1
		st.UpdatedAt = s.now()
		if err := s.repo.UpdateStory(ctx, st, ifVersion); err != nil {
			return err
		}
		if err := s.saveAssets(ctx, st, c); err != nil {
			return err
		}
		// A signature covers the version that was signed, every channel
		// version included: an edit between two approval levels voids the
		// signatures already given, so they are given again on what airs.
		details := map[string]any{"fields": c.fields()}
		apps, err := s.repo.FindApprovals(ctx, st.ID)
		if err != nil {
			return err
		}
		if len(apps) > 0 {
			if err := s.repo.VoidApprovals(ctx, st.ID, st.UpdatedAt); err != nil {
				return err
			}
			details["voided_approvals"] = len(apps)
		}
		if err := s.snapshot(ctx, a, st, "update", ""); err != nil {
			return err
		}
		out = st
		return s.record(ctx, a, "story.update", "story", st.ID, ifVersion, st.Version, details)
	})
	if err == nil && s.OnUpdate != nil {
		s.OnUpdate(ctx, out)
	}
	return out, err
}

// saveAssets hands Content.Assets to the attachment keeper, in the caller's transaction.
func (s *Service) saveAssets(ctx context.Context, st *Story, c Content) error {
	if c.Assets == nil {
		return nil
	}
	if s.Attachments == nil {
		return apperr.InvalidField("assets", "Máy chủ này không quản lý tệp đa phương tiện (this server keeps no assets)")
	}
	return s.Attachments.ReplaceStoryAssets(ctx, st.ID, *c.Assets)
}

func (c Content) fields() []string {
	var f []string
	add := func(ok bool, name string) {
		if ok {
			f = append(f, name)
		}
	}
	add(c.SectionID != nil, "section_id")
	add(c.Headline != nil, "headline")
	add(c.Sapo != nil, "sapo")
	add(c.Body != nil, "body")
	add(c.Byline != nil, "byline")
	add(c.Tags != nil, "tags")
	add(c.Channels != nil, "channels")
	add(c.Assets != nil, "assets")
	add(c.Radio != nil, "radio")
	add(c.TV != nil, "tv")
	return f
}

// stale is the 412 answer, carrying the current version and story.
func stale(st *Story) error {
	return apperr.PreconditionFailed("Bài đã được người khác lưu (phiên bản hiện tại %d); hãy tải lại (story changed since you loaded it; current version %d)", st.Version, st.Version).
		WithDetails(map[string]any{"current_version": st.Version, "story": st})
}

// TransitionInput is one workflow request.
type TransitionInput struct {
	Action    string     `json:"action"`
	Comment   string     `json:"comment"`
	PublishAt *time.Time `json:"publish_at"`
	// Changes are content edits made with a correction (correct only).
	Changes *Content `json:"changes"`
}

func (s *Service) facts(ctx context.Context, a user.Actor, st *Story) (workflow.Facts, *Section, []Approval, error) {
	sec, err := s.repo.FindSectionByID(ctx, st.SectionID)
	if err != nil {
		return workflow.Facts{}, nil, nil, err
	}
	apps, err := s.repo.FindApprovals(ctx, st.ID)
	if err != nil {
		return workflow.Facts{}, nil, nil, err
	}
	signed := make([]string, 0, len(apps))
	for _, ap := range apps {
		signed = append(signed, ap.UserID)
	}
	return workflow.Facts{Actor: a, AuthorID: st.AuthorID, SectionID: st.SectionID,
		LevelRoles: sec.levelRoles(), Signed: signed}, sec, apps, nil
}

// levelRoles is who signs each of the section's levels, filling levels that
// have no stored role list with the defaults.
func (sec *Section) levelRoles() [][]user.Role {
	out := make([][]user.Role, sec.ApprovalLevels)
	for i := range out {
		if i < len(sec.LevelRoles) && len(sec.LevelRoles[i]) > 0 {
			out[i] = sec.LevelRoles[i]
		} else if i < len(DefaultLevelRoles) {
			out[i] = DefaultLevelRoles[i]
		}
	}
	return out
}

// AllowedActions lists the workflow actions the actor may take on the story now.
func (s *Service) AllowedActions(ctx context.Context, a user.Actor, st *Story) ([]workflow.Action, error) {
	f, _, _, err := s.facts(ctx, a, st)
	if err != nil {
		return nil, err
	}
	return workflow.Allowed(st.State, f), nil
}

// FindApprovals returns the live signatures on a story the actor may read.
func (s *Service) FindApprovals(ctx context.Context, a user.Actor, id string) ([]Approval, error) {
	if _, err := s.FindStoryByID(ctx, a, id); err != nil {
		return nil, err
	}
	return s.repo.FindApprovals(ctx, id)
}

// Transition applies a workflow action. ifVersion, when not nil, must match.
func (s *Service) Transition(ctx context.Context, a user.Actor, id string, in TransitionInput, ifVersion *int) (*Story, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.InvalidField("id", "Mã bài %q không phải UUID (story id is not a UUID)", id)
	}
	action, ok := workflow.ParseAction(in.Action)
	if !ok {
		return nil, apperr.InvalidField("action", "Thao tác %q không tồn tại (unknown action; one of %v)", in.Action, workflow.Actions)
	}
	comment := strings.TrimSpace(textvi.NFC(in.Comment))
	if utf8.RuneCountInString(comment) > MaxComment {
		return nil, apperr.InvalidField("comment", "Ghi chú dài quá %d ký tự (comment too long)", MaxComment)
	}
	if in.Changes != nil && action != workflow.Correct {
		return nil, apperr.InvalidField("changes", "Chỉ thao tác correct nhận thay đổi nội dung (only correct takes changes)")
	}
	var out *Story
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		st, err := s.repo.FindStoryByID(ctx, id, true)
		if err != nil {
			return err
		}
		if !CanRead(a, st) {
			return apperr.NotFound("Không tìm thấy bài %s (story not found)", id)
		}
		if ifVersion != nil && *ifVersion != st.Version {
			return stale(st)
		}
		f, sec, apps, err := s.facts(ctx, a, st)
		if err != nil {
			return err
		}
		t, err := workflow.Decide(st.State, action, f)
		if err != nil {
			return err
		}
		if t.NeedsComment && comment == "" {
			return apperr.InvalidField("comment", "Thao tác %s cần ghi rõ lý do trong comment (a comment is required for %s)", action, action)
		}
		now := s.now()
		before := st.Version
		details := map[string]any{"from": st.State, "to": t.To}
		switch action {
		case workflow.Submit, workflow.Withdraw:
			if err := s.repo.VoidApprovals(ctx, st.ID, now); err != nil {
				return err
			}
		case workflow.Claim:
			uid := a.UserID
			st.AssigneeID = &uid
		case workflow.Reject:
			if err := s.repo.VoidApprovals(ctx, st.ID, now); err != nil {
				return err
			}
			st.PublishAt = nil
		case workflow.Approve:
			if err := s.retime(ctx, st, true, true); err != nil {
				return err
			}
			if err := checkVersions(st, "duyệt", "approving"); err != nil {
				return err
			}
			lvl := f.NextLevel()
			ap := &Approval{ID: uuid.NewString(), StoryID: st.ID, Level: lvl, UserID: a.UserID, Username: a.Username,
				Role: a.Role, Version: st.Version + 1, At: now}
			if err := s.repo.CreateApproval(ctx, ap); err != nil {
				return err
			}
			details["level"] = lvl
			details["levels"] = sec.ApprovalLevels
		case workflow.Schedule:
			if in.PublishAt == nil {
				return apperr.InvalidField("publish_at", "Cần thời điểm xuất bản publish_at (publish_at is required to schedule)")
			}
			at := in.PublishAt.UTC().Truncate(time.Second)
			if !at.After(now) {
				return apperr.InvalidField("publish_at", "Thời điểm xuất bản phải ở tương lai (publish_at must be in the future)")
			}
			st.PublishAt = &at
			details["publish_at"] = at
		case workflow.Unschedule:
			st.PublishAt = nil
		case workflow.Publish:
			if len(apps) < sec.ApprovalLevels {
				return apperr.Conflict("Bài cần đủ %d cấp ký duyệt trước khi xuất bản; mới có %d (the story needs %d approval signatures before publishing; it has %d)",
					sec.ApprovalLevels, len(apps), sec.ApprovalLevels, len(apps)).WithDetails(map[string]any{"allowed": workflow.Allowed(st.State, f)})
			}
			if err := checkVersions(st, "xuất bản", "publishing"); err != nil {
				return err
			}
			if s.Attachments != nil {
				if err := s.Attachments.CheckPublishable(ctx, st.ID); err != nil {
					return err
				}
			}
			if st.PublishedAt == nil {
				p := now
				st.PublishedAt = &p
			}
			st.PublishAt = nil
		case workflow.Correct:
			if in.Changes != nil {
				changed, err := s.apply(ctx, st, *in.Changes)
				if err != nil {
					return err
				}
				if changed {
					if err := s.assignSlug(ctx, st); err != nil {
						return err
					}
				}
				details["fields"] = in.Changes.fields()
			}
			st.Correction = comment
			c := now
			st.CorrectedAt = &c
		case workflow.Kill:
			k := now
			st.KilledAt = &k
			st.KillReason = comment
		}
		st.State = t.To
		st.Version = before + 1
		st.UpdatedAt = now
		if err := s.repo.UpdateStory(ctx, st, before); err != nil {
			return err
		}
		if comment != "" {
			if err := s.repo.CreateComment(ctx, &Comment{ID: uuid.NewString(), StoryID: st.ID, AuthorID: a.UserID,
				Author: a.Username, Action: string(action), Body: comment, CreatedAt: now}); err != nil {
				return err
			}
			details["comment"] = comment
		}
		if err := s.snapshot(ctx, a, st, string(action), comment); err != nil {
			return err
		}
		if err := s.record(ctx, a, "story.transition."+string(action), "story", st.ID, before, st.Version, details); err != nil {
			return err
		}
		if s.OnTransition != nil {
			if err := s.OnTransition(ctx, st, t); err != nil {
				return err
			}
		}
		out = st
		return nil
	})
	return out, err
}

// PublishDue publishes scheduled stories whose time has come, as the system.
// The version check in the store makes it safe to run in several processes at
// once: a story is published exactly once. It returns how many it published.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	due, err := s.repo.FindDueStories(ctx, s.now(), 100)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, st := range due {
		v := st.Version
		_, err := s.Transition(ctx, user.System, st.ID, TransitionInput{Action: string(workflow.Publish)}, &v)
		switch {
		case err == nil:
			n++
		case apperr.Is(err, apperr.CodePreconditionFailed), apperr.Is(err, apperr.CodeConflict):
			// Another process published or someone unscheduled it meanwhile.
		default:
			return n, fmt.Errorf("story: publish due %s: %w", st.ID, err)
		}
	}
	return n, nil
}

// FindRevisions lists a story's revisions, newest first.
func (s *Service) FindRevisions(ctx context.Context, a user.Actor, id string) ([]Revision, error) {
	if _, err := s.FindStoryByID(ctx, a, id); err != nil {
		return nil, err
	}
	return s.repo.FindRevisions(ctx, id)
}

// FindRevision returns one revision's snapshot.
func (s *Service) FindRevision(ctx context.Context, a user.Actor, id string, n int) (*Revision, error) {
	if _, err := s.FindStoryByID(ctx, a, id); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, apperr.InvalidField("n", "Số phiên bản phải là số nguyên dương (revision number must be a positive integer)")
	}
	return s.repo.FindRevision(ctx, id, n)
}

// AddComment adds an editorial note.
func (s *Service) AddComment(ctx context.Context, a user.Actor, id, body string) (*Comment, error) {
	st, err := s.FindStoryByID(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !CanComment(a, st) {
		return nil, apperr.Forbidden("Bạn không được góp ý bài này (you may not comment on this story)")
	}
	body = strings.TrimSpace(textvi.NFC(body))
	if body == "" {
		return nil, apperr.InvalidField("body", "Nội dung góp ý không được để trống (comment body must not be empty)")
	}
	if utf8.RuneCountInString(body) > MaxComment {
		return nil, apperr.InvalidField("body", "Góp ý dài quá %d ký tự (comment too long)", MaxComment)
	}
	c := &Comment{ID: uuid.NewString(), StoryID: id, AuthorID: a.UserID, Author: a.Username, Body: body, CreatedAt: s.now()}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.CreateComment(ctx, c); err != nil {
			return err
		}
		return s.record(ctx, a, "story.comment", "story", id, st.Version, st.Version, map[string]any{"comment_id": c.ID})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// FindComments lists a story's comments, oldest first.
func (s *Service) FindComments(ctx context.Context, a user.Actor, id string) ([]Comment, error) {
	if _, err := s.FindStoryByID(ctx, a, id); err != nil {
		return nil, err
	}
	return s.repo.FindComments(ctx, id)
}

// FindLock returns the live edit lock on a story the actor may read, or NotFound.
func (s *Service) FindLock(ctx context.Context, a user.Actor, id string) (*Lock, error) {
	if _, err := s.FindStoryByID(ctx, a, id); err != nil {
		return nil, err
	}
	l, err := s.repo.FindLock(ctx, id)
	if err != nil {
		return nil, err
	}
	if !l.ExpiresAt.After(s.now()) {
		return nil, apperr.NotFound("Bài không bị khóa (story is not locked)")
	}
	return l, nil
}

// AcquireLock takes or renews (heartbeat) the advisory edit lock. Taking over
// someone else's live lock needs takeover=true and an editor of the section; it is audited.
func (s *Service) AcquireLock(ctx context.Context, a user.Actor, id string, takeover bool) (*Lock, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.InvalidField("id", "Mã bài %q không phải UUID (story id is not a UUID)", id)
	}
	var out *Lock
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		st, err := s.repo.FindStoryByID(ctx, id, true)
		if err != nil {
			return err
		}
		if !CanRead(a, st) {
			return apperr.NotFound("Không tìm thấy bài %s (story not found)", id)
		}
		if !CanEdit(a, st) {
			return apperr.Forbidden("Bạn không được sửa bài này nên không thể khóa (you may not edit this story, so you cannot lock it)")
		}
		now := s.now()
		cur, err := s.repo.FindLock(ctx, id)
		if err != nil && !apperr.Is(err, apperr.CodeNotFound) {
			return err
		}
		live := cur != nil && cur.ExpiresAt.After(now)
		l := &Lock{StoryID: id, UserID: a.UserID, Username: a.Username, AcquiredAt: now, ExpiresAt: now.Add(s.cfg.LockTTL)}
		if live && cur.UserID == a.UserID {
			l.AcquiredAt = cur.AcquiredAt
		} else if live {
			if !takeover {
				return apperr.Conflict("Đang được sửa bởi %s (being edited by %s)", cur.Username, cur.Username).
					WithDetails(map[string]any{"lock": cur}).WithReason("locked_by_other")
			}
			if !CanTakeOverLock(a, st) {
				return apperr.Forbidden("Chỉ biên tập viên được giành quyền sửa (only an editor may take over the lock)")
			}
			if err := s.record(ctx, a, "story.lock_takeover", "story", id, st.Version, st.Version,
				map[string]any{"from_user_id": cur.UserID, "from_username": cur.Username}); err != nil {
				return err
			}
		}
		if err := s.repo.SaveLock(ctx, l); err != nil {
			return err
		}
		out = l
		return nil
	})
	return out, err
}

// ReleaseLock drops the actor's own edit lock (an editor may drop anyone's).
func (s *Service) ReleaseLock(ctx context.Context, a user.Actor, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return apperr.InvalidField("id", "Mã bài %q không phải UUID (story id is not a UUID)", id)
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		st, err := s.repo.FindStoryByID(ctx, id, false)
		if err != nil {
			return err
		}
		if !CanRead(a, st) {
			return apperr.NotFound("Không tìm thấy bài %s (story not found)", id)
		}
		cur, err := s.repo.FindLock(ctx, id)
		if err != nil {
			return err
		}
		// An expired lock belongs to nobody: anyone who may edit can clear it.
		if cur.UserID != a.UserID && cur.ExpiresAt.After(s.now()) {
			if !CanTakeOverLock(a, st) {
				return apperr.Forbidden("Khóa thuộc về %s (the lock belongs to %s)", cur.Username, cur.Username)
			}
			if err := s.record(ctx, a, "story.lock_break", "story", id, st.Version, st.Version,
				map[string]any{"from_user_id": cur.UserID}); err != nil {
				return err
			}
		}
		return s.repo.DeleteLock(ctx, id)
	})
}
