package store

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/user"
)

// passwordHistoryRow is a former password hash of an account.
type passwordHistoryRow struct {
	ID           int64 `gorm:"primaryKey"`
	UserID       string
	PasswordHash string
	CreatedAt    dbTime `gorm:"autoCreateTime:false"`
}

func (passwordHistoryRow) TableName() string { return "password_history" }

// AddPasswordHistory remembers a former password hash and drops the
// account's older ones beyond keep.
func (r *userRepo) AddPasswordHistory(ctx context.Context, userID, hash string, at time.Time, keep int) error {
	what := "add password history of user " + userID
	return r.db.InTx(ctx, func(ctx context.Context) error {
		c := r.db.conn(ctx)
		if err := c.Create(&passwordHistoryRow{UserID: userID, PasswordHash: hash, CreatedAt: toDB(at)}).Error; err != nil {
			return wrap(err, what)
		}
		var ids []int64
		if err := c.Model(&passwordHistoryRow{}).Where("user_id = ?", userID).Order("created_at DESC, id DESC").
			Offset(max(keep, 0)).Pluck("id", &ids).Error; err != nil {
			return wrap(err, what)
		}
		if len(ids) == 0 {
			return nil
		}
		return wrap(c.Where("id IN ?", ids).Delete(&passwordHistoryRow{}).Error, what)
	})
}

// FindPasswordHistory returns the account's n most recent former password hashes, newest first.
func (r *userRepo) FindPasswordHistory(ctx context.Context, userID string, n int) ([]string, error) {
	var hashes []string
	err := r.db.conn(ctx).Model(&passwordHistoryRow{}).Where("user_id = ?", userID).Order("created_at DESC, id DESC").
		Limit(n).Pluck("password_hash", &hashes).Error
	return hashes, wrap(err, "find password history of user "+userID)
}

// FindDormantUsers returns the active accounts with no creation,
// reactivation, login or API token use at or after cutoff.
func (r *userRepo) FindDormantUsers(ctx context.Context, cutoff time.Time) ([]user.User, error) {
	c := toDB(cutoff)
	var rows []userRow
	err := r.db.conn(ctx).Where("active = ? AND created_at < ?", true, c).
		Where("(last_login_at IS NULL OR last_login_at < ?)", c).
		Where("(reactivated_at IS NULL OR reactivated_at < ?)", c).
		Where("NOT EXISTS (SELECT 1 FROM api_tokens t WHERE t.user_id = users.id AND t.last_used_at >= ?)", c).
		Order("username").Find(&rows).Error
	if err != nil {
		return nil, wrap(err, "find dormant users")
	}
	return r.withSections(ctx, rows)
}
