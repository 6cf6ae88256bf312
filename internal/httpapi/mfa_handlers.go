package httpapi

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// mfaLoginStep is /auth/login's answer for an account with a second factor:
// no session token, but the mfa_token that /auth/mfa takes with a code.
type mfaLoginStep struct {
	MFARequired bool      `json:"mfa_required"`
	MFAToken    string    `json:"mfa_token"`
	ExpiresAt   time.Time `json:"mfa_token_expires_at"`
}

type mfaLoginRequest struct {
	MFAToken string `json:"mfa_token"`
	Code     string `json:"code"`
}

// loginMFA completes a login with the mfa_token and a TOTP or recovery code.
func (a *api) loginMFA(c *gin.Context) error {
	in, err := decode[mfaLoginRequest](c)
	if err != nil {
		return err
	}
	res, err := a.users.LoginMFA(c.Request.Context(), in.MFAToken, in.Code, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		return err
	}
	return answer(c, http.StatusOK, loginResponse{Token: res.Token, ExpiresAt: res.ExpiresAt, User: res.User}, nil)
}

// mfaStatus describes the caller's second factor.
func (a *api) mfaStatus(c *gin.Context) error {
	st, err := a.users.MFAStatus(c.Request.Context(), authOf(c))
	return answer(c, http.StatusOK, st, err)
}

// startTOTP makes a pending TOTP secret for the caller.
func (a *api) startTOTP(c *gin.Context) error {
	e, err := a.users.StartTOTP(c.Request.Context(), authOf(c))
	return answer(c, http.StatusOK, e, err)
}

type mfaCodeRequest struct {
	Code string `json:"code"`
}

// confirmTOTP enrols the pending secret and answers the recovery codes, once.
func (a *api) confirmTOTP(c *gin.Context) error {
	in, err := decode[mfaCodeRequest](c)
	if err != nil {
		return err
	}
	codes, err := a.users.ConfirmTOTP(c.Request.Context(), authOf(c), in.Code)
	return answer(c, http.StatusOK, gin.H{"recovery_codes": codes}, err)
}

// disableTOTP removes the caller's optional second factor, given a current code.
func (a *api) disableTOTP(c *gin.Context) error {
	in, err := decode[mfaCodeRequest](c)
	if err != nil {
		return err
	}
	return noContent(c, a.users.DisableTOTP(c.Request.Context(), authOf(c), in.Code))
}

// resetMFA removes another account's second factor (admin).
func (a *api) resetMFA(c *gin.Context) error {
	return removeByID(c, uuidID, a.users.ResetMFA)
}

// mfaEnrolmentRoute reports whether the route stays open while the account
// must enrol a second factor.
func mfaEnrolmentRoute(c *gin.Context) bool {
	switch c.Request.Method + " " + c.FullPath() {
	case "GET /api/v1/me/mfa", "POST /api/v1/me/mfa/totp", "POST /api/v1/me/mfa/totp/confirm":
		return true
	}
	return passwordChangeRoute(c)
}
