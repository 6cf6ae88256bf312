package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/newsroom-vn/newsroom/internal/user"
)

// The second factors, recovery codes and login challenges of user.MFARepository.

type userMFARow struct {
	UserID        string `gorm:"primaryKey"`
	TOTPSecret    string `gorm:"column:totp_secret"`
	PendingSecret string
	EnrolledAt    nullTime
	LastStep      int64
	UpdatedAt     dbTime `gorm:"autoUpdateTime:false"`
}

func (userMFARow) TableName() string { return "user_mfa" }

type recoveryCodeRow struct {
	UserID   string `gorm:"primaryKey"`
	CodeHash string `gorm:"primaryKey"`
	UsedAt   nullTime
}

func (recoveryCodeRow) TableName() string { return "user_mfa_recovery_codes" }

type mfaChallengeRow struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	TokenHash string
	CreatedAt dbTime `gorm:"autoCreateTime:false"`
	ExpiresAt dbTime
	Attempts  int
	UsedAt    nullTime
}

func (mfaChallengeRow) TableName() string { return "mfa_challenges" }

// FindMFA returns the account's second factor or NotFound.
func (r *userRepo) FindMFA(ctx context.Context, userID string) (*user.MFA, error) {
	what := "find second factor of user " + userID
	row, err := firstRow[userMFARow](r.db.conn(ctx).Where("user_id = ?", userID), what, what)
	if err != nil {
		return nil, err
	}
	return &user.MFA{UserID: row.UserID, Secret: row.TOTPSecret, PendingSecret: row.PendingSecret,
		EnrolledAt: row.EnrolledAt.Ptr(), LastStep: row.LastStep, UpdatedAt: row.UpdatedAt.T}, nil
}

// SaveMFA inserts or replaces the account's second factor.
func (r *userRepo) SaveMFA(ctx context.Context, m *user.MFA) error {
	row := userMFARow{UserID: m.UserID, TOTPSecret: m.Secret, PendingSecret: m.PendingSecret,
		EnrolledAt: toNull(m.EnrolledAt), LastStep: m.LastStep, UpdatedAt: toDB(m.UpdatedAt)}
	err := r.db.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}}, UpdateAll: true}).Create(&row).Error
	return wrap(err, "save second factor of user "+m.UserID)
}

// DeleteMFA removes the second factor, recovery codes and challenges of the account.
func (r *userRepo) DeleteMFA(ctx context.Context, userID string) error {
	return r.db.InTx(ctx, func(ctx context.Context) error {
		c := r.db.conn(ctx)
		for _, m := range []any{&mfaChallengeRow{}, &recoveryCodeRow{}, &userMFARow{}} {
			if err := c.Where("user_id = ?", userID).Delete(m).Error; err != nil {
				return wrap(err, "delete second factor of user "+userID)
			}
		}
		return nil
	})
}

// UseTOTPStep moves last_step forward to step, in one statement, if step is later.
func (r *userRepo) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	res := r.db.conn(ctx).Exec("UPDATE user_mfa SET last_step = ? WHERE user_id = ? AND last_step < ?", step, userID, step)
	return res.RowsAffected == 1, wrap(res.Error, "use time step of user "+userID)
}

// ReplaceRecoveryCodes drops the account's recovery codes and stores hashes.
func (r *userRepo) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error {
	return r.db.InTx(ctx, func(ctx context.Context) error {
		c := r.db.conn(ctx)
		if err := c.Where("user_id = ?", userID).Delete(&recoveryCodeRow{}).Error; err != nil {
			return wrap(err, "drop recovery codes of user "+userID)
		}
		rows := make([]recoveryCodeRow, len(hashes))
		for i, h := range hashes {
			rows[i] = recoveryCodeRow{UserID: userID, CodeHash: h}
		}
		if len(rows) == 0 {
			return nil
		}
		return wrap(c.Create(&rows).Error, "save recovery codes of user "+userID)
	})
}

// UseRecoveryCode marks the unused code used, in one statement.
func (r *userRepo) UseRecoveryCode(ctx context.Context, userID, hash string, at time.Time) (bool, error) {
	res := r.db.conn(ctx).Model(&recoveryCodeRow{}).Where("user_id = ? AND code_hash = ? AND used_at IS NULL", userID, hash).
		Update("used_at", toDB(at))
	return res.RowsAffected == 1, wrap(res.Error, "use recovery code of user "+userID)
}

// CountRecoveryCodesLeft counts the account's unused recovery codes.
func (r *userRepo) CountRecoveryCodesLeft(ctx context.Context, userID string) (int, error) {
	var n int64
	err := r.db.conn(ctx).Model(&recoveryCodeRow{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&n).Error
	return int(n), wrap(err, "count recovery codes of user "+userID)
}

// EnrolledUserIDs lists the accounts with a confirmed second factor.
func (r *userRepo) EnrolledUserIDs(ctx context.Context) ([]string, error) {
	ids := []string{}
	err := r.db.conn(ctx).Model(&userMFARow{}).Where("enrolled_at IS NOT NULL AND totp_secret <> ''").Order("user_id").Pluck("user_id", &ids).Error
	return ids, wrap(err, "find accounts with a second factor")
}

// CountMFACoverage counts active accounts with one of roles, and those of them enrolled.
func (r *userRepo) CountMFACoverage(ctx context.Context, roles []user.Role) (required, enrolled int, err error) {
	names := make([]string, len(roles))
	for i, ro := range roles {
		names[i] = string(ro)
	}
	var out struct{ Required, Enrolled int64 }
	err = r.db.conn(ctx).Raw(`SELECT COUNT(*) AS required, COUNT(m.user_id) AS enrolled FROM users u
		LEFT JOIN user_mfa m ON m.user_id = u.id AND m.enrolled_at IS NOT NULL AND m.totp_secret <> ''
		WHERE u.active = ? AND u.role IN ?`, true, names).Scan(&out).Error
	return int(out.Required), int(out.Enrolled), wrap(err, "count second factor coverage")
}

// CreateMFAChallenge stores c and drops challenges that have expired.
func (r *userRepo) CreateMFAChallenge(ctx context.Context, c *user.MFAChallenge) error {
	return r.db.InTx(ctx, func(ctx context.Context) error {
		conn := r.db.conn(ctx)
		if err := conn.Where("expires_at < ?", toDB(c.CreatedAt)).Delete(&mfaChallengeRow{}).Error; err != nil {
			return wrap(err, "drop expired login challenges")
		}
		row := mfaChallengeRow{ID: c.ID, UserID: c.UserID, TokenHash: c.TokenHash, CreatedAt: toDB(c.CreatedAt),
			ExpiresAt: toDB(c.ExpiresAt), Attempts: c.Attempts, UsedAt: toNull(c.UsedAt)}
		return wrap(conn.Create(&row).Error, "create login challenge")
	})
}

// FindMFAChallenge returns the challenge of the token hash or NotFound.
func (r *userRepo) FindMFAChallenge(ctx context.Context, tokenHash string) (*user.MFAChallenge, error) {
	row, err := firstRow[mfaChallengeRow](r.db.conn(ctx).Where("token_hash = ?", tokenHash), "find login challenge", "login challenge")
	if err != nil {
		return nil, err
	}
	return &user.MFAChallenge{ID: row.ID, UserID: row.UserID, TokenHash: row.TokenHash, CreatedAt: row.CreatedAt.T,
		ExpiresAt: row.ExpiresAt.T, Attempts: row.Attempts, UsedAt: row.UsedAt.Ptr()}, nil
}

// FailMFAChallenge counts a wrong code in the database and returns the new count.
func (r *userRepo) FailMFAChallenge(ctx context.Context, id string) (int, error) {
	var n int
	err := r.db.InTx(ctx, func(ctx context.Context) error {
		c := r.db.conn(ctx)
		if err := touchedOne(c.Exec("UPDATE mfa_challenges SET attempts = attempts + 1 WHERE id = ?", id), "count wrong code", "login challenge "+id); err != nil {
			return err
		}
		return wrap(c.Model(&mfaChallengeRow{}).Where("id = ?", id).Pluck("attempts", &n).Error, "read wrong codes")
	})
	return n, err
}

// ConsumeMFAChallenge marks the challenge used if nobody has, in one statement.
func (r *userRepo) ConsumeMFAChallenge(ctx context.Context, id string, at time.Time) (bool, error) {
	res := r.db.conn(ctx).Model(&mfaChallengeRow{}).Where("id = ? AND used_at IS NULL", id).Update("used_at", toDB(at))
	return res.RowsAffected == 1, wrap(res.Error, "use login challenge "+id)
}
