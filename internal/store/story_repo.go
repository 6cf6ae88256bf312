package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/richtext"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// storyRepo is the story.Repository on a DB.
type storyRepo struct{ db *DB }

// NewStoryRepository returns the story.Repository (stories, slugs,
// revisions, comments, approvals, sections, edit locks) backed by db. Calls
// made with a context from db.InTx join that transaction.
func NewStoryRepository(db *DB) story.Repository { return &storyRepo{db: db} }

type storyRow struct {
	ID          string `gorm:"primaryKey"`
	SectionID   string
	Headline    string
	Sapo        string
	Body        string
	Byline      string
	Tags        jsonCol[[]string]
	Channels    jsonCol[[]story.Channel]
	State       string
	Version     int
	Slug        string
	AuthorID    string
	AssigneeID  *string
	PublishAt   nullTime
	PublishedAt nullTime
	CorrectedAt nullTime
	KilledAt    nullTime
	Correction  string
	KillReason  string
	CreatedAt   dbTime `gorm:"autoCreateTime:false"`
	UpdatedAt   dbTime `gorm:"autoUpdateTime:false"`
	// RadioVersion and TVVersion are the channel versions (migration 00009), NULL when absent.
	RadioVersion nullJSON[story.RadioVersion]
	TVVersion    nullJSON[story.TVVersion] `gorm:"column:tv_version"`
	// BodyText is the body as plain text, written for the search index (migration 00002).
	BodyText string `gorm:"->:false;<-"`
}

func (storyRow) TableName() string { return "stories" }

// nullJSON is a nullable JSON column (jsonb or TEXT): a nil V is SQL NULL.
type nullJSON[T any] struct{ V *T }

// Value writes the JSON text, or NULL.
func (j nullJSON[T]) Value() (driver.Value, error) {
	if j.V == nil {
		return nil, nil
	}
	return jsonCol[*T]{V: j.V}.Value()
}

// Scan decodes JSON text; NULL (or JSON null) gives nil.
func (j *nullJSON[T]) Scan(src any) error {
	var c jsonCol[*T]
	if err := c.Scan(src); err != nil {
		return err
	}
	j.V = c.V
	return nil
}

// GormDataType names the column type, so GORM never probes the struct's fields.
func (nullJSON[T]) GormDataType() string { return "json" }

type slugRow struct {
	SectionID string
	Slug      string
	StoryID   string
	CreatedAt dbTime `gorm:"autoCreateTime:false"`
}

func (slugRow) TableName() string { return "story_slugs" }

type revisionRow struct {
	StoryID  string `gorm:"primaryKey"`
	Number   int    `gorm:"primaryKey;autoIncrement:false"`
	At       dbTime
	ActorID  string
	Action   string
	Comment  string
	Snapshot jsonCol[story.Story]
}

func (revisionRow) TableName() string { return "story_revisions" }

type commentRow struct {
	ID             string `gorm:"primaryKey"`
	StoryID        string
	AuthorID       string
	AuthorUsername string
	Action         string
	Body           string
	CreatedAt      dbTime `gorm:"autoCreateTime:false"`
}

func (commentRow) TableName() string { return "comments" }

type approvalRow struct {
	ID       string `gorm:"primaryKey"`
	StoryID  string
	Level    int
	UserID   string
	Username string
	Role     string
	Version  int
	At       dbTime
	VoidedAt nullTime
}

func (approvalRow) TableName() string { return "approvals" }

type sectionRow struct {
	ID             string `gorm:"primaryKey"`
	Name           string
	Slug           string
	ApprovalLevels int
	LevelRoles     jsonCol[[][]user.Role]
	CreatedAt      dbTime `gorm:"autoCreateTime:false"`
	UpdatedAt      dbTime `gorm:"autoUpdateTime:false"`
}

func (sectionRow) TableName() string { return "sections" }

type lockRow struct {
	StoryID    string `gorm:"primaryKey"`
	UserID     string
	Username   string
	AcquiredAt dbTime
	ExpiresAt  dbTime
}

func (lockRow) TableName() string { return "story_locks" }

// normStory puts s's times and lists in the stored form, so the caller's
// value equals what a later read returns.
func normStory(s *story.Story) {
	s.CreatedAt, s.UpdatedAt = norm(s.CreatedAt), norm(s.UpdatedAt)
	s.PublishAt, s.PublishedAt = normPtr(s.PublishAt), normPtr(s.PublishedAt)
	s.CorrectedAt, s.KilledAt = normPtr(s.CorrectedAt), normPtr(s.KilledAt)
	s.Tags, s.Channels = list(s.Tags), list(s.Channels)
}

func storyToRow(s *story.Story) storyRow {
	return storyRow{ID: s.ID, SectionID: s.SectionID, Headline: s.Headline, Sapo: s.Sapo, Body: s.Body,
		Byline: s.Byline, Tags: jsonCol[[]string]{V: list(s.Tags)}, Channels: jsonCol[[]story.Channel]{V: list(s.Channels)},
		State: string(s.State), Version: s.Version, Slug: s.Slug, AuthorID: s.AuthorID, AssigneeID: s.AssigneeID,
		PublishAt: toNull(s.PublishAt), PublishedAt: toNull(s.PublishedAt), CorrectedAt: toNull(s.CorrectedAt),
		KilledAt: toNull(s.KilledAt), Correction: s.Correction, KillReason: s.KillReason,
		CreatedAt: toDB(s.CreatedAt), UpdatedAt: toDB(s.UpdatedAt), BodyText: richtext.PlainText(s.Body),
		RadioVersion: nullJSON[story.RadioVersion]{V: s.Radio}, TVVersion: nullJSON[story.TVVersion]{V: s.TV}}
}

func (r storyRow) toDomain() story.Story {
	return story.Story{ID: r.ID, SectionID: r.SectionID, Headline: r.Headline, Sapo: r.Sapo, Body: r.Body,
		Byline: r.Byline, Tags: list(r.Tags.V), Channels: list(r.Channels.V), State: workflow.State(r.State),
		Version: r.Version, Slug: r.Slug, AuthorID: r.AuthorID, AssigneeID: r.AssigneeID,
		PublishAt: r.PublishAt.Ptr(), PublishedAt: r.PublishedAt.Ptr(), CorrectedAt: r.CorrectedAt.Ptr(),
		KilledAt: r.KilledAt.Ptr(), Correction: r.Correction, KillReason: r.KillReason,
		Radio: r.RadioVersion.V, TV: r.TVVersion.V,
		CreatedAt: r.CreatedAt.T, UpdatedAt: r.UpdatedAt.T}
}

func storiesToDomain(rows []storyRow) []story.Story {
	out := make([]story.Story, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out
}

// CreateStory inserts the story; an id already used is Conflict.
func (r *storyRepo) CreateStory(ctx context.Context, s *story.Story) error {
	normStory(s)
	row := storyToRow(s)
	return wrap(r.db.conn(ctx).Create(&row).Error, "create story "+s.ID)
}

// UpdateStory writes every field but id and created_at in one statement
// guarded by "version = ifVersion", so concurrent writers cannot both win.
// When no row matches it re-reads: NotFound if the story is gone, else
// PreconditionFailed carrying the current version and story.
func (r *storyRepo) UpdateStory(ctx context.Context, s *story.Story, ifVersion int) error {
	normStory(s)
	row := storyToRow(s)
	res := r.db.conn(ctx).Model(&storyRow{}).Where("id = ? AND version = ?", s.ID, ifVersion).
		Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return wrap(res.Error, "update story "+s.ID)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	cur, err := r.FindStoryByID(ctx, s.ID, false)
	if err != nil {
		return err
	}
	return fmt.Errorf("store: update story %s: %w", s.ID, apperr.PreconditionFailed(
		"Bài đã được người khác lưu (phiên bản hiện tại %d); hãy tải lại (story changed since you loaded it; current version %d)",
		cur.Version, cur.Version).WithDetails(map[string]any{"current_version": cur.Version, "story": cur}))
}

// FindStoryByID returns the story or NotFound; forUpdate adds FOR UPDATE on
// PostgreSQL (inside a transaction it holds the row until commit).
func (r *storyRepo) FindStoryByID(ctx context.Context, id string, forUpdate bool) (*story.Story, error) {
	q := r.db.conn(ctx).Where("id = ?", id).Limit(1)
	if forUpdate {
		q = r.db.forUpdate(q)
	}
	var rows []storyRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, wrap(err, "find story "+id)
	}
	if len(rows) == 0 {
		return nil, notFound("find story " + id)
	}
	s := rows[0].toDomain()
	return &s, nil
}

// visibilitySQL is story.Visibility.Allows as a WHERE condition: the
// reader's own stories, or every published story when PublishedEverywhere,
// or a story in States within SectionIDs (nil: all sections). An empty States
// list, or an empty non-nil SectionIDs, matches nothing in that branch; a
// zero Visibility matches nothing at all.
func visibilitySQL(v story.Visibility) (string, []any) {
	var ors []string
	var args []any
	if v.UserID != "" {
		ors = append(ors, "author_id = ?")
		args = append(args, v.UserID)
	}
	if v.PublishedEverywhere {
		ors = append(ors, "state = ?")
		args = append(args, string(workflow.Published))
	}
	if len(v.States) > 0 {
		states := stateStrings(v.States)
		switch {
		case v.SectionIDs == nil:
			ors = append(ors, "state IN ?")
			args = append(args, states)
		case len(v.SectionIDs) > 0:
			ors = append(ors, "(state IN ? AND section_id IN ?)")
			args = append(args, states, v.SectionIDs)
		}
	}
	if len(ors) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

func stateStrings(states []workflow.State) []string {
	out := make([]string, len(states))
	for i, s := range states {
		out[i] = string(s)
	}
	return out
}

// FindStories lists stories in (updated_at desc, id desc) order, strictly
// after f.After, filtered by f and always by f.Visibility. UpdatedFrom is
// inclusive, UpdatedTo exclusive; Limit 0 means no limit.
func (r *storyRepo) FindStories(ctx context.Context, f story.Filter) ([]story.Story, error) {
	vis, vargs := visibilitySQL(f.Visibility)
	q := r.db.conn(ctx).Model(&storyRow{}).Where(vis, vargs...)
	if len(f.States) > 0 {
		q = q.Where("state IN ?", stateStrings(f.States))
	}
	if f.SectionID != "" {
		q = q.Where("section_id = ?", f.SectionID)
	}
	if f.AuthorID != "" {
		q = q.Where("author_id = ?", f.AuthorID)
	}
	if f.AssigneeID != "" {
		q = q.Where("assignee_id = ?", f.AssigneeID)
	}
	if !f.UpdatedFrom.IsZero() {
		q = q.Where("updated_at >= ?", toDB(f.UpdatedFrom))
	}
	if !f.UpdatedTo.IsZero() {
		q = q.Where("updated_at < ?", toDB(f.UpdatedTo))
	}
	if f.After != nil {
		u := toDB(f.After.UpdatedAt)
		q = q.Where("(updated_at < ? OR (updated_at = ? AND id < ?))", u, u, f.After.ID)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rows []storyRow
	if err := q.Order("updated_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, wrap(err, "find stories")
	}
	return storiesToDomain(rows), nil
}

// FindStoryBySlug resolves a current or old slug within a section.
func (r *storyRepo) FindStoryBySlug(ctx context.Context, sectionID, slug string) (*story.Story, error) {
	what := fmt.Sprintf("find story by slug %s/%s", sectionID, slug)
	var rows []storyRow
	err := r.db.conn(ctx).Model(&storyRow{}).Select("stories.*").
		Joins("JOIN story_slugs ON story_slugs.story_id = stories.id").
		Where("story_slugs.section_id = ? AND story_slugs.slug = ?", sectionID, slug).
		Limit(1).Find(&rows).Error
	if err != nil {
		return nil, wrap(err, what)
	}
	if len(rows) == 0 {
		return nil, notFound(what)
	}
	s := rows[0].toDomain()
	return &s, nil
}

// SlugOwner returns the id of the story that holds (or held) slug in the section, or "".
func (r *storyRepo) SlugOwner(ctx context.Context, sectionID, slug string) (string, error) {
	var rows []slugRow
	if err := r.db.conn(ctx).Where("section_id = ? AND slug = ?", sectionID, slug).Limit(1).Find(&rows).Error; err != nil {
		return "", wrap(err, "find slug owner "+slug)
	}
	if len(rows) == 0 {
		return "", nil
	}
	return rows[0].StoryID, nil
}

// AddSlug records that the story holds slug in the section. Recording a slug
// the story already holds does nothing; one held by another story is
// Conflict. It uses ON CONFLICT DO NOTHING rather than catching the error,
// because a failed statement aborts a PostgreSQL transaction.
func (r *storyRepo) AddSlug(ctx context.Context, storyID, sectionID, slug string, at time.Time) error {
	what := fmt.Sprintf("add slug %s/%s", sectionID, slug)
	row := slugRow{SectionID: sectionID, Slug: slug, StoryID: storyID, CreatedAt: toDB(at)}
	res := r.db.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "section_id"}, {Name: "slug"}},
		DoNothing: true,
	}).Create(&row)
	if res.Error != nil {
		return wrap(res.Error, what)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	owner, err := r.SlugOwner(ctx, sectionID, slug)
	if err != nil {
		return err
	}
	if owner == storyID {
		return nil
	}
	return fmt.Errorf("store: %s: %w", what, apperr.Conflict(
		"Đường dẫn %q đã được bài khác dùng (slug already used by another story)", slug).
		WithDetails(map[string]any{"field": "slug", "story_id": owner}))
}

// FindDueStories returns scheduled stories whose publish_at is at or before
// t, earliest first; limit 0 means no limit.
func (r *storyRepo) FindDueStories(ctx context.Context, t time.Time, limit int) ([]story.Story, error) {
	q := r.db.conn(ctx).Where("state = ? AND publish_at <= ?", string(workflow.Scheduled), toDB(t)).
		Order("publish_at, id")
	if limit > 0 {
		q = q.Limit(limit)
	}
	var rows []storyRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, wrap(err, "find due stories")
	}
	return storiesToDomain(rows), nil
}

// CreateRevision stores a snapshot; a number already used for the story is Conflict.
func (r *storyRepo) CreateRevision(ctx context.Context, rev *story.Revision) error {
	rev.At = norm(rev.At)
	normStory(&rev.Snapshot)
	row := revisionRow{StoryID: rev.StoryID, Number: rev.Number, At: toDB(rev.At), ActorID: rev.ActorID,
		Action: rev.Action, Comment: rev.Comment, Snapshot: jsonCol[story.Story]{V: rev.Snapshot}}
	return wrap(r.db.conn(ctx).Create(&row).Error, fmt.Sprintf("create revision %d of story %s", rev.Number, rev.StoryID))
}

func (r revisionRow) toDomain() story.Revision {
	snap := r.Snapshot.V
	normStory(&snap)
	return story.Revision{StoryID: r.StoryID, Number: r.Number, At: r.At.T, ActorID: r.ActorID,
		Action: r.Action, Comment: r.Comment, Snapshot: snap}
}

// FindRevisions lists the story's revisions with full snapshots, newest first.
func (r *storyRepo) FindRevisions(ctx context.Context, storyID string) ([]story.Revision, error) {
	var rows []revisionRow
	if err := r.db.conn(ctx).Where("story_id = ?", storyID).Order("number DESC").Find(&rows).Error; err != nil {
		return nil, wrap(err, "find revisions of story "+storyID)
	}
	out := make([]story.Revision, len(rows))
	for i, row := range rows {
		out[i] = row.toDomain()
	}
	return out, r.fillActors(ctx, out)
}

// fillActors sets each revision's Actor to its user's username, in one query.
func (r *storyRepo) fillActors(ctx context.Context, revs []story.Revision) error {
	ids := []string{}
	seen := map[string]bool{}
	for _, rev := range revs {
		if rev.ActorID != "" && !seen[rev.ActorID] {
			seen[rev.ActorID] = true
			ids = append(ids, rev.ActorID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var users []userRow
	if err := r.db.conn(ctx).Select("id", "username").Where("id IN ?", ids).Find(&users).Error; err != nil {
		return wrap(err, "find revision authors")
	}
	names := make(map[string]string, len(users))
	for _, u := range users {
		names[u.ID] = u.Username
	}
	for i := range revs {
		revs[i].Actor = names[revs[i].ActorID]
	}
	return nil
}

// FindRevision returns one revision or NotFound.
func (r *storyRepo) FindRevision(ctx context.Context, storyID string, number int) (*story.Revision, error) {
	what := fmt.Sprintf("find revision %d of story %s", number, storyID)
	var rows []revisionRow
	if err := r.db.conn(ctx).Where("story_id = ? AND number = ?", storyID, number).Limit(1).Find(&rows).Error; err != nil {
		return nil, wrap(err, what)
	}
	if len(rows) == 0 {
		return nil, notFound(what)
	}
	revs := []story.Revision{rows[0].toDomain()}
	if err := r.fillActors(ctx, revs); err != nil {
		return nil, err
	}
	return &revs[0], nil
}

// CreateComment stores an editorial note.
func (r *storyRepo) CreateComment(ctx context.Context, c *story.Comment) error {
	c.CreatedAt = norm(c.CreatedAt)
	row := commentRow{ID: c.ID, StoryID: c.StoryID, AuthorID: c.AuthorID, AuthorUsername: c.Author,
		Action: c.Action, Body: c.Body, CreatedAt: toDB(c.CreatedAt)}
	return wrap(r.db.conn(ctx).Create(&row).Error, "create comment on story "+c.StoryID)
}

// FindComments lists the story's comments, oldest first.
func (r *storyRepo) FindComments(ctx context.Context, storyID string) ([]story.Comment, error) {
	var rows []commentRow
	if err := r.db.conn(ctx).Where("story_id = ?", storyID).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "find comments of story "+storyID)
	}
	out := make([]story.Comment, len(rows))
	for i, row := range rows {
		out[i] = story.Comment{ID: row.ID, StoryID: row.StoryID, AuthorID: row.AuthorID, Author: row.AuthorUsername,
			Action: row.Action, Body: row.Body, CreatedAt: row.CreatedAt.T}
	}
	return out, nil
}

// CreateApproval stores one signature.
func (r *storyRepo) CreateApproval(ctx context.Context, a *story.Approval) error {
	a.At, a.VoidedAt = norm(a.At), normPtr(a.VoidedAt)
	row := approvalRow{ID: a.ID, StoryID: a.StoryID, Level: a.Level, UserID: a.UserID, Username: a.Username,
		Role: string(a.Role), Version: a.Version, At: toDB(a.At), VoidedAt: toNull(a.VoidedAt)}
	return wrap(r.db.conn(ctx).Create(&row).Error, "create approval on story "+a.StoryID)
}

// FindApprovals lists the live (not voided) signatures, by level then time.
func (r *storyRepo) FindApprovals(ctx context.Context, storyID string) ([]story.Approval, error) {
	var rows []approvalRow
	if err := r.db.conn(ctx).Where("story_id = ? AND voided_at IS NULL", storyID).
		Order("level, at, id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "find approvals of story "+storyID)
	}
	out := make([]story.Approval, len(rows))
	for i, row := range rows {
		out[i] = story.Approval{ID: row.ID, StoryID: row.StoryID, Level: row.Level, UserID: row.UserID,
			Username: row.Username, Role: user.Role(row.Role), Version: row.Version, At: row.At.T,
			VoidedAt: row.VoidedAt.Ptr()}
	}
	return out, nil
}

// VoidApprovals voids every live signature on the story.
func (r *storyRepo) VoidApprovals(ctx context.Context, storyID string, at time.Time) error {
	err := r.db.conn(ctx).Model(&approvalRow{}).Where("story_id = ? AND voided_at IS NULL", storyID).
		Update("voided_at", toDB(at)).Error
	return wrap(err, "void approvals of story "+storyID)
}

func sectionToRow(s *story.Section) sectionRow {
	lr := list(s.LevelRoles)
	for i := range lr {
		lr[i] = list(lr[i])
	}
	return sectionRow{ID: s.ID, Name: s.Name, Slug: s.Slug, ApprovalLevels: s.ApprovalLevels,
		LevelRoles: jsonCol[[][]user.Role]{V: lr}, CreatedAt: toDB(s.CreatedAt), UpdatedAt: toDB(s.UpdatedAt)}
}

func (r sectionRow) toDomain() story.Section {
	return story.Section{ID: r.ID, Name: r.Name, Slug: r.Slug, ApprovalLevels: r.ApprovalLevels,
		LevelRoles: list(r.LevelRoles.V), CreatedAt: r.CreatedAt.T, UpdatedAt: r.UpdatedAt.T}
}

// CreateSection inserts a desk; a taken slug is Conflict.
func (r *storyRepo) CreateSection(ctx context.Context, s *story.Section) error {
	s.CreatedAt, s.UpdatedAt = norm(s.CreatedAt), norm(s.UpdatedAt)
	row := sectionToRow(s)
	return wrap(r.db.conn(ctx).Create(&row).Error, "create section "+s.Slug)
}

// UpdateSection writes every field but id and created_at; a missing section is NotFound.
func (r *storyRepo) UpdateSection(ctx context.Context, s *story.Section) error {
	s.CreatedAt, s.UpdatedAt = norm(s.CreatedAt), norm(s.UpdatedAt)
	row := sectionToRow(s)
	res := r.db.conn(ctx).Model(&sectionRow{}).Where("id = ?", s.ID).Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return wrap(res.Error, "update section "+s.ID)
	}
	if res.RowsAffected == 0 {
		return notFound("update section " + s.ID)
	}
	return nil
}

// FindSectionByID returns the section or NotFound.
func (r *storyRepo) FindSectionByID(ctx context.Context, id string) (*story.Section, error) {
	var rows []sectionRow
	if err := r.db.conn(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, wrap(err, "find section "+id)
	}
	if len(rows) == 0 {
		return nil, notFound("find section " + id)
	}
	s := rows[0].toDomain()
	return &s, nil
}

// FindSections lists every section by name, ignoring (ASCII) case.
func (r *storyRepo) FindSections(ctx context.Context) ([]story.Section, error) {
	var rows []sectionRow
	if err := r.db.conn(ctx).Order("lower(name), id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "find sections")
	}
	out := make([]story.Section, len(rows))
	for i, row := range rows {
		out[i] = row.toDomain()
	}
	return out, nil
}

// FindLock returns the story's edit lock, live or expired, or NotFound.
func (r *storyRepo) FindLock(ctx context.Context, storyID string) (*story.Lock, error) {
	var rows []lockRow
	if err := r.db.conn(ctx).Where("story_id = ?", storyID).Limit(1).Find(&rows).Error; err != nil {
		return nil, wrap(err, "find lock on story "+storyID)
	}
	if len(rows) == 0 {
		return nil, notFound("find lock on story " + storyID)
	}
	l := rows[0]
	return &story.Lock{StoryID: l.StoryID, UserID: l.UserID, Username: l.Username,
		AcquiredAt: l.AcquiredAt.T, ExpiresAt: l.ExpiresAt.T}, nil
}

// SaveLock creates or replaces the story's edit lock.
func (r *storyRepo) SaveLock(ctx context.Context, l *story.Lock) error {
	l.AcquiredAt, l.ExpiresAt = norm(l.AcquiredAt), norm(l.ExpiresAt)
	row := lockRow{StoryID: l.StoryID, UserID: l.UserID, Username: l.Username,
		AcquiredAt: toDB(l.AcquiredAt), ExpiresAt: toDB(l.ExpiresAt)}
	err := r.db.conn(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "story_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"user_id", "username", "acquired_at", "expires_at"}),
	}).Create(&row).Error
	return wrap(err, "save lock on story "+l.StoryID)
}

// DeleteLock drops the story's edit lock; dropping none is not an error.
func (r *storyRepo) DeleteLock(ctx context.Context, storyID string) error {
	return wrap(r.db.conn(ctx).Where("story_id = ?", storyID).Delete(&lockRow{}).Error, "delete lock on story "+storyID)
}
