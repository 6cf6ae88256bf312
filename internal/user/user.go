// Package user holds accounts, roles, sessions, API tokens and the password
// policy. It knows nothing of HTTP or the database: a Repository persists it.
package user

import (
	"context"
	"time"
)

// User is a newsroom account.
type User struct {
	ID                 string     `json:"id"`
	Username           string     `json:"username"`
	DisplayName        string     `json:"display_name"`
	Email              string     `json:"email"`
	Role               Role       `json:"role"`
	SectionIDs         []string   `json:"section_ids"`
	Active             bool       `json:"active"`
	MustChangePassword bool       `json:"must_change_password"`
	FailedLogins       int        `json:"failed_logins"`
	LockedAt           *time.Time `json:"locked_at"`
	LastLoginAt        *time.Time `json:"last_login_at"`
	// PasswordChangedAt is when the password was last set (auth.password_max_age).
	PasswordChangedAt *time.Time `json:"password_changed_at"`
	// DisabledReason says why an inactive account is: "dormant" when the
	// dormant-account job disabled it, else empty.
	DisabledReason string `json:"disabled_reason,omitempty"`
	// ReactivatedAt is when an admin last made the account active again; the
	// dormancy clock starts anew from it.
	ReactivatedAt *time.Time `json:"reactivated_at,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	PasswordHash  string     `json:"-"`
}

// Locked reports whether an admin locked the account (until unlocked).
// Failed logins lock a name only temporarily and per source (LoginLock).
func (u *User) Locked() bool { return u.LockedAt != nil }

// Actor returns the domain actor for this user.
func (u *User) Actor(ip string) Actor {
	return Actor{UserID: u.ID, Username: u.Username, Role: u.Role, SectionIDs: u.SectionIDs, IP: ip}
}

// Session is a login. Only the SHA-256 of its token is stored.
type Session struct {
	ID         string
	UserID     string
	TokenHash  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute lifetime
	IP         string
	UserAgent  string
}

// APIToken is a personal token for integrations, limited by scopes.
type APIToken struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	TokenHash  string     `json:"-"`
}

// The scopes a personal API token may carry.
const (
	ScopeRead  = "read"  // GET requests
	ScopeWrite = "write" // changes to stories, comments, transitions
	ScopeAdmin = "admin" // user, section and audit administration
)

// Scopes lists the valid scopes.
var Scopes = []string{ScopeRead, ScopeWrite, ScopeAdmin}

// Filter selects users.
type Filter struct {
	Role   Role
	Active *bool
	Query  string // matches username or display name
	Limit  int
}

// Repository persists accounts, sessions and tokens.
type Repository interface {
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	FindUserByID(ctx context.Context, id string) (*User, error)
	FindUserByUsername(ctx context.Context, username string) (*User, error)
	FindUsers(ctx context.Context, f Filter) ([]User, error)
	CountUsers(ctx context.Context) (int, error)
	// The shared login throttle and per-source locks (throttle.go).
	ThrottleRepository
	// RecordFailedLogin increments the counter atomically and locks the
	// account when it reaches max (0: never); it returns the new count and the lock state.
	RecordFailedLogin(ctx context.Context, userID string, max int, now time.Time) (count int, locked bool, err error)

	CreateSession(ctx context.Context, s *Session) error
	FindSessionByTokenHash(ctx context.Context, hash string) (*Session, error)
	TouchSession(ctx context.Context, id string, at time.Time) error
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions ends every session of the user except exceptID (may be empty).
	DeleteUserSessions(ctx context.Context, userID, exceptID string) error
	// FindUserSessions lists the user's sessions, most recently used first.
	FindUserSessions(ctx context.Context, userID string) ([]Session, error)
	// DeleteUserSession ends one of the user's sessions; another's is NotFound.
	DeleteUserSession(ctx context.Context, userID, id string) error

	CreateAPIToken(ctx context.Context, t *APIToken) error
	FindAPITokenByHash(ctx context.Context, hash string) (*APIToken, error)
	FindAPITokens(ctx context.Context, userID string) ([]APIToken, error)
	RevokeAPIToken(ctx context.Context, userID, id string, at time.Time) error
	TouchAPIToken(ctx context.Context, id string, at time.Time) error
	// FindAPITokenByID returns any user's token or NotFound.
	FindAPITokenByID(ctx context.Context, id string) (*APIToken, error)
	// FindAllAPITokens lists every user's tokens, newest first (limit <= 0: all).
	FindAllAPITokens(ctx context.Context, limit int) ([]APIToken, error)

	// AddPasswordHistory remembers a password hash the account had, keeping
	// only its keep most recent ones.
	AddPasswordHistory(ctx context.Context, userID, hash string, at time.Time, keep int) error
	// FindPasswordHistory returns the account's n most recent former
	// password hashes, newest first.
	FindPasswordHistory(ctx context.Context, userID string, n int) ([]string, error)
	// FindDormantUsers returns the active accounts created, reactivated,
	// logged in to and with an API token used all before cutoff (or never).
	FindDormantUsers(ctx context.Context, cutoff time.Time) ([]User, error)

	MFARepository
}
