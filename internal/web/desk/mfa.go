package desk

import (
	"encoding/base64"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// mfaLoginData is the login's second step: the mfa_token of the password
// step travels in a hidden field (never the password).
type mfaLoginData struct {
	MFAToken, Next string
}

// loginMFA is POST /desk/login/mfa: the code (TOTP or recovery) for the
// mfa_token (user.Service.LoginMFA). A wrong code shows the form again while
// the mfa_token still works; otherwise the login starts over.
func (h *Handler) loginMFA(c *gin.Context) error {
	tok, next := c.PostForm("mfa_token"), localPath(c.PostForm("next"))
	res, err := h.users.LoginMFA(c.Request.Context(), tok, c.PostForm("code"), c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		status, msg := h.explain(c, err)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeInvalid && e.Reason != "invalid_mfa_code" {
			h.render(c, status, "login", page{Title: h.tr(c, "login.title"), Error: msg, Data: loginData{Next: next}})
			return nil
		}
		h.render(c, status, "login_mfa", page{Title: h.tr(c, "mfa.login_title"), Error: msg, Data: mfaLoginData{MFAToken: tok, Next: next}})
		return nil
	}
	h.openSession(c, res, next)
	return nil
}

// mfaData is the enrolment page.
type mfaData struct {
	Status  *user.MFAStatus
	Pending *user.TOTPEnrolment
	QR      template.URL // data: URL of the QR code PNG
	Codes   []string     // recovery codes, shown once after confirmation
	Since   string       // when the second factor was enrolled, dd/mm/yyyy HH:mm
}

// mfaPage is /desk/mfa: the second factor of the signed-in user; while an
// enrolment is pending, its QR code, secret and confirmation form.
func (h *Handler) mfaPage(c *gin.Context) error { return h.renderMFA(c, http.StatusOK, "", nil) }

func (h *Handler) renderMFA(c *gin.Context, status int, errMsg string, codes []string) error {
	ctx := c.Request.Context()
	au := authOf(c)
	st, err := h.users.MFAStatus(ctx, au)
	if err != nil {
		return err
	}
	d := mfaData{Status: st, Codes: codes, Since: formatWhen(st.EnrolledAt)}
	if codes == nil {
		if d.Pending, err = h.users.PendingTOTP(ctx, au); err != nil {
			return err
		}
	}
	if d.Pending != nil {
		png, err := d.Pending.QRCodePNG()
		if err != nil {
			return err
		}
		d.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	}
	flash := ""
	if c.Query("ok") == "disabled" {
		flash = h.tr(c, "mfa.flash_disabled")
	}
	h.render(c, status, "mfa", page{Title: h.tr(c, "mfa.title"), Error: errMsg, Flash: flash, Data: d})
	return nil
}

// startMFA is POST /desk/mfa/start: a new pending TOTP secret.
func (h *Handler) startMFA(c *gin.Context) error {
	if _, err := h.users.StartTOTP(c.Request.Context(), authOf(c)); err != nil {
		status, msg := h.explain(c, err)
		return h.renderMFA(c, status, msg, nil)
	}
	c.Redirect(http.StatusSeeOther, "/desk/mfa")
	return nil
}

// confirmMFA is POST /desk/mfa/confirm: the first code enrols the secret;
// the recovery codes are shown on this answer only.
func (h *Handler) confirmMFA(c *gin.Context) error {
	codes, err := h.users.ConfirmTOTP(c.Request.Context(), authOf(c), c.PostForm("code"))
	if err != nil {
		status, msg := h.explain(c, err)
		return h.renderMFA(c, status, msg, nil)
	}
	return h.renderMFA(c, http.StatusOK, "", codes)
}

// disableMFA is POST /desk/mfa/disable: an optional second factor removed with a current code.
func (h *Handler) disableMFA(c *gin.Context) error {
	if err := h.users.DisableTOTP(c.Request.Context(), authOf(c), c.PostForm("code")); err != nil {
		status, msg := h.explain(c, err)
		return h.renderMFA(c, status, msg, nil)
	}
	c.Redirect(http.StatusSeeOther, "/desk/mfa?ok=disabled")
	return nil
}

// adminResetMFA is POST /desk/admin/users/{id}/mfa (user.Service.ResetMFA, audited).
func (h *Handler) adminResetMFA(c *gin.Context) error {
	err := h.users.ResetMFA(c.Request.Context(), actor(c), c.Param("id"))
	return h.afterPost(c, err, "/desk/admin/users?ok=mfa_reset", func(status int, msg string) error {
		return h.usersPage(c, status, msg, nil)
	})
}
