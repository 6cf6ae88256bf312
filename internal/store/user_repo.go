package store

import (
	"context"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/user"
)

// userRepo is the user.Repository on a DB.
type userRepo struct{ db *DB }

// NewUserRepository returns the user.Repository (accounts, sessions, API
// tokens) backed by db. Calls made with a context from db.InTx join that transaction.
func NewUserRepository(db *DB) user.Repository { return &userRepo{db: db} }

type userRow struct {
	ID                 string `gorm:"primaryKey"`
	Username           string
	DisplayName        string
	Email              string
	Role               string
	Active             bool
	MustChangePassword bool
	FailedLogins       int
	LockedAt           nullTime
	LastLoginAt        nullTime
	PasswordHash       string
	PasswordChangedAt  nullTime
	DisabledReason     string
	ReactivatedAt      nullTime
	CreatedAt          dbTime `gorm:"autoCreateTime:false"`
	UpdatedAt          dbTime `gorm:"autoUpdateTime:false"`
}

func (userRow) TableName() string { return "users" }

type userSectionRow struct {
	UserID    string `gorm:"primaryKey"`
	SectionID string `gorm:"primaryKey"`
	Position  int
}

func (userSectionRow) TableName() string { return "user_sections" }

type sessionRow struct {
	ID         string `gorm:"primaryKey"`
	UserID     string
	TokenHash  string
	CreatedAt  dbTime `gorm:"autoCreateTime:false"`
	LastSeenAt dbTime
	ExpiresAt  dbTime
	IP         string `gorm:"column:ip"`
	UserAgent  string
}

func (sessionRow) TableName() string { return "sessions" }

type apiTokenRow struct {
	ID         string `gorm:"primaryKey"`
	UserID     string
	Name       string
	Scopes     jsonCol[[]string]
	TokenHash  string
	CreatedAt  dbTime `gorm:"autoCreateTime:false"`
	ExpiresAt  nullTime
	LastUsedAt nullTime
	RevokedAt  nullTime
}

func (apiTokenRow) TableName() string { return "api_tokens" }

func userToRow(u *user.User) userRow {
	return userRow{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Email: u.Email,
		Role: string(u.Role), Active: u.Active, MustChangePassword: u.MustChangePassword,
		FailedLogins: u.FailedLogins, LockedAt: toNull(u.LockedAt), LastLoginAt: toNull(u.LastLoginAt),
		PasswordHash: u.PasswordHash, PasswordChangedAt: toNull(u.PasswordChangedAt), DisabledReason: u.DisabledReason,
		ReactivatedAt: toNull(u.ReactivatedAt), CreatedAt: toDB(u.CreatedAt), UpdatedAt: toDB(u.UpdatedAt)}
}

func (r userRow) toDomain(sections []string) user.User {
	return user.User{ID: r.ID, Username: r.Username, DisplayName: r.DisplayName, Email: r.Email,
		Role: user.Role(r.Role), SectionIDs: list(sections), Active: r.Active,
		MustChangePassword: r.MustChangePassword, FailedLogins: r.FailedLogins,
		LockedAt: r.LockedAt.Ptr(), LastLoginAt: r.LastLoginAt.Ptr(),
		PasswordChangedAt: r.PasswordChangedAt.Ptr(), DisabledReason: r.DisabledReason, ReactivatedAt: r.ReactivatedAt.Ptr(),
		CreatedAt: r.CreatedAt.T, UpdatedAt: r.UpdatedAt.T, PasswordHash: r.PasswordHash}
}

// normUser puts u's times in the stored form so the caller holds what a read returns.
func normUser(u *user.User) {
	u.CreatedAt, u.UpdatedAt = norm(u.CreatedAt), norm(u.UpdatedAt)
	u.LockedAt, u.LastLoginAt = normPtr(u.LockedAt), normPtr(u.LastLoginAt)
	u.PasswordChangedAt, u.ReactivatedAt = normPtr(u.PasswordChangedAt), normPtr(u.ReactivatedAt)
	u.SectionIDs = list(u.SectionIDs)
}

// CreateUser inserts the account and its section assignment; a taken
// username is Conflict.
func (r *userRepo) CreateUser(ctx context.Context, u *user.User) error {
	normUser(u)
	return r.db.InTx(ctx, func(ctx context.Context) error {
		row := userToRow(u)
		if err := r.db.conn(ctx).Create(&row).Error; err != nil {
			return wrap(err, "create user "+u.Username)
		}
		return r.saveSections(ctx, u.ID, u.SectionIDs)
	})
}

func (r *userRepo) saveSections(ctx context.Context, userID string, ids []string) error {
	c := r.db.conn(ctx)
	if err := c.Where("user_id = ?", userID).Delete(&userSectionRow{}).Error; err != nil {
		return wrap(err, "clear sections of user "+userID)
	}
	if len(ids) == 0 {
		return nil
	}
	rows := make([]userSectionRow, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		rows = append(rows, userSectionRow{UserID: userID, SectionID: id, Position: len(rows)})
	}
	if err := c.Create(&rows).Error; err != nil {
		return wrap(err, "save sections of user "+userID)
	}
	return nil
}

// UpdateUser writes every field of the account, its section assignment included.
func (r *userRepo) UpdateUser(ctx context.Context, u *user.User) error {
	normUser(u)
	return r.db.InTx(ctx, func(ctx context.Context) error {
		row := userToRow(u)
		res := r.db.conn(ctx).Model(&userRow{}).Where("id = ?", u.ID).Select("*").Omit("id", "created_at").Updates(&row)
		if err := touchedOne(res, "update user "+u.ID, "update user "+u.ID); err != nil {
			return err
		}
		return r.saveSections(ctx, u.ID, u.SectionIDs)
	})
}

// FindUserByID returns the account or NotFound.
func (r *userRepo) FindUserByID(ctx context.Context, id string) (*user.User, error) {
	return r.findOne(ctx, "id = ?", id, "find user "+id)
}

// FindUserByUsername returns the account with exactly this username or NotFound.
func (r *userRepo) FindUserByUsername(ctx context.Context, username string) (*user.User, error) {
	return r.findOne(ctx, "username = ?", username, "find user "+username)
}

func (r *userRepo) findOne(ctx context.Context, where string, arg any, what string) (*user.User, error) {
	row, err := firstRow[userRow](r.db.conn(ctx).Where(where, arg), what, what)
	if err != nil {
		return nil, err
	}
	us, err := r.withSections(ctx, []userRow{*row})
	if err != nil {
		return nil, err
	}
	return &us[0], nil
}

// withSections loads the section assignment of every row in one query.
func (r *userRepo) withSections(ctx context.Context, rows []userRow) ([]user.User, error) {
	if len(rows) == 0 {
		return []user.User{}, nil
	}
	ids := keysOf(rows, func(row userRow) string { return row.ID })
	var links []userSectionRow
	if err := r.db.conn(ctx).Where("user_id IN ?", ids).Order("user_id, position").Find(&links).Error; err != nil {
		return nil, wrap(err, "find user sections")
	}
	bySection := make(map[string][]string, len(rows))
	for _, l := range links {
		bySection[l.UserID] = append(bySection[l.UserID], l.SectionID)
	}
	out := make([]user.User, len(rows))
	for i, row := range rows {
		out[i] = row.toDomain(bySection[row.ID])
	}
	return out, nil
}

// FindUsers lists accounts by username. Query matches a substring of the
// username or display name, case-insensitively (on SQLite only ASCII letters
// fold case).
func (r *userRepo) FindUsers(ctx context.Context, f user.Filter) ([]user.User, error) {
	q := r.db.conn(ctx).Model(&userRow{})
	if f.Role != "" {
		q = q.Where("role = ?", string(f.Role))
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		pat := "%" + likeEscape(strings.ToLower(s)) + "%"
		q = q.Where(`(lower(username) LIKE ? ESCAPE '\' OR lower(display_name) LIKE ? ESCAPE '\')`, pat, pat)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rows []userRow
	if err := q.Order("username").Find(&rows).Error; err != nil {
		return nil, wrap(err, "find users")
	}
	return r.withSections(ctx, rows)
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CountUsers returns the number of accounts.
func (r *userRepo) CountUsers(ctx context.Context) (int, error) {
	var n int64
	if err := r.db.conn(ctx).Model(&userRow{}).Count(&n).Error; err != nil {
		return 0, wrap(err, "count users")
	}
	return int(n), nil
}

// RecordFailedLogin increments failed_logins in the database (never a
// read-modify-write in Go) and sets locked_at once the count reaches max
// (max <= 0: never lock), all in one transaction.
func (r *userRepo) RecordFailedLogin(ctx context.Context, userID string, max int, now time.Time) (count int, locked bool, err error) {
	what := "record failed login of user " + userID
	err = r.db.InTx(ctx, func(ctx context.Context) error {
		c := r.db.conn(ctx)
		res := c.Exec("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?", userID)
		if err := touchedOne(res, what, what); err != nil {
			return err
		}
		if max > 0 {
			if err := c.Exec("UPDATE users SET locked_at = ? WHERE id = ? AND failed_logins >= ? AND locked_at IS NULL",
				toDB(now), userID, max).Error; err != nil {
				return wrap(err, what)
			}
		}
		var row userRow
		if err := c.Select("failed_logins", "locked_at").Where("id = ?", userID).Take(&row).Error; err != nil {
			return wrap(err, what)
		}
		count, locked = row.FailedLogins, row.LockedAt.Valid
		return nil
	})
	return count, locked, err
}

func sessionToRow(s *user.Session) sessionRow {
	return sessionRow{ID: s.ID, UserID: s.UserID, TokenHash: s.TokenHash, CreatedAt: toDB(s.CreatedAt),
		LastSeenAt: toDB(s.LastSeenAt), ExpiresAt: toDB(s.ExpiresAt), IP: s.IP, UserAgent: s.UserAgent}
}

func (r sessionRow) toDomain() user.Session {
	return user.Session{ID: r.ID, UserID: r.UserID, TokenHash: r.TokenHash, CreatedAt: r.CreatedAt.T,
		LastSeenAt: r.LastSeenAt.T, ExpiresAt: r.ExpiresAt.T, IP: r.IP, UserAgent: r.UserAgent}
}

// CreateSession stores a login.
func (r *userRepo) CreateSession(ctx context.Context, s *user.Session) error {
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = norm(s.CreatedAt), norm(s.LastSeenAt), norm(s.ExpiresAt)
	row := sessionToRow(s)
	return wrap(r.db.conn(ctx).Create(&row).Error, "create session")
}

// FindSessionByTokenHash returns the session or NotFound (expiry is the service's business).
func (r *userRepo) FindSessionByTokenHash(ctx context.Context, hash string) (*user.Session, error) {
	return findFirst[user.Session, sessionRow](r.db.conn(ctx).Where("token_hash = ?", hash), "find session", "find session")
}

// TouchSession records activity; a missing session is NotFound.
func (r *userRepo) TouchSession(ctx context.Context, id string, at time.Time) error {
	res := r.db.conn(ctx).Model(&sessionRow{}).Where("id = ?", id).Update("last_seen_at", toDB(at))
	return touchedOne(res, "touch session "+id, "touch session "+id)
}

// DeleteSession ends a session; ending one that is gone is not an error.
func (r *userRepo) DeleteSession(ctx context.Context, id string) error {
	return wrap(r.db.conn(ctx).Where("id = ?", id).Delete(&sessionRow{}).Error, "delete session "+id)
}

// DeleteUserSessions ends every session of the user except exceptID (may be empty).
func (r *userRepo) DeleteUserSessions(ctx context.Context, userID, exceptID string) error {
	q := r.db.conn(ctx).Where("user_id = ?", userID)
	if exceptID != "" {
		q = q.Where("id <> ?", exceptID)
	}
	return wrap(q.Delete(&sessionRow{}).Error, "delete sessions of user "+userID)
}

func tokenToRow(t *user.APIToken) apiTokenRow {
	return apiTokenRow{ID: t.ID, UserID: t.UserID, Name: t.Name, Scopes: jsonCol[[]string]{V: list(t.Scopes)},
		TokenHash: t.TokenHash, CreatedAt: toDB(t.CreatedAt), ExpiresAt: toNull(t.ExpiresAt),
		LastUsedAt: toNull(t.LastUsedAt), RevokedAt: toNull(t.RevokedAt)}
}

func (r apiTokenRow) toDomain() user.APIToken {
	return user.APIToken{ID: r.ID, UserID: r.UserID, Name: r.Name, Scopes: list(r.Scopes.V),
		CreatedAt: r.CreatedAt.T, ExpiresAt: r.ExpiresAt.Ptr(), LastUsedAt: r.LastUsedAt.Ptr(),
		RevokedAt: r.RevokedAt.Ptr(), TokenHash: r.TokenHash}
}

// CreateAPIToken stores a personal token (its hash only).
func (r *userRepo) CreateAPIToken(ctx context.Context, t *user.APIToken) error {
	t.CreatedAt = norm(t.CreatedAt)
	t.ExpiresAt, t.LastUsedAt, t.RevokedAt = normPtr(t.ExpiresAt), normPtr(t.LastUsedAt), normPtr(t.RevokedAt)
	t.Scopes = list(t.Scopes)
	row := tokenToRow(t)
	return wrap(r.db.conn(ctx).Create(&row).Error, "create api token")
}

// FindAPITokenByHash returns the token, revoked or expired included, or NotFound.
func (r *userRepo) FindAPITokenByHash(ctx context.Context, hash string) (*user.APIToken, error) {
	return findFirst[user.APIToken, apiTokenRow](r.db.conn(ctx).Where("token_hash = ?", hash), "find api token", "find api token")
}

// FindAPITokens lists the user's tokens, newest first.
func (r *userRepo) FindAPITokens(ctx context.Context, userID string) ([]user.APIToken, error) {
	return findAll[user.APIToken, apiTokenRow](r.db.conn(ctx).Where("user_id = ?", userID).Order("created_at DESC, id DESC"), "find api tokens of user "+userID)
}

// RevokeAPIToken revokes one of the user's tokens; revoking again keeps the
// first time; a token that is not the user's is NotFound.
func (r *userRepo) RevokeAPIToken(ctx context.Context, userID, id string, at time.Time) error {
	what := "revoke api token " + id
	c := r.db.conn(ctx)
	res := c.Model(&apiTokenRow{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, userID).
		Update("revoked_at", toDB(at))
	if res.Error != nil {
		return wrap(res.Error, what)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	var n int64
	if err := c.Model(&apiTokenRow{}).Where("id = ? AND user_id = ?", id, userID).Count(&n).Error; err != nil {
		return wrap(err, what)
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}

// TouchAPIToken records use; a missing token is NotFound.
func (r *userRepo) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	res := r.db.conn(ctx).Model(&apiTokenRow{}).Where("id = ?", id).Update("last_used_at", toDB(at))
	return touchedOne(res, "touch api token "+id, "touch api token "+id)
}
