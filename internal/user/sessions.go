package user

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// SessionInfo is one of a user's sessions as they see it: never its token
// (only its hash is stored anyway), with the time it ends if left idle.
type SessionInfo struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	// ExpiresAt is when the session ends unless used again: the idle
	// timeout of the user's role or the absolute lifetime, whichever first.
	ExpiresAt time.Time `json:"expires_at"`
	IP        string    `json:"ip"`
	UserAgent string    `json:"user_agent"`
	// Current is the session the request came with.
	Current bool `json:"current"`
}

// ListSessions lists the caller's own open sessions, the most recently used
// first; those already past their end are left out.
func (s *Service) ListSessions(ctx context.Context, auth *Auth) ([]SessionInfo, error) {
	list, err := s.repo.FindUserSessions(ctx, auth.User.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]SessionInfo, 0, len(list))
	for i := range list {
		sess := &list[i]
		exp := s.sessionExpiry(sess, auth.User.Role)
		if !now.Before(exp) {
			continue
		}
		out = append(out, SessionInfo{ID: sess.ID, CreatedAt: sess.CreatedAt, LastSeenAt: sess.LastSeenAt, ExpiresAt: exp,
			IP: sess.IP, UserAgent: sess.UserAgent, Current: sess.ID == auth.SessionID})
	}
	return out, nil
}

// EndSession ends one of the caller's own sessions (the current one too:
// that is a logout). Another user's session is NotFound, as a missing one is.
func (s *Service) EndSession(ctx context.Context, auth *Auth, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return apperr.InvalidField("id", "user.id_not_uuid")
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.DeleteUserSession(ctx, auth.User.ID, id); err != nil {
			return err
		}
		return s.audit(ctx, auth.Actor, "session.ended", "session", id, map[string]any{"current": id == auth.SessionID})
	})
}

// EndOtherSessions ends every session of the caller but the one the request
// came with (with an API token: every session). It returns how many ended.
func (s *Service) EndOtherSessions(ctx context.Context, auth *Auth) (int, error) {
	n := 0
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		list, err := s.repo.FindUserSessions(ctx, auth.User.ID)
		if err != nil {
			return err
		}
		for _, sess := range list {
			if sess.ID != auth.SessionID {
				n++
			}
		}
		if err := s.repo.DeleteUserSessions(ctx, auth.User.ID, auth.SessionID); err != nil {
			return err
		}
		return s.audit(ctx, auth.Actor, "session.ended", "user", auth.User.ID, map[string]any{"scope": "others", "sessions": n})
	})
	return n, err
}

// EndAllSessions ends every session of the user (admin only): whoever uses
// one must log in again. Personal API tokens are not touched (RevokeAnyAPIToken).
func (s *Service) EndAllSessions(ctx context.Context, a Actor, userID string) (int, error) {
	if a.Role != RoleAdmin && !a.IsSystem() {
		return 0, apperr.Forbidden("user.sessions_end_forbidden")
	}
	if _, err := uuid.Parse(userID); err != nil {
		return 0, apperr.InvalidField("id", "user.id_not_uuid")
	}
	n := 0
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		u, err := s.repo.FindUserByID(ctx, userID)
		if err != nil {
			return err
		}
		list, err := s.repo.FindUserSessions(ctx, u.ID)
		if err != nil {
			return err
		}
		n = len(list)
		if err := s.repo.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		return s.audit(ctx, a, "session.ended_by_admin", "user", u.ID, map[string]any{"username": u.Username, "sessions": n})
	})
	return n, err
}

// maxListedTokens bounds the admin's list of every user's tokens.
const maxListedTokens = 1000

// ListAllAPITokens lists every user's personal API tokens, newest first
// (admin only), each with the expiry it is held to.
func (s *Service) ListAllAPITokens(ctx context.Context, a Actor) ([]APIToken, error) {
	if a.Role != RoleAdmin && !a.IsSystem() {
		return nil, apperr.Forbidden("user.tokens_list_forbidden")
	}
	items, err := s.repo.FindAllAPITokens(ctx, maxListedTokens)
	if err != nil {
		return nil, err
	}
	for i := range items {
		exp := s.tokenExpiry(&items[i])
		items[i].ExpiresAt = &exp
	}
	return items, nil
}

// RevokeAnyAPIToken revokes any user's token (admin only); the audit entry
// names the owner. Revoking a revoked token again changes nothing.
func (s *Service) RevokeAnyAPIToken(ctx context.Context, a Actor, id string) error {
	if a.Role != RoleAdmin && !a.IsSystem() {
		return apperr.Forbidden("user.tokens_revoke_forbidden")
	}
	if _, err := uuid.Parse(id); err != nil {
		return apperr.InvalidField("id", "user.id_not_uuid")
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		t, err := s.repo.FindAPITokenByID(ctx, id)
		if err != nil {
			return err
		}
		if err := s.repo.RevokeAPIToken(ctx, t.UserID, id, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, a, "token.revoke", "token", id, map[string]any{"user_id": t.UserID, "by_admin": true})
	})
}
