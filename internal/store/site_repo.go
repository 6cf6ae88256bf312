package store

import (
	"context"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
)

// siteRepo is the site.Repository on a DB.
type siteRepo struct{ db *DB }

// NewSiteRepository returns the public read side's repository backed by db.
func NewSiteRepository(db *DB) site.Repository { return &siteRepo{db: db} }

// FindPublished lists published stories in (published_at desc, id desc) order.
func (r *siteRepo) FindPublished(ctx context.Context, q site.Query) ([]story.Story, error) {
	tx := r.db.conn(ctx).Model(&storyRow{}).Where("state = ?", string(workflow.Published))
	if q.SectionID != "" {
		tx = tx.Where("section_id = ?", q.SectionID)
	}
	if q.AuthorID != "" {
		tx = tx.Where("author_id = ?", q.AuthorID)
	}
	if q.Tag != "" {
		if r.db.Dialect == DialectPostgres {
			tx = tx.Where("tags @> ?::jsonb", jsonCol[[]string]{V: []string{q.Tag}})
		} else {
			tx = tx.Where("EXISTS (SELECT 1 FROM json_each(stories.tags) WHERE json_each.value = ?)", q.Tag)
		}
	}
	if !q.Since.IsZero() {
		tx = tx.Where("published_at >= ?", toDB(q.Since))
	}
	if !q.Until.IsZero() {
		tx = tx.Where("published_at < ?", toDB(q.Until))
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		p := "%" + likeEscape(strings.ToLower(t)) + "%"
		tx = tx.Where(`(lower(headline) LIKE ? ESCAPE '\' OR lower(sapo) LIKE ? ESCAPE '\')`, p, p)
	}
	tx = tx.Scopes(keysetScope("published_at", newestFirst, q.After, func(c site.Cursor) (time.Time, string) { return c.PublishedAt, c.ID }, q.Limit))
	return findAll[story.Story, storyRow](tx, "find published stories")
}

// FindPublicByShortID returns published or killed stories whose id starts with prefix.
func (r *siteRepo) FindPublicByShortID(ctx context.Context, prefix string) ([]story.Story, error) {
	q := r.db.conn(ctx).Where("id LIKE ? ESCAPE '\\' AND state IN ?", likeEscape(prefix)+"%",
		[]string{string(workflow.Published), string(workflow.Killed)}).Limit(20)
	return findAll[story.Story, storyRow](q, "find stories by short id "+prefix)
}

// FindAuthors returns the authors with these ids.
func (r *siteRepo) FindAuthors(ctx context.Context, ids []string) (map[string]site.Author, error) {
	out := map[string]site.Author{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []userRow
	if err := r.db.conn(ctx).Select("id", "username", "display_name").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, wrap(err, "find authors")
	}
	for _, u := range rows {
		out[u.ID] = site.Author{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName}
	}
	return out, nil
}

// FindAuthorByUsername returns an author or NotFound.
func (r *siteRepo) FindAuthorByUsername(ctx context.Context, username string) (*site.Author, error) {
	row, err := firstRow[userRow](r.db.conn(ctx).Select("id", "username", "display_name").Where("username = ?", username),
		"find author "+username, "find author "+username)
	if err != nil {
		return nil, err
	}
	return &site.Author{ID: row.ID, Username: row.Username, DisplayName: row.DisplayName}, nil
}

// OldestPublished returns the earliest published_at of a published story, or the zero time.
func (r *siteRepo) OldestPublished(ctx context.Context) (time.Time, error) {
	var rows []storyRow
	if err := r.db.conn(ctx).Select("id", "published_at").Where("state = ?", string(workflow.Published)).
		Order("published_at, id").Limit(1).Find(&rows).Error; err != nil {
		return time.Time{}, wrap(err, "find oldest published story")
	}
	if len(rows) == 0 || !rows[0].PublishedAt.Valid {
		return time.Time{}, nil
	}
	return rows[0].PublishedAt.T, nil
}

// FindMedia returns the attachments (with their assets) of these stories, by story id.
func (r *siteRepo) FindMedia(ctx context.Context, storyIDs []string) (map[string][]asset.Attachment, error) {
	out := map[string][]asset.Attachment{}
	if len(storyIDs) == 0 {
		return out, nil
	}
	c := r.db.conn(ctx)
	var links []storyAssetRow
	if err := c.Where("story_id IN ?", storyIDs).Order("story_id, position, role").Find(&links).Error; err != nil {
		return nil, wrap(err, "find media of stories")
	}
	if len(links) == 0 {
		return out, nil
	}
	ids := make([]string, 0, len(links))
	seen := map[string]bool{}
	for _, l := range links {
		if !seen[l.AssetID] {
			seen[l.AssetID] = true
			ids = append(ids, l.AssetID)
		}
	}
	var rows []assetRow
	if err := c.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, wrap(err, "find media of stories")
	}
	byID := make(map[string]assetRow, len(rows))
	for _, row := range rows {
		byID[row.ID] = row
	}
	for _, l := range links {
		row, ok := byID[l.AssetID]
		if !ok {
			continue
		}
		a := row.toDomain()
		out[l.StoryID] = append(out[l.StoryID], asset.Attachment{StoryID: l.StoryID, AssetID: l.AssetID, Role: asset.Role(l.Role), Position: l.Position, Asset: &a})
	}
	return out, nil
}

// AssetIsPublic reports whether a published or killed story uses the asset.
func (r *siteRepo) AssetIsPublic(ctx context.Context, assetID string) (bool, error) {
	var n int64
	err := r.db.conn(ctx).Table("story_assets").Joins("JOIN stories ON stories.id = story_assets.story_id").
		Where("story_assets.asset_id = ? AND stories.state IN ?", assetID, []string{string(workflow.Published), string(workflow.Killed)}).
		Count(&n).Error
	if err != nil {
		return false, wrap(err, "find public stories using asset "+assetID)
	}
	return n > 0, nil
}

// Generation reads the shared site generation counter.
func (r *siteRepo) Generation(ctx context.Context) (int64, error) {
	var n int64
	if err := r.db.conn(ctx).Raw("SELECT n FROM site_generation WHERE id = 1").Scan(&n).Error; err != nil {
		return 0, wrap(err, "read site generation")
	}
	return n, nil
}

// BumpGeneration increments the shared counter, in the transaction of ctx if any.
func (r *siteRepo) BumpGeneration(ctx context.Context) error {
	if err := r.db.conn(ctx).Exec("UPDATE site_generation SET n = n + 1 WHERE id = 1").Error; err != nil {
		return wrap(err, "bump site generation")
	}
	return nil
}
