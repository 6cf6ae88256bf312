package user

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"image/png"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// MFA is an account's second factor: a TOTP secret (RFC 6238, 30-second
// steps, 6 digits, SHA-1, the authenticator apps' defaults).
type MFA struct {
	UserID string
	// Secret is the confirmed base32 secret; empty until the first code confirms PendingSecret.
	Secret        string
	PendingSecret string
	EnrolledAt    *time.Time
	// LastStep is the last time step a code was accepted for: no code is accepted twice.
	LastStep  int64
	UpdatedAt time.Time
}

// Enrolled reports whether the account has a confirmed second factor.
func (m *MFA) Enrolled() bool { return m != nil && m.Secret != "" && m.EnrolledAt != nil }

// MFAChallenge is the step between a correct password and the code: the
// mfa_token (stored as its SHA-256), bound to one account, short-lived,
// single-use, with a limited number of wrong codes.
type MFAChallenge struct {
	ID        string
	UserID    string
	TokenHash string
	CreatedAt time.Time
	ExpiresAt time.Time
	Attempts  int
	UsedAt    *time.Time
}

// MFARepository persists second factors, recovery codes (hashed) and login challenges.
type MFARepository interface {
	// FindMFA returns the account's second factor, NotFound if it has none.
	FindMFA(ctx context.Context, userID string) (*MFA, error)
	// SaveMFA inserts or replaces it.
	SaveMFA(ctx context.Context, m *MFA) error
	// DeleteMFA removes the second factor, the recovery codes and open challenges of the account.
	DeleteMFA(ctx context.Context, userID string) error
	// UseTOTPStep records step as used if it is later than the last used one (atomically); false otherwise.
	UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error)
	// ReplaceRecoveryCodes drops the account's recovery codes and stores these hashes.
	ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error
	// UseRecoveryCode marks an unused code as used (atomically); false if there is no such unused code.
	UseRecoveryCode(ctx context.Context, userID, hash string, at time.Time) (bool, error)
	CountRecoveryCodesLeft(ctx context.Context, userID string) (int, error)
	// EnrolledUserIDs lists the accounts with a confirmed second factor.
	EnrolledUserIDs(ctx context.Context) ([]string, error)
	// CountMFACoverage counts active accounts with one of the roles, and those of them enrolled.
	CountMFACoverage(ctx context.Context, roles []Role) (required, enrolled int, err error)

	// CreateMFAChallenge stores c and drops expired challenges.
	CreateMFAChallenge(ctx context.Context, c *MFAChallenge) error
	FindMFAChallenge(ctx context.Context, tokenHash string) (*MFAChallenge, error)
	// FailMFAChallenge counts one wrong code and returns the new count.
	FailMFAChallenge(ctx context.Context, id string) (int, error)
	// ConsumeMFAChallenge marks an unused challenge used (atomically); false if it was used already.
	ConsumeMFAChallenge(ctx context.Context, id string, at time.Time) (bool, error)
}

// TOTP parameters: the authenticator apps' defaults.
const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
	// totpSkew accepts a code of the step before or after the current one (clock drift).
	totpSkew = 1
	// RecoveryCodeCount is how many recovery codes an enrolment gives.
	RecoveryCodeCount = 10
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}

// ErrMFAEnrolmentRequired answers every request but enrolment while an
// account whose role requires a second factor has none yet.
var ErrMFAEnrolmentRequired = apperr.Forbidden("user.mfa_enrolment_required").WithReason("mfa_enrolment_required")

// MFARequiredRoles lists the roles that must use a second factor (security.mfa_required_roles).
func (s *Service) MFARequiredRoles() []Role { return slices.Clone(s.cfg.MFARequiredRoles) }

// MFARequired reports whether the role must use a second factor.
func (s *Service) MFARequired(r Role) bool { return slices.Contains(s.cfg.MFARequiredRoles, r) }

// MFACoverage counts the active accounts whose role requires a second factor,
// and how many of them have enrolled one (for the security self-check).
func (s *Service) MFACoverage(ctx context.Context) (required, requiredEnrolled int, err error) {
	if len(s.cfg.MFARequiredRoles) == 0 {
		return 0, 0, nil
	}
	return s.repo.CountMFACoverage(ctx, s.cfg.MFARequiredRoles)
}

// mfaOf returns the account's second factor, or nil if it has none.
func (s *Service) mfaOf(ctx context.Context, userID string) (*MFA, error) {
	m, err := s.repo.FindMFA(ctx, userID)
	if apperr.Is(err, apperr.CodeNotFound) {
		return nil, nil
	}
	return m, err
}

// markEnrolmentOnly limits an authenticated request to enrolment while the
// account's role requires a second factor it has not enrolled.
func (s *Service) markEnrolmentOnly(ctx context.Context, au *Auth) (*Auth, error) {
	if !s.MFARequired(au.User.Role) {
		return au, nil
	}
	m, err := s.mfaOf(ctx, au.User.ID)
	if err != nil {
		return nil, err
	}
	au.MFAEnrolmentOnly = !m.Enrolled()
	return au, nil
}

// MFAStatus is what the account's owner sees of their second factor.
type MFAStatus struct {
	Enrolled   bool       `json:"enrolled"`
	EnrolledAt *time.Time `json:"enrolled_at"`
	// Pending is true between the start of an enrolment and its confirmation.
	Pending bool `json:"pending"`
	// Required is true when the account's role requires a second factor.
	Required          bool `json:"required"`
	RecoveryCodesLeft int  `json:"recovery_codes_left"`
}

// MFAStatus describes the caller's second factor.
func (s *Service) MFAStatus(ctx context.Context, auth *Auth) (*MFAStatus, error) {
	m, err := s.mfaOf(ctx, auth.User.ID)
	if err != nil {
		return nil, err
	}
	out := &MFAStatus{Required: s.MFARequired(auth.User.Role)}
	if m == nil {
		return out, nil
	}
	out.Enrolled, out.Pending = m.Enrolled(), m.PendingSecret != ""
	if out.Enrolled {
		out.EnrolledAt = m.EnrolledAt
		if out.RecoveryCodesLeft, err = s.repo.CountRecoveryCodesLeft(ctx, auth.User.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// TOTPEnrolment is a pending TOTP secret: typed in, or scanned from the QR
// code of URL, in an authenticator app.
type TOTPEnrolment struct {
	Secret string `json:"secret"`
	URL    string `json:"otpauth_url"`
}

// QRCodePNG is the QR code of the otpauth URL, as a PNG image.
func (e *TOTPEnrolment) QRCodePNG() ([]byte, error) {
	k, err := otp.NewKeyFromURL(e.URL)
	if err != nil {
		return nil, err
	}
	img, err := k.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// errMFASessionOnly refuses MFA changes made with a personal API token.
var errMFASessionOnly = apperr.Forbidden("user.mfa_session_required")

// StartTOTP makes a new pending TOTP secret for the caller (replacing any
// earlier pending one); it takes effect once ConfirmTOTP gets a code of it.
func (s *Service) StartTOTP(ctx context.Context, auth *Auth) (*TOTPEnrolment, error) {
	if auth.TokenID != "" {
		return nil, errMFASessionOnly
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.cfg.MFAIssuer, AccountName: auth.User.Username,
		Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1, SecretSize: 20, Rand: rand.Reader})
	if err != nil {
		return nil, err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		m, err := s.mfaOf(ctx, auth.User.ID)
		if err != nil {
			return err
		}
		if m == nil {
			m = &MFA{UserID: auth.User.ID}
		}
		m.PendingSecret = key.Secret()
		m.UpdatedAt = s.now()
		if err := s.repo.SaveMFA(ctx, m); err != nil {
			return err
		}
		return s.audit(ctx, auth.Actor, "mfa.enrol_started", "user", auth.User.ID, map[string]any{"method": "totp", "re_enrol": m.Enrolled()})
	})
	if err != nil {
		return nil, err
	}
	return s.enrolment(auth.User.Username, key.Secret()), nil
}

// enrolment is the pending secret with its otpauth URL (as otp.Key writes it).
func (s *Service) enrolment(username, secret string) *TOTPEnrolment {
	q := url.Values{"secret": {secret}, "issuer": {s.cfg.MFAIssuer}, "period": {"30"}, "digits": {"6"}, "algorithm": {"SHA1"}}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + s.cfg.MFAIssuer + ":" + username, RawQuery: q.Encode()}
	return &TOTPEnrolment{Secret: secret, URL: u.String()}
}

// PendingTOTP returns the caller's pending enrolment, or nil if none.
func (s *Service) PendingTOTP(ctx context.Context, auth *Auth) (*TOTPEnrolment, error) {
	m, err := s.mfaOf(ctx, auth.User.ID)
	if err != nil || m == nil || m.PendingSecret == "" {
		return nil, err
	}
	return s.enrolment(auth.User.Username, m.PendingSecret), nil
}

// ConfirmTOTP checks a code of the pending secret, makes it the account's
// second factor and returns new recovery codes, shown once (only their
// hashes are stored; earlier ones stop working).
func (s *Service) ConfirmTOTP(ctx context.Context, auth *Auth, code string) ([]string, error) {
	if auth.TokenID != "" {
		return nil, errMFASessionOnly
	}
	code, ok := parseTOTPCode(code)
	if !ok {
		return nil, apperr.InvalidField("code", "user.mfa_code_malformed")
	}
	var codes []string
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		m, err := s.mfaOf(ctx, auth.User.ID)
		if err != nil {
			return err
		}
		if m == nil || m.PendingSecret == "" {
			return apperr.Conflict("user.mfa_no_pending_enrolment")
		}
		step, ok := matchTOTP(m.PendingSecret, code, s.now())
		if !ok {
			return apperr.InvalidField("code", "user.mfa_code_wrong")
		}
		now := s.now()
		m.Secret, m.PendingSecret, m.EnrolledAt, m.LastStep, m.UpdatedAt = m.PendingSecret, "", &now, step, now
		if err := s.repo.SaveMFA(ctx, m); err != nil {
			return err
		}
		var hashes []string
		codes, hashes = newRecoveryCodes()
		if err := s.repo.ReplaceRecoveryCodes(ctx, auth.User.ID, hashes); err != nil {
			return err
		}
		return s.audit(ctx, auth.Actor, "mfa.enrolled", "user", auth.User.ID, map[string]any{"method": "totp", "recovery_codes": len(codes)})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableTOTP removes the caller's own second factor, given a current code;
// refused when the caller's role requires one.
func (s *Service) DisableTOTP(ctx context.Context, auth *Auth, code string) error {
	if auth.TokenID != "" {
		return errMFASessionOnly
	}
	if s.MFARequired(auth.User.Role) {
		return apperr.Forbidden("user.mfa_required_for_role", string(auth.User.Role))
	}
	code, ok := parseTOTPCode(code)
	if !ok {
		return apperr.InvalidField("code", "user.mfa_code_malformed")
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		m, err := s.mfaOf(ctx, auth.User.ID)
		if err != nil {
			return err
		}
		if !m.Enrolled() {
			return apperr.Conflict("user.mfa_not_enrolled")
		}
		step, ok := matchTOTP(m.Secret, code, s.now())
		if !ok {
			return apperr.InvalidField("code", "user.mfa_code_wrong")
		}
		if used, err := s.repo.UseTOTPStep(ctx, m.UserID, step); err != nil || !used {
			return cmpErr(err, apperr.InvalidField("code", "user.mfa_code_used"))
		}
		if err := s.repo.DeleteMFA(ctx, m.UserID); err != nil {
			return err
		}
		return s.audit(ctx, auth.Actor, "mfa.disabled", "user", m.UserID, map[string]any{"method": "totp"})
	})
}

// ResetMFA removes another account's second factor (admins only): its
// sessions end, and if its role requires one it must enrol again at next login.
func (s *Service) ResetMFA(ctx context.Context, a Actor, userID string) error {
	if a.Role != RoleAdmin && !a.IsSystem() {
		return apperr.Forbidden("user.mfa_reset_forbidden")
	}
	if userID == a.UserID {
		return apperr.Conflict("user.mfa_reset_self")
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		u, err := s.repo.FindUserByID(ctx, userID)
		if err != nil {
			return err
		}
		m, err := s.mfaOf(ctx, u.ID)
		if err != nil {
			return err
		}
		if m == nil {
			return apperr.Conflict("user.mfa_not_enrolled")
		}
		if err := s.repo.DeleteMFA(ctx, u.ID); err != nil {
			return err
		}
		if err := s.repo.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		return s.audit(ctx, a, "mfa.reset", "user", u.ID, map[string]any{"username": u.Username, "was_enrolled": m.Enrolled()})
	})
}

// MFAEnrolledUsers lists the ids of the accounts with a second factor (admins only).
func (s *Service) MFAEnrolledUsers(ctx context.Context, a Actor) ([]string, error) {
	if a.Role != RoleAdmin {
		return nil, apperr.Forbidden("user.list_forbidden")
	}
	return s.repo.EnrolledUserIDs(ctx)
}

// cmpErr is err if there is one, else alt.
func cmpErr(err, alt error) error {
	if err != nil {
		return err
	}
	return alt
}

// parseTOTPCode accepts six digits, with spaces or a dash between groups as
// apps show them ("123 456").
func parseTOTPCode(in string) (string, bool) {
	if len(in) > 16 {
		return "", false
	}
	code := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(in))
	if len(code) != 6 {
		return "", false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return code, true
}

// matchTOTP finds the time step (now, or one before or after) whose code is
// code; it compares in constant time.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	cur := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		step := cur + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0).UTC(), totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}
