// Package asset holds multimedia assets (photos, audio, video, documents):
// their metadata, renditions and attachment to stories, the upload use case
// that streams a file into object storage, and the BlobStore interface that
// internal/blob implements (local folder or MinIO).
package asset

import (
	"context"
	"time"
)

// Kind is the broad type of an asset.
type Kind string

// The kinds of asset.
const (
	KindImage    Kind = "image"
	KindAudio    Kind = "audio"
	KindVideo    Kind = "video"
	KindDocument Kind = "document"
)

// Kinds lists the valid kinds.
var Kinds = []Kind{KindImage, KindAudio, KindVideo, KindDocument}

// Source says where an asset comes from.
type Source string

// The sources of an asset.
const (
	SourceStaff  Source = "staff"
	SourceAgency Source = "agency"
	SourceReader Source = "reader"
)

// Role is how a story uses an asset.
type Role string

// The roles of an asset in a story.
const (
	RoleFeatured   Role = "featured"
	RoleGallery    Role = "gallery"
	RoleInline     Role = "inline"
	RoleRadioAudio Role = "radio_audio"
	RoleTVVideo    Role = "tv_video"
)

// Roles lists the valid roles.
var Roles = []Role{RoleFeatured, RoleGallery, RoleInline, RoleRadioAudio, RoleTVVideo}

// Asset is one uploaded file and what the newsroom knows about it. Several
// assets may share one stored object (same content, Key), each with its own caption.
type Asset struct {
	ID          string `json:"id"`
	Kind        Kind   `json:"kind"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	// Key is the content-addressed object key: sha256/ab/cd/<hash>.
	Key        string   `json:"key"`
	URL        string   `json:"url"`
	Filename   string   `json:"filename"`
	Title      string   `json:"title"`
	Caption    string   `json:"caption"`
	Credit     string   `json:"credit"`
	Copyright  string   `json:"copyright"`
	UsageTerms string   `json:"usage_terms"`
	Alt        string   `json:"alt"`
	Keywords   []string `json:"keywords"`
	Source     Source   `json:"source"`
	Width      int      `json:"width,omitempty"`
	Height     int      `json:"height,omitempty"`
	// Duration in seconds (audio, video), filled by ffprobe when the machine has it.
	Duration   float64     `json:"duration,omitempty"`
	Codecs     string      `json:"codecs,omitempty"`
	Bitrate    int64       `json:"bitrate,omitempty"`
	UploaderID string      `json:"uploader_id"`
	Renditions []Rendition `json:"renditions"`
	CreatedAt  time.Time   `json:"created_at"`
	UpdatedAt  time.Time   `json:"updated_at"`
}

// Rendition is a derived file (thumbnail, resized image, poster frame) stored beside the original.
type Rendition struct {
	Name        string  `json:"name"`
	Key         string  `json:"key"`
	URL         string  `json:"url"`
	ContentType string  `json:"content_type"`
	Size        int64   `json:"size"`
	Width       int     `json:"width,omitempty"`
	Height      int     `json:"height,omitempty"`
	Duration    float64 `json:"duration,omitempty"`
}

// Attachment is an asset used by a story in a role.
type Attachment struct {
	StoryID  string `json:"story_id,omitempty"`
	AssetID  string `json:"asset_id"`
	Role     Role   `json:"role"`
	Position int    `json:"position"`
	Asset    *Asset `json:"asset,omitempty"`
}

// Meta is the editable description of an asset; nil fields are left as they are.
type Meta struct {
	Title      *string   `json:"title"`
	Caption    *string   `json:"caption"`
	Credit     *string   `json:"credit"`
	Copyright  *string   `json:"copyright"`
	UsageTerms *string   `json:"usage_terms"`
	Alt        *string   `json:"alt"`
	Keywords   *[]string `json:"keywords"`
	Source     *Source   `json:"source"`
}

// Filter selects assets for lists, newest first.
type Filter struct {
	Query      string // words in title, caption or keywords
	Kind       Kind
	UploaderID string
	From, To   time.Time
	After      *Cursor
	Limit      int
}

// Cursor is a keyset position in the list order (created_at desc, id desc).
type Cursor struct {
	CreatedAt time.Time `json:"c"`
	ID        string    `json:"i"`
}

// StoryRef names a story that uses an asset.
type StoryRef struct {
	ID       string `json:"id"`
	Headline string `json:"headline"`
	State    string `json:"state"`
}

// Repository persists assets and attachments. Calls made with a context from
// txn.Runner.InTx join that transaction.
type Repository interface {
	CreateAsset(ctx context.Context, a *Asset) error
	UpdateAsset(ctx context.Context, a *Asset) error
	DeleteAsset(ctx context.Context, id string) error
	FindAssetByID(ctx context.Context, id string) (*Asset, error)
	FindAssets(ctx context.Context, f Filter) ([]Asset, error)
	// CountAssetsWithKey counts the metadata rows that share a stored object.
	CountAssetsWithKey(ctx context.Context, key string) (int, error)
	// SetRenditions stores the renditions on every asset whose object is key.
	SetRenditions(ctx context.Context, key string, r []Rendition, width, height int) error
	// SetProbe stores what ffprobe found on every asset whose object is key.
	SetProbe(ctx context.Context, key string, duration float64, codecs string, bitrate int64) error

	// ReplaceAttachments makes refs the story's attachments, in order.
	ReplaceAttachments(ctx context.Context, storyID string, refs []Attachment) error
	FindAttachments(ctx context.Context, storyID string) ([]Attachment, error)
	// StoriesUsing lists the stories that use the asset, with their state.
	StoriesUsing(ctx context.Context, assetID string) ([]StoryRef, error)
	// KeyVisibility reports whether any asset stored under key (or with a
	// rendition under it) exists, and whether one is attached to a published story.
	KeyVisibility(ctx context.Context, key string) (exists, public bool, err error)
}
