package user

import (
	"context"
	"crypto/rand"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// The login challenge between the password and the code.
const (
	// MFATokenLifetime is how long an mfa_token may be used.
	MFATokenLifetime = 5 * time.Minute
	// MFAMaxAttempts is how many wrong codes one mfa_token takes before it stops working.
	MFAMaxAttempts = 5
	mfaTokenPrefix = "nrm_"
	// mfaTokenLen is the length of an mfa_token: the prefix and 43 base64url characters.
	mfaTokenLen = len(mfaTokenPrefix) + 43
)

var (
	errMFATokenInvalid = apperr.Unauthenticated("user.mfa_token_invalid").WithReason("mfa_token_invalid")
	errMFACodeWrong    = apperr.Unauthenticated("user.mfa_code_wrong").WithReason("invalid_mfa_code")
)

// startMFALogin answers a correct password for an account with a second
// factor: no session yet, but an mfa_token for LoginMFA.
func (s *Service) startMFALogin(ctx context.Context, u *User, ip string) (*LoginResult, error) {
	token, hash := newToken(mfaTokenPrefix)
	now := s.now()
	ch := &MFAChallenge{ID: uuid.NewString(), UserID: u.ID, TokenHash: hash, CreatedAt: now, ExpiresAt: now.Add(MFATokenLifetime)}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.CreateMFAChallenge(ctx, ch); err != nil {
			return err
		}
		return s.audit(ctx, u.Actor(ip), "auth.login_password_ok", "user", u.ID, map[string]any{"mfa": "required"})
	})
	if err != nil {
		return nil, err
	}
	return &LoginResult{MFARequired: true, MFAToken: token, ExpiresAt: ch.ExpiresAt, User: u}, nil
}

// ParseMFAToken checks the form of an mfa_token without looking it up.
func ParseMFAToken(in string) (string, bool) {
	t := strings.TrimSpace(in)
	if len(t) != mfaTokenLen || !strings.HasPrefix(t, mfaTokenPrefix) {
		return "", false
	}
	for _, r := range t[len(mfaTokenPrefix):] {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return "", false
		}
	}
	return t, true
}

// ParseMFACode checks the form of a second-step code, a TOTP code (6
// digits) or a recovery code, and returns it normalised.
func ParseMFACode(in string) (string, bool) {
	if c, ok := parseTOTPCode(in); ok {
		return c, true
	}
	return parseRecoveryCode(in)
}

// LoginMFA completes a login with the mfa_token of Login and a code: a TOTP
// code (each accepted once) or one of the recovery codes (each usable once).
// A wrong code counts as a failed login; after MFAMaxAttempts the mfa_token
// stops working.
func (s *Service) LoginMFA(ctx context.Context, mfaToken, code, ip, userAgent string) (*LoginResult, error) {
	token, ok := ParseMFAToken(mfaToken)
	if !ok {
		return nil, errMFATokenInvalid
	}
	totpCode, isTOTP := parseTOTPCode(code)
	recovery, isRecovery := "", false
	if !isTOTP {
		recovery, isRecovery = parseRecoveryCode(code)
	}
	if !isTOTP && !isRecovery {
		return nil, apperr.InvalidField("code", "user.mfa_code_malformed")
	}
	ch, err := s.repo.FindMFAChallenge(ctx, HashToken(token))
	if err != nil {
		return nil, apperr.IfNotFound(err, errMFATokenInvalid)
	}
	now := s.now()
	if ch.UsedAt != nil || !now.Before(ch.ExpiresAt) || ch.Attempts >= MFAMaxAttempts {
		return nil, errMFATokenInvalid
	}
	u, err := s.activeUser(ctx, ch.UserID)
	if err != nil {
		return nil, err
	}
	m, err := s.mfaOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if !m.Enrolled() { // reset by an admin since the password step
		return nil, errMFATokenInvalid
	}
	actor := u.Actor(ip)
	// A code is a password's second half: throttled and locked by source the
	// same way (throttle.go), so that whoever knows the password cannot
	// guess codes faster than names are guessed, nor lock the owner out.
	gate, err := s.admitLogin(ctx, u.Username, ip)
	if err != nil {
		return nil, err
	}
	if gate.locked {
		return nil, errMFACodeWrong
	}
	var accepted bool
	var method string
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if isTOTP {
			method = "totp"
			if step, ok := matchTOTP(m.Secret, totpCode, now); ok {
				accepted, err = s.repo.UseTOTPStep(ctx, u.ID, step)
			}
		} else {
			method = "recovery_code"
			accepted, err = s.repo.UseRecoveryCode(ctx, u.ID, HashToken(recovery), now)
		}
		if err != nil || !accepted {
			return err
		}
		if used, err := s.repo.ConsumeMFAChallenge(ctx, ch.ID, now); err != nil || !used {
			return cmpErr(err, errMFATokenInvalid)
		}
		if method == "recovery_code" {
			left, err := s.repo.CountRecoveryCodesLeft(ctx, u.ID)
			if err != nil {
				return err
			}
			return s.audit(ctx, actor, "mfa.recovery_used", "user", u.ID, map[string]any{"recovery_codes_left": left})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !accepted {
		return nil, s.failMFA(ctx, gate, u, ch, actor, method)
	}
	if err := gate.succeeded(ctx); err != nil {
		return nil, err
	}
	return s.openSession(ctx, u, ip, userAgent, map[string]any{"mfa": method})
}

// failMFA counts a wrong code against the challenge and the account (as a
// failed login: the gate has counted it towards the lock of the name from
// this source) and audits it.
func (s *Service) failMFA(ctx context.Context, g *loginGate, u *User, ch *MFAChallenge, actor Actor, method string) error {
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		attempts, err := s.repo.FailMFAChallenge(ctx, ch.ID)
		if err != nil {
			return err
		}
		count, _, err := s.repo.RecordFailedLogin(ctx, u.ID, 0, s.now())
		if err != nil {
			return err
		}
		if err := s.audit(ctx, actor, "mfa.login_failed", "user", u.ID,
			map[string]any{"method": method, "attempts": attempts, "failed_logins": count}); err != nil {
			return err
		}
		return g.auditLock(ctx, actor, u.ID)
	})
	if err != nil {
		return err
	}
	return errMFACodeWrong
}

// recoveryAlphabet has no 0/o, 1/l/i: codes are read off paper.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// recoveryCodeLen is the characters of a recovery code (16 of 31: 79 bits),
// shown in four groups of four.
const recoveryCodeLen = 16

// newRecoveryCodes makes RecoveryCodeCount codes and their hashes (HashToken
// of the code without dashes).
func newRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodeCount {
		b := make([]byte, recoveryCodeLen)
		if _, err := rand.Read(b); err != nil {
			panic(err)
		}
		var sb strings.Builder
		for i, x := range b {
			if i > 0 && i%4 == 0 {
				sb.WriteByte('-')
			}
			// 248 = 8 * 31: values above would bias the first letters.
			for x >= 248 {
				var one [1]byte
				_, _ = rand.Read(one[:])
				x = one[0]
			}
			sb.WriteByte(recoveryAlphabet[int(x)%len(recoveryAlphabet)])
		}
		code := sb.String()
		plain, _ := parseRecoveryCode(code)
		codes, hashes = append(codes, code), append(hashes, HashToken(plain))
	}
	return codes, hashes
}

// parseRecoveryCode accepts a recovery code in any case, with or without
// dashes and spaces, and returns its plain form.
func parseRecoveryCode(in string) (string, bool) {
	if len(in) > 40 {
		return "", false
	}
	code := strings.ToLower(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(in)))
	if len(code) != recoveryCodeLen {
		return "", false
	}
	for _, r := range code {
		if !strings.ContainsRune(recoveryAlphabet, r) {
			return "", false
		}
	}
	return code, true
}
