package desk

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Cookie names. The session cookie carries a user.Service session token, the
// same kind the JSON API gets from /auth/login (same idle timeout, lockout
// and logout); the CSRF cookie is a per-browser random key.
const (
	sessionCookie = "newsroom_session"
	csrfCookie    = "newsroom_csrf"
	// CSRFField is the hidden form input that carries the CSRF token.
	CSRFField = "csrf_token"
	// CSRFHeader carries the token on fetch and XMLHttpRequest calls.
	CSRFHeader = "X-CSRF-Token"
)

const (
	keyAuth      = "desk.auth"
	keyCSRFKey   = "desk.csrf_key"
	keySessToken = "desk.session_token"
)

func setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/desk", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: respond.Secure(c)})
}

// session resolves the session cookie (if any) and makes sure the browser has a CSRF key.
func (h *Handler) session(c *gin.Context) {
	key, err := c.Cookie(csrfCookie)
	if err != nil || len(key) < 32 || len(key) > 64 {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		key = base64.RawURLEncoding.EncodeToString(b)
		setCookie(c, csrfCookie, key, 0)
	}
	c.Set(keyCSRFKey, key)
	if tok, err := c.Cookie(sessionCookie); err == nil && tok != "" && strings.HasPrefix(tok, "nrs_") {
		au, err := h.users.Authenticate(c.Request.Context(), tok, c.ClientIP())
		switch {
		case err == nil:
			c.Set(keyAuth, au)
			c.Set(keySessToken, tok)
		case apperr.Is(err, apperr.CodeUnauthenticated):
			setCookie(c, sessionCookie, "", -1)
		default:
			h.errs().Error(c, fmt.Errorf("desk: authenticate: %w", err))
			return
		}
	}
	c.Next()
}

// authOf is the signed-in user, or nil.
func authOf(c *gin.Context) *user.Auth {
	if v, ok := c.Get(keyAuth); ok {
		return v.(*user.Auth)
	}
	return nil
}

func actor(c *gin.Context) user.Actor { return authOf(c).Actor }

// requireUser sends visitors to the login page, users who must change
// their password to the password page, and users whose role requires a
// second factor they have not enrolled to the enrolment page.
func (h *Handler) requireUser(c *gin.Context) {
	au := authOf(c)
	if au == nil {
		if c.Request.Method == http.MethodGet {
			c.Redirect(http.StatusSeeOther, "/desk/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
			return
		}
		h.errs().Error(c, apperr.Unauthenticated("desk.login_required"))
		return
	}
	if au.User.MustChangePassword {
		switch c.FullPath() {
		case "/desk/password", "/desk/logout":
		default:
			c.Redirect(http.StatusSeeOther, "/desk/password")
			c.Abort()
			return
		}
	}
	if au.MFAEnrolmentOnly {
		switch c.FullPath() {
		case "/desk/mfa", "/desk/mfa/start", "/desk/mfa/confirm", "/desk/password", "/desk/logout":
		default:
			if c.Request.Method == http.MethodGet {
				c.Redirect(http.StatusSeeOther, "/desk/mfa")
				c.Abort()
				return
			}
			h.errs().Error(c, user.ErrMFAEnrolmentRequired)
			return
		}
	}
	c.Next()
}

// csrfToken is the token pages carry: an HMAC, keyed by the browser's CSRF
// cookie, of its session token (or "anonymous" before login). A cookie
// planted by another site does not help: the token also needs the session
// token, which is HttpOnly.
func csrfToken(c *gin.Context) string {
	key := c.GetString(keyCSRFKey)
	msg := "anonymous"
	if t := c.GetString(keySessToken); t != "" {
		msg = t
	}
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// checkCSRF refuses every change that does not carry the page's token.
func (h *Handler) checkCSRF(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	got := c.GetHeader(CSRFHeader)
	if got == "" && strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") {
		got = c.PostForm(CSRFField)
	}
	if got == "" || !hmac.Equal([]byte(got), []byte(csrfToken(c))) {
		h.errs().Error(c, apperr.Forbidden("desk.csrf"))
		return
	}
	c.Next()
}
