package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/newsroom-vn/newsroom/internal/partner"
)

// partnerRepo is the partner.Repository on a DB.
type partnerRepo struct{ db *DB }

// NewPartnerRepository returns the partner-key repository backed by db.
func NewPartnerRepository(db *DB) partner.Repository { return &partnerRepo{db: db} }

type partnerKeyRow struct {
	ID         string `gorm:"primaryKey"`
	Name       string
	KeyPrefix  string
	KeyHash    string
	RateLimit  int
	UsageCount int64
	CreatedBy  string
	CreatedAt  dbTime `gorm:"autoCreateTime:false"`
	LastUsedAt nullTime
	RevokedAt  nullTime
}

func (partnerKeyRow) TableName() string { return "partner_keys" }

func (r partnerKeyRow) toDomain() partner.Key {
	return partner.Key{ID: r.ID, Name: r.Name, Prefix: r.KeyPrefix, Hash: r.KeyHash, RateLimit: r.RateLimit,
		UsageCount: r.UsageCount, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.T,
		LastUsedAt: r.LastUsedAt.Ptr(), RevokedAt: r.RevokedAt.Ptr()}
}

// CreateKey inserts a key.
func (r *partnerRepo) CreateKey(ctx context.Context, k *partner.Key) error {
	k.CreatedAt = norm(k.CreatedAt)
	row := partnerKeyRow{ID: k.ID, Name: k.Name, KeyPrefix: k.Prefix, KeyHash: k.Hash, RateLimit: k.RateLimit,
		CreatedBy: k.CreatedBy, CreatedAt: toDB(k.CreatedAt)}
	return wrap(r.db.conn(ctx).Create(&row).Error, "create partner key "+k.ID)
}

// FindKeys lists every key, newest first.
func (r *partnerRepo) FindKeys(ctx context.Context) ([]partner.Key, error) {
	return findAll[partner.Key, partnerKeyRow](r.db.conn(ctx).Order("created_at DESC, id DESC"), "find partner keys")
}

func (r *partnerRepo) findOne(ctx context.Context, where string, arg any, what string) (*partner.Key, error) {
	return findFirst[partner.Key, partnerKeyRow](r.db.conn(ctx).Where(where, arg), what, what)
}

// FindKeyByID returns a key or NotFound.
func (r *partnerRepo) FindKeyByID(ctx context.Context, id string) (*partner.Key, error) {
	return r.findOne(ctx, "id = ?", id, "find partner key "+id)
}

// FindKeyByHash returns a key or NotFound.
func (r *partnerRepo) FindKeyByHash(ctx context.Context, hash string) (*partner.Key, error) {
	return r.findOne(ctx, "key_hash = ?", hash, "find partner key by hash")
}

// RevokeKey sets revoked_at once; a missing key is NotFound.
func (r *partnerRepo) RevokeKey(ctx context.Context, id string, at time.Time) error {
	if _, err := r.FindKeyByID(ctx, id); err != nil {
		return err
	}
	err := r.db.conn(ctx).Model(&partnerKeyRow{}).Where("id = ? AND revoked_at IS NULL", id).
		Update("revoked_at", toDB(at)).Error
	return wrap(err, "revoke partner key "+id)
}

// AddUsage adds n to the usage counter in the database (never read-modify-write in Go).
func (r *partnerRepo) AddUsage(ctx context.Context, id string, n int64, at time.Time) error {
	err := r.db.conn(ctx).Model(&partnerKeyRow{}).Where("id = ?", id).Updates(map[string]any{
		"usage_count":  gorm.Expr("usage_count + ?", n),
		"last_used_at": toDB(at),
	}).Error
	return wrap(err, "add usage to partner key "+id)
}
