package store

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
)

type assetUploadRow struct {
	ID              string `gorm:"primaryKey"`
	UploaderID      string
	ObjectKey       string
	BackendUploadID string
	Filename        string
	ContentType     string
	Size            int64
	SHA256          string `gorm:"column:sha256"`
	Meta            jsonCol[asset.Meta]
	PartSize        int64
	CreatedAt       dbTime `gorm:"autoCreateTime:false"`
	ExpiresAt       dbTime
}

func (assetUploadRow) TableName() string { return "asset_uploads" }

func (r assetUploadRow) toDomain() asset.UploadSession {
	return asset.UploadSession{ID: r.ID, UploaderID: r.UploaderID, Key: r.ObjectKey, BackendID: r.BackendUploadID,
		Filename: r.Filename, ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256, Meta: r.Meta.V,
		PartSize: r.PartSize, CreatedAt: r.CreatedAt.T, ExpiresAt: r.ExpiresAt.T}
}

// CreateUpload records a direct upload session.
func (r *assetRepo) CreateUpload(ctx context.Context, u *asset.UploadSession) error {
	row := assetUploadRow{ID: u.ID, UploaderID: u.UploaderID, ObjectKey: u.Key, BackendUploadID: u.BackendID,
		Filename: u.Filename, ContentType: u.ContentType, Size: u.Size, SHA256: u.SHA256, Meta: jsonCol[asset.Meta]{V: u.Meta},
		PartSize: u.PartSize, CreatedAt: toDB(u.CreatedAt), ExpiresAt: toDB(u.ExpiresAt)}
	return wrap(r.db.conn(ctx).Create(&row).Error, "create upload "+u.ID)
}

// FindUploadByID returns a direct upload session.
func (r *assetRepo) FindUploadByID(ctx context.Context, id string) (*asset.UploadSession, error) {
	return findFirst[asset.UploadSession, assetUploadRow](r.db.conn(ctx).Where("id = ?", id), "find upload "+id, "upload "+id)
}

// DeleteUpload removes a session; a missing one is fine.
func (r *assetRepo) DeleteUpload(ctx context.Context, id string) error {
	return wrap(r.db.conn(ctx).Where("id = ?", id).Delete(&assetUploadRow{}).Error, "delete upload "+id)
}

// FindExpiredUploads lists the sessions that expired before t, oldest first.
func (r *assetRepo) FindExpiredUploads(ctx context.Context, t time.Time, limit int) ([]asset.UploadSession, error) {
	return findAll[asset.UploadSession, assetUploadRow](r.db.conn(ctx).Where("expires_at <= ?", toDB(t)).Order("expires_at, id").Limit(limit), "find expired uploads")
}

// FindAssetKeys lists every asset's id, object key and rendition keys (for `newsroom assets check`).
func (r *assetRepo) FindAssetKeys(ctx context.Context) ([]asset.AssetKeys, error) {
	var rows []struct {
		ID         string
		ObjectKey  string
		Renditions jsonCol[[]asset.Rendition]
	}
	if err := r.db.conn(ctx).Model(&assetRow{}).Select("id, object_key, renditions").Order("id").Find(&rows).Error; err != nil {
		return nil, wrap(err, "find asset keys")
	}
	out := make([]asset.AssetKeys, len(rows))
	for i, row := range rows {
		out[i] = asset.AssetKeys{ID: row.ID, Key: row.ObjectKey}
		for _, rd := range row.Renditions.V {
			out[i].Renditions = append(out[i].Renditions, rd.Key)
		}
	}
	return out, nil
}

var _ asset.UploadRepository = (*assetRepo)(nil)
var _ asset.CheckRepository = (*assetRepo)(nil)

// FindObjectKeyBySHA256 returns the object key of an asset with that content, or "".
func (r *assetRepo) FindObjectKeyBySHA256(ctx context.Context, sum string) (string, error) {
	var keys []string
	if err := r.db.conn(ctx).Model(&assetRow{}).Where("sha256 = ?", sum).Order("created_at, id").Limit(1).Pluck("object_key", &keys).Error; err != nil {
		return "", wrap(err, "find object of "+sum)
	}
	if len(keys) == 0 {
		return "", nil
	}
	return keys[0], nil
}

var _ asset.ContentIndex = (*assetRepo)(nil)
