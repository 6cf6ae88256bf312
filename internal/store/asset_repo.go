package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/textvi"
)

// assetRepo is the asset.Repository on a DB.
type assetRepo struct{ db *DB }

// NewAssetRepository returns the asset.Repository (assets and their
// attachment to stories) backed by db.
func NewAssetRepository(db *DB) asset.Repository { return &assetRepo{db: db} }

type assetRow struct {
	ID          string `gorm:"primaryKey"`
	Kind        string
	ContentType string
	Size        int64
	SHA256      string `gorm:"column:sha256"`
	ObjectKey   string
	Filename    string
	Title       string
	Caption     string
	Credit      string
	Copyright   string
	UsageTerms  string
	Alt         string
	Keywords    jsonCol[[]string]
	SearchText  string
	Source      string
	Width       int
	Height      int
	Duration    float64
	Codecs      string
	Bitrate     int64
	Renditions  jsonCol[[]asset.Rendition]
	UploaderID  string
	CreatedAt   dbTime `gorm:"autoCreateTime:false"`
	UpdatedAt   dbTime `gorm:"autoUpdateTime:false"`
}

func (assetRow) TableName() string { return "assets" }

type storyAssetRow struct {
	StoryID  string `gorm:"primaryKey"`
	AssetID  string `gorm:"primaryKey"`
	Role     string `gorm:"primaryKey"`
	Position int
}

func (storyAssetRow) TableName() string { return "story_assets" }

func searchText(a *asset.Asset) string {
	return textvi.Fold(strings.Join(append([]string{a.Title, a.Caption, a.Filename}, a.Keywords...), " \n "))
}

func assetToRow(a *asset.Asset) assetRow {
	return assetRow{ID: a.ID, Kind: string(a.Kind), ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, ObjectKey: a.Key,
		Filename: a.Filename, Title: a.Title, Caption: a.Caption, Credit: a.Credit, Copyright: a.Copyright, UsageTerms: a.UsageTerms,
		Alt: a.Alt, Keywords: jsonCol[[]string]{V: list(a.Keywords)}, SearchText: searchText(a), Source: string(a.Source),
		Width: a.Width, Height: a.Height, Duration: a.Duration, Codecs: a.Codecs, Bitrate: a.Bitrate,
		Renditions: jsonCol[[]asset.Rendition]{V: list(a.Renditions)}, UploaderID: a.UploaderID,
		CreatedAt: toDB(a.CreatedAt), UpdatedAt: toDB(a.UpdatedAt)}
}

func (r assetRow) toDomain() asset.Asset {
	return asset.Asset{ID: r.ID, Kind: asset.Kind(r.Kind), ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256, Key: r.ObjectKey,
		Filename: r.Filename, Title: r.Title, Caption: r.Caption, Credit: r.Credit, Copyright: r.Copyright, UsageTerms: r.UsageTerms,
		Alt: r.Alt, Keywords: list(r.Keywords.V), Source: asset.Source(r.Source), Width: r.Width, Height: r.Height,
		Duration: r.Duration, Codecs: r.Codecs, Bitrate: r.Bitrate, Renditions: list(r.Renditions.V), UploaderID: r.UploaderID,
		CreatedAt: r.CreatedAt.T, UpdatedAt: r.UpdatedAt.T}
}

// CreateAsset inserts the asset row.
func (r *assetRepo) CreateAsset(ctx context.Context, a *asset.Asset) error {
	row := assetToRow(a)
	return wrap(r.db.conn(ctx).Create(&row).Error, "create asset "+a.ID)
}

// UpdateAsset writes the editable metadata.
func (r *assetRepo) UpdateAsset(ctx context.Context, a *asset.Asset) error {
	row := assetToRow(a)
	res := r.db.conn(ctx).Model(&assetRow{}).Where("id = ?", a.ID).Updates(map[string]any{
		"title": row.Title, "caption": row.Caption, "credit": row.Credit, "copyright": row.Copyright,
		"usage_terms": row.UsageTerms, "alt": row.Alt, "keywords": row.Keywords, "search_text": row.SearchText,
		"source": row.Source, "updated_at": row.UpdatedAt})
	return touchedOne(res, "update asset "+a.ID, "asset "+a.ID)
}

// DeleteAsset removes the row (its attachments go with it).
func (r *assetRepo) DeleteAsset(ctx context.Context, id string) error {
	c := r.db.conn(ctx)
	if err := c.Where("asset_id = ?", id).Delete(&storyAssetRow{}).Error; err != nil {
		return wrap(err, "delete attachments of asset "+id)
	}
	res := c.Where("id = ?", id).Delete(&assetRow{})
	return touchedOne(res, "delete asset "+id, "asset "+id)
}

// FindAssetByID returns the asset.
func (r *assetRepo) FindAssetByID(ctx context.Context, id string) (*asset.Asset, error) {
	return findFirst[asset.Asset, assetRow](r.db.conn(ctx).Where("id = ?", id), "find asset "+id, "asset "+id)
}

// FindAssets lists assets newest first; every word of the query must appear
// (accents folded) in the title, caption, file name or keywords.
func (r *assetRepo) FindAssets(ctx context.Context, f asset.Filter) ([]asset.Asset, error) {
	q := r.db.conn(ctx).Model(&assetRow{})
	for _, w := range strings.Fields(textvi.Fold(f.Query)) {
		q = q.Where(`search_text LIKE ? ESCAPE '\'`, "%"+likeEscape(w)+"%")
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", string(f.Kind))
	}
	if f.UploaderID != "" {
		q = q.Where("uploader_id = ?", f.UploaderID)
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", toDB(f.From))
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", toDB(f.To))
	}
	q = q.Scopes(keysetScope("created_at", newestFirst, f.After, func(c asset.Cursor) (time.Time, string) { return c.CreatedAt, c.ID }, f.Limit))
	return findAll[asset.Asset, assetRow](q, "find assets")
}

// CountAssetsWithKey counts the rows that share a stored object.
func (r *assetRepo) CountAssetsWithKey(ctx context.Context, key string) (int, error) {
	var n int64
	if err := r.db.conn(ctx).Model(&assetRow{}).Where("object_key = ?", key).Count(&n).Error; err != nil {
		return 0, wrap(err, "count assets of "+key)
	}
	return int(n), nil
}

// SetRenditions stores renditions and oriented dimensions on every row of the object.
func (r *assetRepo) SetRenditions(ctx context.Context, key string, rs []asset.Rendition, width, height int) error {
	err := r.db.conn(ctx).Model(&assetRow{}).Where("object_key = ?", key).Updates(map[string]any{
		"renditions": jsonCol[[]asset.Rendition]{V: list(rs)}, "width": width, "height": height}).Error
	return wrap(err, "set renditions of "+key)
}

// SetProbe stores what ffprobe found on every row of the object.
func (r *assetRepo) SetProbe(ctx context.Context, key string, duration float64, codecs string, bitrate int64) error {
	err := r.db.conn(ctx).Model(&assetRow{}).Where("object_key = ?", key).Updates(map[string]any{
		"duration": duration, "codecs": codecs, "bitrate": bitrate}).Error
	return wrap(err, "set probe of "+key)
}

// ReplaceAttachments makes refs the story's attachments.
func (r *assetRepo) ReplaceAttachments(ctx context.Context, storyID string, refs []asset.Attachment) error {
	c := r.db.conn(ctx)
	if err := c.Where("story_id = ?", storyID).Delete(&storyAssetRow{}).Error; err != nil {
		return wrap(err, "clear assets of story "+storyID)
	}
	if len(refs) == 0 {
		return nil
	}
	rows := make([]storyAssetRow, len(refs))
	for i, a := range refs {
		rows[i] = storyAssetRow{StoryID: storyID, AssetID: a.AssetID, Role: string(a.Role), Position: a.Position}
	}
	return wrap(c.Create(&rows).Error, "attach assets to story "+storyID)
}

// FindAttachments lists the story's attachments in order, each with its asset.
func (r *assetRepo) FindAttachments(ctx context.Context, storyID string) ([]asset.Attachment, error) {
	var links []storyAssetRow
	c := r.db.conn(ctx)
	if err := c.Where("story_id = ?", storyID).Order("position, role").Find(&links).Error; err != nil {
		return nil, wrap(err, "find assets of story "+storyID)
	}
	out := make([]asset.Attachment, 0, len(links))
	if len(links) == 0 {
		return out, nil
	}
	ids := keysOf(links, func(l storyAssetRow) string { return l.AssetID })
	var rows []assetRow
	if err := c.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, wrap(err, "find assets of story "+storyID)
	}
	byID := map[string]asset.Asset{}
	for _, row := range rows {
		byID[row.ID] = row.toDomain()
	}
	for _, l := range links {
		at := asset.Attachment{StoryID: l.StoryID, AssetID: l.AssetID, Role: asset.Role(l.Role), Position: l.Position}
		if a, ok := byID[l.AssetID]; ok {
			at.Asset = &a
		}
		out = append(out, at)
	}
	return out, nil
}

// StoriesUsing lists the stories that use the asset.
func (r *assetRepo) StoriesUsing(ctx context.Context, assetID string) ([]asset.StoryRef, error) {
	var out []asset.StoryRef
	err := r.db.conn(ctx).Table("story_assets").Select("DISTINCT stories.id AS id, stories.headline AS headline, stories.state AS state").
		Joins("JOIN stories ON stories.id = story_assets.story_id").Where("story_assets.asset_id = ?", assetID).
		Order("stories.id").Scan(&out).Error
	if err != nil {
		return nil, wrap(err, fmt.Sprintf("find stories using asset %s", assetID))
	}
	// The recorded report of a radio version and the clips of a TV version
	// name their assets inside the versions' JSON, not in story_assets.
	var inVersions []asset.StoryRef
	col := func(c string) string {
		if r.db.Dialect == DialectPostgres {
			return c + "::text"
		}
		return c
	}
	like := "%\"" + assetID + "\"%"
	err = r.db.conn(ctx).Table("stories").Select("id, headline, state").
		Where(col("radio_version")+" LIKE ? OR "+col("tv_version")+" LIKE ?", like, like).Order("id").Scan(&inVersions).Error
	if err != nil {
		return nil, wrap(err, fmt.Sprintf("find story versions using asset %s", assetID))
	}
	for _, v := range inVersions {
		if !slices.ContainsFunc(out, func(o asset.StoryRef) bool { return o.ID == v.ID }) {
			out = append(out, v)
		}
	}
	return out, nil
}

// KeyVisibility reports whether an asset is stored under key, and whether
// one of them is attached to a published story.
func (r *assetRepo) KeyVisibility(ctx context.Context, key string) (exists, public bool, err error) {
	c := r.db.conn(ctx)
	var n int64
	if err := c.Model(&assetRow{}).Where("object_key = ?", key).Count(&n).Error; err != nil {
		return false, false, wrap(err, "find assets of "+key)
	}
	if n == 0 {
		return false, false, nil
	}
	var p int64
	err = c.Table("story_assets").Joins("JOIN assets ON assets.id = story_assets.asset_id").
		Joins("JOIN stories ON stories.id = story_assets.story_id").
		Where("assets.object_key = ? AND stories.state = ?", key, "published").Count(&p).Error
	if err != nil {
		return false, false, wrap(err, "find stories using "+key)
	}
	if p > 0 {
		return true, true, nil
	}
	// Radio podcasts (migration 00012): the recording of an aired (done)
	// rundown of a radio programme is in its feed, and a radio programme's
	// cover art is in its feed's itunes:image.
	err = c.Table("assets").Where("assets.object_key = ?", key).Where(
		"(EXISTS (SELECT 1 FROM rundowns JOIN programmes ON programmes.id = rundowns.programme_id"+
			" WHERE rundowns.recording_asset_id = assets.id AND rundowns.state = ? AND programmes.channel = ?)"+
			" OR EXISTS (SELECT 1 FROM programmes WHERE programmes.podcast_image_asset_id = assets.id AND programmes.channel = ?))",
		"done", "radio", "radio").Count(&p).Error
	if err != nil {
		return false, false, wrap(err, "find podcasts using "+key)
	}
	return true, p > 0, nil
}
