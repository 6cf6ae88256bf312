package store

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/user"
)

// The session and token queries of the account screens (a user's own
// sessions, every user's tokens for admins); the writes a login or a
// request makes are in user_repo.go.

// FindUserSessions lists the user's sessions, the most recently used first
// (expired ones that no request has removed yet included).
func (r *userRepo) FindUserSessions(ctx context.Context, userID string) ([]user.Session, error) {
	return findAll[user.Session, sessionRow](r.db.conn(ctx).Where("user_id = ?", userID).Order("last_seen_at DESC, id"),
		"find sessions of user "+userID)
}

// DeleteUserSession ends one of the user's sessions; a session that is not
// the user's (or is gone) is NotFound.
func (r *userRepo) DeleteUserSession(ctx context.Context, userID, id string) error {
	what := "delete session " + id
	res := r.db.conn(ctx).Where("id = ? AND user_id = ?", id, userID).Delete(&sessionRow{})
	return touchedOne(res, what, what)
}

// FindAPITokenByID returns the token, whoever owns it, or NotFound.
func (r *userRepo) FindAPITokenByID(ctx context.Context, id string) (*user.APIToken, error) {
	what := "find api token " + id
	return findFirst[user.APIToken, apiTokenRow](r.db.conn(ctx).Where("id = ?", id), what, what)
}

// FindAllAPITokens lists every user's tokens, newest first, at most limit
// (no limit when limit <= 0).
func (r *userRepo) FindAllAPITokens(ctx context.Context, limit int) ([]user.APIToken, error) {
	q := r.db.conn(ctx).Order("created_at DESC, id DESC")
	if limit > 0 {
		q = q.Limit(limit)
	}
	return findAll[user.APIToken, apiTokenRow](q, "find api tokens")
}
