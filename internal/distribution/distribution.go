// Package distribution sends published stories to where they are meant to
// go: the built-in channels (web, radio, TV) and the targets admins configure
// (webhooks, Zalo Official Account, RSS pull). It plans one delivery per
// story revision and target or channel inside the transition's transaction,
// and makes the attempts (signed webhooks with one idempotency key per
// delivery, retries with backoff and jitter up to a horizon, then dead),
// every outbound connection checked against SSRF. Jobs (River) run the
// attempts; this package defines what they call.
package distribution

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Kind is what a target is.
type Kind string

// The target kinds.
const (
	KindWebhook Kind = "webhook"
	KindZalo    Kind = "zalo"
	KindRSS     Kind = "rss"
)

// Kinds lists the valid target kinds.
var Kinds = []Kind{KindWebhook, KindZalo, KindRSS}

// Format is how a story is written for a target.
type Format string

// The formats: IPTC ninjs 3.1 (the content API's representation) or the
// content API's compact JSON, for webhooks (Zalo targets ignore the format:
// Zalo has its own). RSS pull targets take summary (headline, sapo, link,
// featured image; the default) or full (the body in content:encoded too).
const (
	FormatNinjs   Format = "ninjs"
	FormatCompact Format = "compact"
	FormatSummary Format = "summary"
	FormatFull    Format = "full"
)

// State is where a delivery stands.
type State string

// The delivery states.
const (
	StatePending   State = "pending"
	StateDelivered State = "delivered"
	StateRetrying  State = "retrying"
	StateDead      State = "dead"
)

// Target is a destination configured by an admin (Superdesk calls them
// subscribers). The secret is never shown: HasSecret says whether one is set.
type Target struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Kind           Kind      `json:"kind"`
	URL            string    `json:"url"`
	HasSecret      bool      `json:"has_secret"`
	Format         Format    `json:"format"`
	Sections       []string  `json:"sections"`
	Channels       []string  `json:"channels"`
	Tags           []string  `json:"tags"`
	Active         bool      `json:"active"`
	TimeoutSeconds int       `json:"timeout_seconds"`
	MaxConcurrency int       `json:"max_concurrency"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	// FeedURL is where an rss target's feed is pulled: the path
	// /feeds/{id}.rss, to be completed with ?token=.
	FeedURL string `json:"feed_url,omitempty"`
	// FeedToken is an rss target's feed token, set only in the answer that
	// created or rotated it: it is stored hashed and never shown again.
	FeedToken string `json:"feed_token,omitempty"`
	// SecretEnc is the secret sealed with AES-GCM (nonce + ciphertext, base64).
	SecretEnc string `json:"-"`
	// FeedTokenHash is the SHA-256 (hex) of an rss target's feed token.
	FeedTokenHash string `json:"-"`
}

// Matches reports whether the target wants the story: every non-empty
// filter must share at least one value with the story.
func (t *Target) Matches(st *story.Story, sectionSlug string) bool {
	if len(t.Sections) > 0 && !containsAny(t.Sections, st.SectionID, sectionSlug) {
		return false
	}
	if len(t.Channels) > 0 {
		ok := false
		for _, c := range st.Channels {
			if containsAny(t.Channels, string(c)) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if len(t.Tags) > 0 && !containsAny(t.Tags, st.Tags...) {
		return false
	}
	return true
}

func containsAny(set []string, vals ...string) bool {
	for _, s := range set {
		for _, v := range vals {
			if s == v && v != "" {
				return true
			}
		}
	}
	return false
}

// TargetInput creates or changes a target; nil fields are left as they are
// (on create: the defaults).
type TargetInput struct {
	Name           *string   `json:"name"`
	Kind           *string   `json:"kind"`
	URL            *string   `json:"url"`
	Secret         *string   `json:"secret"`
	Format         *string   `json:"format"`
	Sections       *[]string `json:"sections"`
	Channels       *[]string `json:"channels"`
	Tags           *[]string `json:"tags"`
	Active         *bool     `json:"active"`
	TimeoutSeconds *int      `json:"timeout_seconds"`
	MaxConcurrency *int      `json:"max_concurrency"`
}

// Delivery is one story revision going to one target or built-in channel.
type Delivery struct {
	ID           string          `json:"id"`
	StoryID      string          `json:"story_id"`
	StoryVersion int             `json:"story_version"`
	Action       workflow.Action `json:"action"`
	TargetID     string          `json:"target_id,omitempty"`
	TargetName   string          `json:"target_name,omitempty"`
	Channel      string          `json:"channel,omitempty"`
	State        State           `json:"state"`
	Attempts     int             `json:"attempts"`
	LastError    string          `json:"last_error"`
	ExternalID   string          `json:"external_id"`
	// Redacted is true when LastError and ExternalID were blanked because
	// the reader may not see delivery detail (Redact).
	Redacted bool `json:"redacted,omitempty"`
	// IdempotencyKey is the webhook-id sent on every attempt of this delivery.
	IdempotencyKey string    `json:"idempotency_key"`
	TransitionAt   time.Time `json:"transition_at"`
	// WindowStart starts the retry horizon (creation, or the last manual retry).
	WindowStart   time.Time  `json:"-"`
	NextAttemptAt *time.Time `json:"next_attempt_at"`
	DeliveredAt   *time.Time `json:"delivered_at"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	// CurrentStoryVersion is the story's version when the delivery was read
	// (FindDeliveryByID; 0 when unknown): it keys the shared rendering of
	// the story, so that a rendering is reused only while it is current.
	CurrentStoryVersion int `json:"-"`
}

// Attempt is one try at a delivery, as logged.
type Attempt struct {
	ID         int64     `json:"id"`
	DeliveryID string    `json:"delivery_id"`
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code"`
	LatencyMS  int       `json:"latency_ms"`
	Error      string    `json:"error"`
	// Response is the first 1 KB of the receiver's answer.
	Response string `json:"response"`
}

// Repository persists targets, deliveries and attempts.
type Repository interface {
	CreateTarget(ctx context.Context, t *Target) error
	UpdateTarget(ctx context.Context, t *Target) error
	DeleteTarget(ctx context.Context, id string) error
	FindTargetByID(ctx context.Context, id string) (*Target, error)
	FindTargets(ctx context.Context) ([]Target, error)
	CreateDelivery(ctx context.Context, d *Delivery) error
	// CreateDeliveries inserts the deliveries of one transition at once
	// (one statement, inside the transition's transaction).
	CreateDeliveries(ctx context.Context, ds []*Delivery) error
	// UpdateDelivery saves state, attempts, errors and times.
	UpdateDelivery(ctx context.Context, d *Delivery) error
	// SaveAttempt logs an attempt and saves the delivery's progress (as
	// UpdateDelivery) together: both or neither.
	SaveAttempt(ctx context.Context, d *Delivery, a *Attempt) error
	// FindDeliveryByID returns a delivery, with CurrentStoryVersion set.
	FindDeliveryByID(ctx context.Context, id string) (*Delivery, error)
	// FindDeliveriesByStory lists a story's deliveries, oldest first.
	FindDeliveriesByStory(ctx context.Context, storyID string) ([]Delivery, error)
	CreateAttempt(ctx context.Context, a *Attempt) error
	// FindAttempts lists a delivery's attempts, oldest first.
	FindAttempts(ctx context.Context, deliveryID string) ([]Attempt, error)
}

// Stories is what distribution reads of stories.
type Stories interface {
	FindStoryByID(ctx context.Context, a user.Actor, id string) (*story.Story, error)
	FindSectionByID(ctx context.Context, id string) (*story.Section, error)
}

// Renderer writes a story in a target's format (the public site's ninjs
// builder and content API JSON; killed stories come out as pubStatus
// canceled).
type Renderer interface {
	Render(ctx context.Context, storyID string, f Format) ([]byte, error)
}

// PublicArticle is a published (or killed) story as a platform that
// rebuilds it needs it (Zalo articles): URLs are absolute.
type PublicArticle struct {
	ID       string
	Version  int
	Killed   bool
	Headline string
	Sapo     string
	// Author is the byline, or the author's display name.
	Author string
	// BodyHTML is the sanitized body (richtext), with media URLs as stored
	// (relative /media/...): BaseURL resolves them.
	BodyHTML string
	// CoverURL is the featured image's large rendition (absolute), or "".
	CoverURL string
	// URL is the story's public page.
	URL string
	// BaseURL is the public site's address (site.base_url).
	BaseURL string
}

// ArticleSource gives a story's public fields. A Renderer that also
// implements it (the public site's) serves the Zalo targets; without one,
// Zalo deliveries are dead with a message saying so.
type ArticleSource interface {
	PublicArticle(ctx context.Context, storyID string) (*PublicArticle, error)
}

// Enqueuer enqueues one more attempt at a delivery in the transaction of ctx
// (manual redelivery). The jobs package implements it.
type Enqueuer interface {
	EnqueueDelivery(ctx context.Context, deliveryID string, channel string) error
}

// Planned is a delivery just recorded, for the job that will make it.
type Planned struct {
	ID      string
	Channel string // empty for a target
}
