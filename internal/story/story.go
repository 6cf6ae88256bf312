// Package story holds stories, sections, revisions, comments, approvals and
// edit locks, with the use cases that change them (Service) and the
// Repository interface that the store implements.
package story

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Channel is an output a story targets.
type Channel string

// The channels of a converged newsroom.
const (
	ChannelWeb   Channel = "web"
	ChannelRadio Channel = "radio"
	ChannelTV    Channel = "tv"
)

// Channels lists the valid channels.
var Channels = []Channel{ChannelWeb, ChannelRadio, ChannelTV}

// Story is one piece of journalism, written once and sent to every channel it targets.
type Story struct {
	ID          string         `json:"id"`
	SectionID   string         `json:"section_id"`
	Headline    string         `json:"headline"`
	Sapo        string         `json:"sapo"`
	Body        string         `json:"body"`
	Byline      string         `json:"byline"`
	Tags        []string       `json:"tags"`
	Channels    []Channel      `json:"channels"`
	State       workflow.State `json:"state"`
	Version     int            `json:"version"`
	Slug        string         `json:"slug"`
	AuthorID    string         `json:"author_id"`
	AssigneeID  *string        `json:"assignee_id"`
	PublishAt   *time.Time     `json:"publish_at"`
	PublishedAt *time.Time     `json:"published_at"`
	CorrectedAt *time.Time     `json:"corrected_at"`
	KilledAt    *time.Time     `json:"killed_at"`
	// Correction is the latest correction note the public page shows (Đính chính).
	Correction string `json:"correction"`
	KillReason string `json:"kill_reason"`
	// Radio and TV are the channel versions (nil until written).
	Radio     *RadioVersion `json:"radio"`
	TV        *TVVersion    `json:"tv"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// Section is a desk (chuyên mục) with its approval rule.
type Section struct {
	ID             string        `json:"id"`
	Name           string        `json:"name"`
	Slug           string        `json:"slug"`
	ApprovalLevels int           `json:"approval_levels"`
	LevelRoles     [][]user.Role `json:"level_roles"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

// DefaultLevelRoles are who signs each level unless a section says otherwise.
var DefaultLevelRoles = [][]user.Role{
	{user.RoleEditor},
	{user.RoleManagingEditor, user.RoleEditorInChief},
	{user.RoleEditorInChief},
}

// Revision is a full snapshot of a story after a save or a transition.
// Its number equals the story version it captured.
type Revision struct {
	StoryID string    `json:"story_id"`
	Number  int       `json:"number"`
	At      time.Time `json:"at"`
	ActorID string    `json:"actor_id"`
	// Actor is the username of ActorID (read side only; "" for the system).
	Actor    string `json:"actor_username,omitempty"`
	Action   string `json:"action"` // create, update, or a workflow action
	Comment  string `json:"comment,omitempty"`
	Snapshot Story  `json:"snapshot"`
}

// Comment is an editorial note on a story (góp ý), including the reasons given for reject, kill and correct.
type Comment struct {
	ID        string    `json:"id"`
	StoryID   string    `json:"story_id"`
	AuthorID  string    `json:"author_id"`
	Author    string    `json:"author_username"`
	Action    string    `json:"action,omitempty"` // the workflow action the comment came with, if any
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// Approval is one signature on one level.
type Approval struct {
	ID       string     `json:"id"`
	StoryID  string     `json:"story_id"`
	Level    int        `json:"level"`
	UserID   string     `json:"user_id"`
	Username string     `json:"username"`
	Role     user.Role  `json:"role"`
	Version  int        `json:"version"` // story version that was signed
	At       time.Time  `json:"at"`
	VoidedAt *time.Time `json:"voided_at,omitempty"`
}

// Lock is an advisory edit lock ("Đang được sửa bởi …").
type Lock struct {
	StoryID    string    `json:"story_id"`
	UserID     string    `json:"user_id"`
	Username   string    `json:"username"`
	AcquiredAt time.Time `json:"acquired_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// Filter selects stories for lists. Visibility is always applied by the service.
type Filter struct {
	States      []workflow.State
	SectionID   string
	AuthorID    string
	AssigneeID  string
	UpdatedFrom time.Time
	UpdatedTo   time.Time
	Visibility  Visibility
	After       *Cursor // keyset position: rows strictly after it in (updated_at desc, id desc)
	Limit       int
}

// Cursor is a keyset position in the story list order.
type Cursor struct {
	UpdatedAt time.Time `json:"u"`
	ID        string    `json:"i"`
}

// Repository persists stories and everything attached to them. Calls made
// with a context from txn.Runner.InTx join that transaction.
type Repository interface {
	CreateStory(ctx context.Context, s *Story) error
	// UpdateStory writes s if the stored version is still ifVersion, storing s.Version
	// (which the caller sets to ifVersion+1); otherwise it returns PreconditionFailed.
	UpdateStory(ctx context.Context, s *Story, ifVersion int) error
	// FindStoryByID returns the story; forUpdate locks the row until the transaction ends where the database can.
	FindStoryByID(ctx context.Context, id string, forUpdate bool) (*Story, error)
	FindStories(ctx context.Context, f Filter) ([]Story, error)
	// FindStoryBySlug resolves a current or old slug within a section.
	FindStoryBySlug(ctx context.Context, sectionID, slug string) (*Story, error)
	// SlugOwner returns the id of the story that holds (or held) slug in the section, or "".
	SlugOwner(ctx context.Context, sectionID, slug string) (string, error)
	AddSlug(ctx context.Context, storyID, sectionID, slug string, at time.Time) error
	// FindDueStories returns scheduled stories whose publish_at is at or before t.
	FindDueStories(ctx context.Context, t time.Time, limit int) ([]Story, error)

	CreateRevision(ctx context.Context, r *Revision) error
	FindRevisions(ctx context.Context, storyID string) ([]Revision, error) // full snapshots, newest first
	FindRevision(ctx context.Context, storyID string, number int) (*Revision, error)

	CreateComment(ctx context.Context, c *Comment) error
	FindComments(ctx context.Context, storyID string) ([]Comment, error)

	CreateApproval(ctx context.Context, a *Approval) error
	FindApprovals(ctx context.Context, storyID string) ([]Approval, error) // live (not voided), by level
	VoidApprovals(ctx context.Context, storyID string, at time.Time) error

	CreateSection(ctx context.Context, s *Section) error
	UpdateSection(ctx context.Context, s *Section) error
	FindSectionByID(ctx context.Context, id string) (*Section, error)
	FindSections(ctx context.Context) ([]Section, error)

	FindLock(ctx context.Context, storyID string) (*Lock, error)
	SaveLock(ctx context.Context, l *Lock) error
	DeleteLock(ctx context.Context, storyID string) error
}
