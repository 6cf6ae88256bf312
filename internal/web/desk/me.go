package desk

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// registerMe mounts the signed-in user's own account pages (/desk/me/...):
// sessions and personal API tokens. Every rule is user.Service's.
func (h *Handler) registerMe(g routes) {
	g.GET("/sessions", h.mySessions)
	g.POST("/sessions/end-others", h.endOtherSessions)
	g.POST("/sessions/:id/end", h.endSession)
	g.GET("/tokens", h.myTokens)
	g.POST("/tokens", h.createToken)
	g.POST("/tokens/:id/revoke", h.revokeToken)
}

type sessionRow struct {
	ID, Created, LastSeen, Expires, IP, UserAgent string
	Current                                       bool
}

// mySessions is /desk/me/sessions: the user's open sessions, each with a
// button that ends it, and one that ends all but this one.
func (h *Handler) mySessions(c *gin.Context) error { return h.sessionsPage(c, http.StatusOK, "") }

func (h *Handler) sessionsPage(c *gin.Context, status int, errMsg string) error {
	list, err := h.users.ListSessions(c.Request.Context(), authOf(c))
	if err != nil {
		return err
	}
	rows := make([]sessionRow, 0, len(list))
	for _, s := range list {
		rows = append(rows, sessionRow{ID: s.ID, Created: vntime.Format(s.CreatedAt), LastSeen: vntime.Format(s.LastSeenAt),
			Expires: vntime.Format(s.ExpiresAt), IP: s.IP, UserAgent: s.UserAgent, Current: s.Current})
	}
	h.render(c, status, "me_sessions", page{Title: h.tr(c, "me.sessions.title"), Nav: "me", Flash: h.meFlash(c), Error: errMsg, Data: rows})
	return nil
}

// endSession is POST /desk/me/sessions/{id}/end; ending this very session
// is a logout.
func (h *Handler) endSession(c *gin.Context) error {
	au := authOf(c)
	id := c.Param("id")
	err := h.users.EndSession(c.Request.Context(), au, id)
	if err == nil && id == au.SessionID {
		setCookie(c, sessionCookie, "", -1)
		c.Redirect(http.StatusSeeOther, "/desk/login")
		return nil
	}
	return h.afterPost(c, err, "/desk/me/sessions?ok=ended", func(status int, msg string) error {
		return h.sessionsPage(c, status, msg)
	})
}

// endOtherSessions is POST /desk/me/sessions/end-others.
func (h *Handler) endOtherSessions(c *gin.Context) error {
	_, err := h.users.EndOtherSessions(c.Request.Context(), authOf(c))
	return h.afterPost(c, err, "/desk/me/sessions?ok=ended_others", func(status int, msg string) error {
		return h.sessionsPage(c, status, msg)
	})
}

// meFlash is the message of a finished action on the user's own pages.
func (h *Handler) meFlash(c *gin.Context) string {
	switch ok := c.Query("ok"); ok {
	case "ended", "ended_others", "revoked":
		return h.tr(c, "me.flash."+ok)
	}
	return ""
}

type tokenRow struct {
	ID, Owner, Name, Scopes, Created, Expires, LastUsed, Revoked string
	Expired                                                      bool
}

type tokensData struct {
	Tokens []tokenRow
	// The create form, as typed, and the scopes the user may give.
	Name, ExpiresAt            string
	Scopes, Chosen             []string
	MaxLifetime, AdminLifetime string
}

func (h *Handler) tokenRows(list []user.APIToken, owners map[string]string) []tokenRow {
	now := time.Now()
	rows := make([]tokenRow, 0, len(list))
	for _, t := range list {
		r := tokenRow{ID: t.ID, Owner: owners[t.UserID], Name: t.Name, Scopes: strings.Join(t.Scopes, ", "), Created: vntime.Format(t.CreatedAt),
			Expires: formatWhen(t.ExpiresAt), LastUsed: formatWhen(t.LastUsedAt), Revoked: formatWhen(t.RevokedAt)}
		r.Expired = t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)
		rows = append(rows, r)
	}
	return rows
}

// myTokens is /desk/me/tokens: the user's personal API tokens, each
// revocable, and a form to create one (shown once).
func (h *Handler) myTokens(c *gin.Context) error {
	return h.tokensPage(c, http.StatusOK, "", tokensData{Chosen: []string{user.ScopeRead}})
}

func (h *Handler) tokensPage(c *gin.Context, status int, errMsg string, d tokensData) error {
	au := authOf(c)
	list, err := h.users.FindAPITokens(c.Request.Context(), au)
	if err != nil {
		return err
	}
	d.Tokens = h.tokenRows(list, nil)
	d.Scopes = []string{user.ScopeRead, user.ScopeWrite}
	if au.User.Role == user.RoleAdmin {
		d.Scopes = append(d.Scopes, user.ScopeAdmin)
	}
	cfg := h.users.Config()
	d.MaxLifetime, d.AdminLifetime = user.ShortDuration(cfg.TokenMaxLifetime), user.ShortDuration(cfg.AdminTokenMaxLifetime)
	h.render(c, status, "me_tokens", page{Title: h.tr(c, "me.tokens.title"), Nav: "me", Flash: h.meFlash(c), Error: errMsg, Data: d})
	return nil
}

// createToken is POST /desk/me/tokens (user.Service.CreateAPIToken); the
// token is shown this once.
func (h *Handler) createToken(c *gin.Context) error {
	typed := tokensData{Name: c.PostForm("name"), ExpiresAt: strings.TrimSpace(c.PostForm("expires_at")), Chosen: c.PostFormArray("scopes")}
	in := user.NewAPIToken{Name: typed.Name, Scopes: typed.Chosen}
	if typed.ExpiresAt != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", typed.ExpiresAt, vntime.Location)
		if err != nil {
			return h.tokensPage(c, http.StatusBadRequest, h.tr(c, "me.tokens.bad_expiry", typed.ExpiresAt), typed)
		}
		t = t.UTC()
		in.ExpiresAt = &t
	}
	t, plain, err := h.users.CreateAPIToken(c.Request.Context(), authOf(c), in)
	if err != nil {
		status, msg := h.explain(c, err)
		return h.tokensPage(c, status, msg, typed)
	}
	c.Header("Cache-Control", "no-store")
	h.render(c, http.StatusOK, "admin_secret", page{Title: h.tr(c, "me.tokens.created_title"), Nav: "me", Data: secretData{
		Label: h.tr(c, "me.tokens.secret_label", t.Name, formatWhen(t.ExpiresAt)), Value: plain,
		Note: h.tr(c, "me.tokens.secret_note"), Back: "/desk/me/tokens"}})
	return nil
}

// revokeToken is POST /desk/me/tokens/{id}/revoke: one of the user's own
// tokens stops working at once.
func (h *Handler) revokeToken(c *gin.Context) error {
	err := h.users.RevokeAPIToken(c.Request.Context(), authOf(c), c.Param("id"))
	return h.afterPost(c, err, "/desk/me/tokens?ok=revoked", func(status int, msg string) error {
		return h.tokensPage(c, status, msg, tokensData{Chosen: []string{user.ScopeRead}})
	})
}
