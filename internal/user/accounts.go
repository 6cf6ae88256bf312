package user

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/textvi"
)

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

// NewUser is the input to CreateUser.
type NewUser struct {
	Username           string   `json:"username"`
	DisplayName        string   `json:"display_name"`
	Email              string   `json:"email"`
	Role               string   `json:"role"`
	SectionIDs         []string `json:"section_ids"`
	Password           string   `json:"password"`
	MustChangePassword *bool    `json:"must_change_password"`
}

// CreateUser adds an account. Only admins (or the operator's CLI, acting as System) may.
// With an empty password a one-time password is generated and returned, and the
// account must change it at first login.
func (s *Service) CreateUser(ctx context.Context, a Actor, in NewUser) (*User, string, error) {
	if a.Role != RoleAdmin && !a.IsSystem() {
		return nil, "", apperr.Forbidden("user.create_forbidden")
	}
	username := strings.ToLower(strings.TrimSpace(in.Username))
	if !usernameRe.MatchString(username) {
		return nil, "", apperr.InvalidField("username", "user.username_malformed")
	}
	if username == System.Username {
		return nil, "", apperr.InvalidField("username", "user.username_reserved", username)
	}
	role, err := ParseRole(in.Role)
	if err != nil {
		return nil, "", apperr.InvalidField("role", "user.unknown_role", in.Role)
	}
	email := strings.TrimSpace(in.Email)
	if email != "" {
		if _, err := mail.ParseAddress(email); err != nil {
			return nil, "", apperr.InvalidField("email", "user.email_invalid")
		}
	}
	sections, err := validIDs("section_ids", in.SectionIDs)
	if err != nil {
		return nil, "", err
	}
	oneTime := ""
	password := in.Password
	mustChange := false
	if in.MustChangePassword != nil {
		mustChange = *in.MustChangePassword
	}
	if password == "" {
		password = RandomPassword()
		oneTime = password
		mustChange = true
	} else if err := s.cfg.Policy.Check(password, username, in.DisplayName); err != nil {
		return nil, "", err
	}
	hash, err := s.hash(password)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	display := textvi.Clean(in.DisplayName)
	if display == "" {
		display = username
	}
	u := &User{ID: uuid.NewString(), Username: username, DisplayName: display, Email: email, Role: role,
		SectionIDs: sections, Active: true, MustChangePassword: mustChange, PasswordHash: hash, PasswordChangedAt: &now, CreatedAt: now, UpdatedAt: now}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.repo.FindUserByUsername(ctx, username); err == nil {
			return apperr.Conflict("user.username_taken", username).WithDetails(map[string]any{"field": "username"})
		} else if !apperr.Is(err, apperr.CodeNotFound) {
			return err
		}
		if err := s.repo.CreateUser(ctx, u); err != nil {
			return err
		}
		return s.audit(ctx, a, "user.create", "user", u.ID, map[string]any{"username": username, "role": role})
	})
	if err != nil {
		return nil, "", err
	}
	return u, oneTime, nil
}

func validIDs(field string, ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if _, err := uuid.Parse(id); err != nil {
			return nil, apperr.InvalidField(field, "user.field_not_uuid", field, id)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// UserUpdate is the input to UpdateUser; nil fields stay as they are.
type UserUpdate struct {
	DisplayName        *string   `json:"display_name"`
	Email              *string   `json:"email"`
	Role               *string   `json:"role"`
	SectionIDs         *[]string `json:"section_ids"`
	Active             *bool     `json:"active"`
	Locked             *bool     `json:"locked"`
	Password           *string   `json:"password"`
	MustChangePassword *bool     `json:"must_change_password"`
}

// UpdateUser changes an account (admin only). Unlocking resets the failed-login counter
// and lifts the temporary login locks;
// deactivating, locking, a role change or a password reset ends the user's sessions.
func (s *Service) UpdateUser(ctx context.Context, a Actor, id string, in UserUpdate) (*User, error) {
	if a.Role != RoleAdmin && !a.IsSystem() {
		return nil, apperr.Forbidden("user.update_forbidden")
	}
	var out *User
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		u, err := s.repo.FindUserByID(ctx, id)
		if err != nil {
			return err
		}
		changes := map[string]any{}
		endSessions := false
		if in.DisplayName != nil {
			u.DisplayName = textvi.Clean(*in.DisplayName)
			if u.DisplayName == "" {
				return apperr.InvalidField("display_name", "user.display_name_empty")
			}
			changes["display_name"] = u.DisplayName
		}
		if in.Email != nil {
			e := strings.TrimSpace(*in.Email)
			if e != "" {
				if _, err := mail.ParseAddress(e); err != nil {
					return apperr.InvalidField("email", "user.email_invalid")
				}
			}
			u.Email = e
			changes["email"] = e
		}
		if in.Role != nil {
			r, err := ParseRole(*in.Role)
			if err != nil {
				return apperr.InvalidField("role", "user.unknown_role", *in.Role)
			}
			if u.ID == a.UserID && r != RoleAdmin {
				return apperr.Conflict("user.admin_cannot_demote_themselves")
			}
			if r != u.Role {
				endSessions = true
			}
			u.Role = r
			changes["role"] = r
		}
		if in.SectionIDs != nil {
			ids, err := validIDs("section_ids", *in.SectionIDs)
			if err != nil {
				return err
			}
			u.SectionIDs = ids
			changes["section_ids"] = ids
		}
		if in.Active != nil {
			if u.ID == a.UserID && !*in.Active {
				return apperr.Conflict("user.admin_cannot_deactivate_themselves")
			}
			if *in.Active && !u.Active {
				t := s.now()
				u.ReactivatedAt = &t
			}
			u.Active = *in.Active
			u.DisabledReason = ""
			if !u.Active {
				endSessions = true
			}
			changes["active"] = u.Active
		}
		if in.Locked != nil {
			if *in.Locked {
				if u.LockedAt == nil {
					t := s.now()
					u.LockedAt = &t
				}
				endSessions = true
			} else {
				u.LockedAt = nil
				u.FailedLogins = 0
				// Also lifts the temporary locks of its name from every source.
				if err := s.repo.ClearLoginLocks(ctx, unknownLoginName(u.Username), ""); err != nil {
					return err
				}
			}
			changes["locked"] = *in.Locked
		}
		if in.Password != nil {
			if err := s.checkNewPassword(ctx, u, *in.Password); err != nil {
				return err
			}
			h, err := s.hash(*in.Password)
			if err != nil {
				return err
			}
			if err := s.setPassword(ctx, u, h, s.now()); err != nil {
				return err
			}
			u.MustChangePassword = true
			endSessions = true
			changes["password"] = "reset"
		}
		if in.MustChangePassword != nil {
			u.MustChangePassword = *in.MustChangePassword
			changes["must_change_password"] = u.MustChangePassword
		}
		u.UpdatedAt = s.now()
		if err := s.repo.UpdateUser(ctx, u); err != nil {
			return err
		}
		if endSessions {
			// Every session of the account ends, the admin's own included
			// when they change themselves; API tokens stay (docs/security.md).
			if err := s.repo.DeleteUserSessions(ctx, u.ID, ""); err != nil {
				return err
			}
			changes["sessions_ended"] = true
		}
		out = u
		return s.audit(ctx, a, "user.update", "user", u.ID, changes)
	})
	return out, err
}

// FindUserByID returns one account (admins, or the user themself).
func (s *Service) FindUserByID(ctx context.Context, a Actor, id string) (*User, error) {
	if a.Role != RoleAdmin && a.UserID != id {
		return nil, apperr.Forbidden("user.view_forbidden")
	}
	return s.repo.FindUserByID(ctx, id)
}

// FindUserByUsername returns an account by login name (operator CLI).
func (s *Service) FindUserByUsername(ctx context.Context, username string) (*User, error) {
	return s.repo.FindUserByUsername(ctx, strings.ToLower(strings.TrimSpace(username)))
}

// FindUsers lists accounts (admin only).
func (s *Service) FindUsers(ctx context.Context, a Actor, f Filter) ([]User, error) {
	if a.Role != RoleAdmin {
		return nil, apperr.Forbidden("user.list_forbidden")
	}
	return s.repo.FindUsers(ctx, f)
}

// CountUsers returns how many accounts exist (first-start bootstrap).
func (s *Service) CountUsers(ctx context.Context) (int, error) { return s.repo.CountUsers(ctx) }

// SetPassword is the operator's password reset from the CLI (acts as System).
func (s *Service) SetPassword(ctx context.Context, username, password string, mustChange bool) error {
	u, err := s.FindUserByUsername(ctx, username)
	if err != nil {
		return err
	}
	pw := password
	_, err = s.UpdateUser(ctx, System, u.ID, UserUpdate{Password: &pw, MustChangePassword: &mustChange})
	return err
}

// Bootstrap creates the first admin on an empty database and returns its
// one-time password; on a database with accounts it does nothing.
func (s *Service) Bootstrap(ctx context.Context) (username, password string, err error) {
	n, err := s.repo.CountUsers(ctx)
	if err != nil {
		return "", "", fmt.Errorf("user: count users: %w", err)
	}
	if n > 0 {
		return "", "", nil
	}
	u, pw, err := s.CreateUser(ctx, System, NewUser{Username: "admin", DisplayName: "Quản trị viên", Role: string(RoleAdmin)})
	if err != nil {
		if apperr.Is(err, apperr.CodeConflict) {
			return "", "", nil
		}
		return "", "", err
	}
	return u.Username, pw, nil
}
