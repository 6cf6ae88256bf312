package user

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// DisabledDormant is User.DisabledReason of an account the dormant-account
// job disabled.
const DisabledDormant = "dormant"

// Policy is the password policy in force.
func (s *Service) Policy() PasswordPolicy { return s.cfg.Policy }

// PasswordPolicyText is the password policy in words, in lang (vi or en).
func (s *Service) PasswordPolicyText(lang string) string { return s.cfg.Policy.Text(lang) }

// DormantAfter is how long an account may go unused before it is disabled
// (auth.dormant_after; 0: never).
func (s *Service) DormantAfter() time.Duration { return s.cfg.DormantAfter }

// PasswordExpired reports whether u's password has outlived auth.password_max_age.
func (s *Service) PasswordExpired(u *User) bool {
	return s.cfg.Policy.Expired(u.PasswordChangedAt, s.now())
}

// DormantActive counts the active accounts that are dormant now: no login,
// no API token use, no creation and no reactivation for DormantAfter (0
// when the rule is off). The security self-check reports it.
func (s *Service) DormantActive(ctx context.Context) (int, error) {
	if s.cfg.DormantAfter <= 0 {
		return 0, nil
	}
	us, err := s.repo.FindDormantUsers(ctx, s.now().Add(-s.cfg.DormantAfter))
	return len(us), err
}

// DisableDormant disables every account dormant at now (see DormantActive),
// admins included, ending its sessions, with one audit entry
// user.disabled_dormant by the system per account. It returns how many it
// disabled. The dormant-account job calls it.
func (s *Service) DisableDormant(ctx context.Context, now time.Time) (int, error) {
	if s.cfg.DormantAfter <= 0 {
		return 0, nil
	}
	cutoff := now.Add(-s.cfg.DormantAfter)
	us, err := s.repo.FindDormantUsers(ctx, cutoff)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range us {
		u := &us[i]
		last := u.CreatedAt
		if u.LastLoginAt != nil {
			last = *u.LastLoginAt
		}
		err := s.tx.InTx(ctx, func(ctx context.Context) error {
			u.Active = false
			u.DisabledReason = DisabledDormant
			u.UpdatedAt = now
			if err := s.repo.UpdateUser(ctx, u); err != nil {
				return err
			}
			if err := s.repo.DeleteUserSessions(ctx, u.ID, ""); err != nil {
				return err
			}
			return s.audit(ctx, System, "user.disabled_dormant", "user", u.ID, map[string]any{
				"username": u.Username, "last_activity": last, "dormant_after": ShortDuration(s.cfg.DormantAfter)})
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// markPasswordExpired makes a login whose password has outlived
// auth.password_max_age a forced change (MustChangePassword), with an audit
// entry; the session it opens is then good only for changing the password.
func (s *Service) markPasswordExpired(ctx context.Context, u *User, a Actor, now time.Time) error {
	if u.MustChangePassword || !s.cfg.Policy.Expired(u.PasswordChangedAt, now) {
		return nil
	}
	u.MustChangePassword = true
	return s.audit(ctx, a, "user.password_expired", "user", u.ID, map[string]any{"changed_at": u.PasswordChangedAt})
}

// checkNewPassword checks next against the policy and, when the policy
// keeps a history, against the account's current and former passwords.
func (s *Service) checkNewPassword(ctx context.Context, u *User, next string) error {
	if err := s.cfg.Policy.Check(next, u.Username, u.DisplayName); err != nil {
		return err
	}
	h := s.cfg.Policy.History
	if h <= 0 {
		return nil
	}
	hashes := []string{u.PasswordHash}
	if h > 1 {
		old, err := s.repo.FindPasswordHistory(ctx, u.ID, h-1)
		if err != nil {
			return err
		}
		hashes = append(hashes, old...)
	}
	for _, hash := range hashes {
		if hash == "" {
			continue
		}
		same, err := s.verify(next, hash)
		if err != nil {
			return err
		}
		if same {
			return refused(apperr.InvalidField("password", "user.password_reused", h))
		}
	}
	return nil
}

// setPassword gives u the new hash, remembering the old one in the history.
// It runs in the caller's transaction.
func (s *Service) setPassword(ctx context.Context, u *User, hash string, now time.Time) error {
	if u.PasswordHash != "" && s.cfg.Policy.History > 1 {
		if err := s.repo.AddPasswordHistory(ctx, u.ID, u.PasswordHash, now, s.cfg.Policy.History-1); err != nil {
			return err
		}
	}
	u.PasswordHash = hash
	u.PasswordChangedAt = &now
	return nil
}
