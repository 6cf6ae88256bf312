package user

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/textvi"
)

// LoginResult is a successful login: a session token, or, for an account
// with a second factor, MFARequired and the MFAToken that LoginMFA takes
// (ExpiresAt is then the end of the MFAToken).
type LoginResult struct {
	Token       string
	ExpiresAt   time.Time
	User        *User
	MFARequired bool
	MFAToken    string
}

// ErrBadCredentials is what every wrong username or password gets, so that
// the answer does not tell which accounts exist.
var ErrBadCredentials = apperr.Unauthenticated("user.bad_credentials").WithReason("invalid_credentials")

// MaxLoginNameLen is the longest username (in characters) a login is
// checked against; no account has a longer one (CreateUser allows 63), so a
// longer one gets ErrBadCredentials at once, before any hashing.
const MaxLoginNameLen = 256

// unknownLoginName is how the audit log names the username of a failed login
// to no account: a SHA-256 prefix, so that repeated attempts with the same
// name can be told apart and counted, while a password typed into the
// username field is not written down.
func unknownLoginName(username string) string {
	sum := sha256.Sum256([]byte(username))
	return "sha256:" + hex.EncodeToString(sum[:8])
}

// dummyHash is verified against when the user does not exist, so that timing
// does not reveal it. It uses the service's own cost, and is made on first
// need rather than at start (argon2 at 64 MiB would otherwise sit in the heap).
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() {
		s.dummy, _ = HashPassword("dummy-password-for-timing", s.cfg.Argon2)
	})
	return s.dummy
}

// Login checks a password and opens a session. Failed attempts are
// throttled and lock the name from their source for a while (throttle.go);
// a locked name, an admin-locked account and an unknown name get the same
// answer as a wrong password.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (*LoginResult, error) {
	if n := len(username); n > utf8.UTFMax*MaxLoginNameLen || utf8.RuneCountInString(username) > MaxLoginNameLen {
		if password == "" {
			return nil, apperr.Invalid("user.credentials_required")
		}
		_ = s.tx.InTx(ctx, func(ctx context.Context) error {
			return s.audit(ctx, Actor{IP: ip}, "auth.login_failed", "user", "", map[string]any{"reason": "username_too_long", "username_bytes": n})
		})
		return nil, ErrBadCredentials
	}
	username = strings.ToLower(strings.TrimSpace(username))
	if username == "" || password == "" {
		return nil, apperr.Invalid("user.credentials_required")
	}
	if len(password) > 1024 {
		return nil, ErrBadCredentials
	}
	gate, err := s.admitLogin(ctx, username, ip)
	if err != nil {
		return nil, err
	}
	u, err := s.repo.FindUserByUsername(ctx, username)
	if err != nil {
		if apperr.Is(err, apperr.CodeNotFound) {
			_, _ = s.verify(password, s.dummyHash())
			s.pruneLogin(ctx)
			_ = s.tx.InTx(ctx, func(ctx context.Context) error {
				return s.audit(ctx, Actor{Username: unknownLoginName(username), IP: ip}, "auth.login_failed", "user", "", map[string]any{"reason": "unknown_user"})
			})
			return nil, ErrBadCredentials
		}
		return nil, err
	}
	actor := u.Actor(ip)
	if u.Locked() || gate.locked {
		// Locked by an admin, or this name from this source: the same answer
		// and about the same time as a wrong password, whatever the password.
		_, _ = s.verify(password, s.dummyHash())
		reason := "locked"
		if !u.Locked() {
			reason = "locked_from_source"
		}
		_ = s.tx.InTx(ctx, func(ctx context.Context) error {
			return s.audit(ctx, actor, "auth.login_refused", "user", u.ID, map[string]any{"reason": reason})
		})
		return nil, ErrBadCredentials
	}
	ok, err := s.verify(password, u.PasswordHash)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, s.loginFailed(ctx, gate, u, actor)
	}
	if err := gate.succeeded(ctx); err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, apperr.Forbidden("user.account_deactivated").WithReason("account_inactive")
	}
	if m, err := s.mfaOf(ctx, u.ID); err != nil {
		return nil, err
	} else if m.Enrolled() {
		return s.startMFALogin(ctx, u, ip)
	}
	return s.openSession(ctx, u, ip, userAgent, nil)
}

// openSession is a successful login: the failed-login count resets and a session opens.
func (s *Service) openSession(ctx context.Context, u *User, ip, userAgent string, details map[string]any) (*LoginResult, error) {
	token, hash := newToken("nrs_")
	now := s.now()
	sess := &Session{ID: uuid.NewString(), UserID: u.ID, TokenHash: hash, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.cfg.SessionLifetime), IP: ip, UserAgent: truncate(userAgent, 255)}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		u.FailedLogins = 0
		u.LastLoginAt = &now
		u.UpdatedAt = now
		if err := s.markPasswordExpired(ctx, u, u.Actor(ip), now); err != nil {
			return err
		}
		if err := s.repo.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := s.repo.CreateSession(ctx, sess); err != nil {
			return err
		}
		return s.audit(ctx, u.Actor(ip), "auth.login", "session", sess.ID, details)
	})
	if err != nil {
		return nil, err
	}
	return &LoginResult{Token: token, ExpiresAt: s.sessionExpiry(sess, u.Role), User: u}, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// sessionExpiry is when the session ends if unused: idle timeout or absolute end, whichever first.
func (s *Service) sessionExpiry(sess *Session, r Role) time.Time {
	idle := s.cfg.IdleTimeout
	if r == RoleAdmin {
		idle = s.cfg.AdminIdleTimeout
	}
	t := sess.LastSeenAt.Add(idle)
	if sess.ExpiresAt.Before(t) {
		return sess.ExpiresAt
	}
	return t
}

func newToken(prefix string) (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is how session and API tokens are stored: SHA-256, hex.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Auth is an authenticated request's identity.
type Auth struct {
	User      *User
	Actor     Actor
	SessionID string // empty for API tokens
	TokenID   string // empty for sessions
	ExpiresAt time.Time
	// MFAEnrolmentOnly: the role requires a second factor the account has not
	// enrolled; only enrolment (and the password change, logout, /me) may be used.
	MFAEnrolmentOnly bool
}

var errExpired = apperr.Unauthenticated("user.session_expired").WithReason("session_expired")

// Authenticate resolves a bearer token (session or personal API token).
func (s *Service) Authenticate(ctx context.Context, token, ip string) (*Auth, error) {
	if token == "" {
		return nil, apperr.Unauthenticated("user.authentication_required").WithReason("unauthenticated")
	}
	hash := HashToken(token)
	now := s.now()
	if strings.HasPrefix(token, "nrt_") {
		t, err := s.repo.FindAPITokenByHash(ctx, hash)
		if err != nil {
			return nil, apperr.IfNotFound(err, apperr.Unauthenticated("user.token_invalid").WithReason("invalid_token"))
		}
		exp := s.tokenExpiry(t)
		if t.RevokedAt != nil || now.After(exp) {
			return nil, apperr.Unauthenticated("user.token_revoked").WithReason("invalid_token")
		}
		u, err := s.activeUser(ctx, t.UserID)
		if err != nil {
			return nil, err
		}
		if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
			if err := s.repo.TouchAPIToken(ctx, t.ID, now); err != nil {
				return nil, err
			}
		}
		a := u.Actor(ip)
		a.Scopes = t.Scopes
		return s.markEnrolmentOnly(ctx, &Auth{User: u, Actor: a, TokenID: t.ID, ExpiresAt: exp})
	}
	sess, err := s.repo.FindSessionByTokenHash(ctx, hash)
	if err != nil {
		return nil, apperr.IfNotFound(err, errExpired)
	}
	u, err := s.activeUser(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	if !now.Before(s.sessionExpiry(sess, u.Role)) {
		if err := s.repo.DeleteSession(ctx, sess.ID); err != nil {
			return nil, err
		}
		return nil, errExpired
	}
	// Touch at most every few seconds: a busy desk page must not write on every request.
	if now.Sub(sess.LastSeenAt) > 5*time.Second {
		if err := s.repo.TouchSession(ctx, sess.ID, now); err != nil {
			return nil, err
		}
		sess.LastSeenAt = now
	}
	return s.markEnrolmentOnly(ctx, &Auth{User: u, Actor: u.Actor(ip), SessionID: sess.ID, ExpiresAt: s.sessionExpiry(sess, u.Role)})
}

func (s *Service) activeUser(ctx context.Context, id string) (*User, error) {
	u, err := s.repo.FindUserByID(ctx, id)
	if err != nil {
		return nil, apperr.IfNotFound(err, errExpired)
	}
	if !u.Active || u.Locked() {
		return nil, apperr.Unauthenticated("user.account_locked_or_deactivated").WithReason("account_locked")
	}
	return u, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, auth *Auth) error {
	if auth.SessionID == "" {
		return apperr.Invalid("user.token_cannot_log_out")
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.DeleteSession(ctx, auth.SessionID); err != nil {
			return err
		}
		return s.audit(ctx, auth.Actor, "auth.logout", "session", auth.SessionID, nil)
	})
}

// ChangePassword replaces the user's own password; other sessions end.
func (s *Service) ChangePassword(ctx context.Context, auth *Auth, current, next string) error {
	u, err := s.repo.FindUserByID(ctx, auth.User.ID)
	if err != nil {
		return err
	}
	ok, err := s.verify(current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.InvalidField("current_password", "user.current_password_wrong")
	}
	if current == next {
		return apperr.InvalidField("new_password", "user.new_password_unchanged")
	}
	if err := s.checkNewPassword(ctx, u, next); err != nil {
		return err
	}
	h, err := s.hash(next)
	if err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		now := s.now()
		if err := s.setPassword(ctx, u, h, now); err != nil {
			return err
		}
		u.MustChangePassword = false
		u.UpdatedAt = now
		if err := s.repo.UpdateUser(ctx, u); err != nil {
			return err
		}
		// Other sessions end; the one the change was made from goes on.
		if err := s.repo.DeleteUserSessions(ctx, u.ID, auth.SessionID); err != nil {
			return err
		}
		return s.audit(ctx, auth.Actor, "user.password_change", "user", u.ID, nil)
	})
}

// NewAPIToken is the input to CreateAPIToken.
type NewAPIToken struct {
	Name      string     `json:"name"`
	Scopes    []string   `json:"scopes"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// CreateAPIToken issues a personal token; the plain token is returned once.
func (s *Service) CreateAPIToken(ctx context.Context, auth *Auth, in NewAPIToken) (*APIToken, string, error) {
	if auth.TokenID != "" {
		return nil, "", apperr.Forbidden("user.token_cannot_create_tokens")
	}
	name := textvi.Clean(in.Name)
	if name == "" || len([]rune(name)) > 100 {
		return nil, "", apperr.InvalidField("name", "user.token_name_length")
	}
	if len(in.Scopes) == 0 {
		return nil, "", apperr.InvalidField("scopes", "user.scope_required")
	}
	var scopes []string
	for _, sc := range in.Scopes {
		if !slices.Contains(Scopes, sc) {
			return nil, "", apperr.InvalidField("scopes", "user.unknown_scope", sc)
		}
		if sc == ScopeAdmin && auth.User.Role != RoleAdmin {
			return nil, "", apperr.Forbidden("user.admin_scope_forbidden")
		}
		if !slices.Contains(scopes, sc) {
			scopes = append(scopes, sc)
		}
	}
	now := s.now()
	if in.ExpiresAt != nil && !in.ExpiresAt.After(now) {
		return nil, "", apperr.InvalidField("expires_at", "user.token_expiry_past")
	}
	// No token lives forever: without expires_at it gets the longest
	// lifetime its scopes allow; asking for more is refused, not shortened.
	maxLife := s.tokenMaxLifetime(scopes)
	expires := now.Add(maxLife)
	if in.ExpiresAt != nil {
		if in.ExpiresAt.After(expires) {
			return nil, "", apperr.InvalidField("expires_at", "user.token_expiry_too_far", ShortDuration(maxLife))
		}
		expires = in.ExpiresAt.UTC()
	}
	token, hash := newToken("nrt_")
	t := &APIToken{ID: uuid.NewString(), UserID: auth.User.ID, Name: name, Scopes: scopes, CreatedAt: now, ExpiresAt: &expires, TokenHash: hash}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		return s.audit(ctx, auth.Actor, "token.create", "token", t.ID, map[string]any{"name": name, "scopes": scopes})
	})
	if err != nil {
		return nil, "", err
	}
	return t, token, nil
}

// FindAPITokens lists the user's own tokens, each with the expiry it is
// held to (see tokenExpiry).
func (s *Service) FindAPITokens(ctx context.Context, auth *Auth) ([]APIToken, error) {
	items, err := s.repo.FindAPITokens(ctx, auth.User.ID)
	for i := range items {
		exp := s.tokenExpiry(&items[i])
		items[i].ExpiresAt = &exp
	}
	return items, err
}

// tokenMaxLifetime is the longest a token with these scopes may live.
func (s *Service) tokenMaxLifetime(scopes []string) time.Duration {
	if slices.Contains(scopes, ScopeAdmin) {
		return s.cfg.AdminTokenMaxLifetime
	}
	return s.cfg.TokenMaxLifetime
}

// tokenExpiry is when a token stops working: its expires_at, but never later
// than its creation plus the max lifetime of its scopes. Tokens issued before
// lifetimes were capped (no expires_at, or a far one) are held to it too.
func (s *Service) tokenExpiry(t *APIToken) time.Time {
	exp := t.CreatedAt.Add(s.tokenMaxLifetime(t.Scopes))
	if t.ExpiresAt != nil && t.ExpiresAt.Before(exp) {
		exp = *t.ExpiresAt
	}
	return exp
}

// ShortDuration writes 24h0m0s as 24h and 1h30m0s as 1h30m (messages, the security self-check).
func ShortDuration(d time.Duration) string {
	out := d.String()
	if strings.HasSuffix(out, "m0s") {
		out = strings.TrimSuffix(out, "0s")
	}
	if strings.HasSuffix(out, "h0m") {
		out = strings.TrimSuffix(out, "0m")
	}
	return out
}

// RevokeAPIToken revokes one of the user's own tokens.
func (s *Service) RevokeAPIToken(ctx context.Context, auth *Auth, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return apperr.InvalidField("id", "user.id_not_uuid")
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.RevokeAPIToken(ctx, auth.User.ID, id, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, auth.Actor, "token.revoke", "token", id, nil)
	})
}

// ErrPasswordChangeRequired is returned for any request but password change
// while the account must change its password.
var ErrPasswordChangeRequired = apperr.Forbidden("user.password_change_required").WithReason("password_change_required")
