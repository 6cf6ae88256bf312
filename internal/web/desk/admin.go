package desk

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	dbclock "github.com/newsroom-vn/newsroom/internal/clock"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// registerAdmin mounts the admin screens (/desk/admin/...): accounts,
// sections, partner API keys and distribution targets. The group is behind
// requireAdmin; the services check the role again.
func (h *Handler) registerAdmin(g routes) {
	g.GET("", func(c *gin.Context) error { c.Redirect(http.StatusSeeOther, "/desk/admin/users"); return nil })
	g.GET("/users", h.adminUsers)
	g.POST("/users", h.adminCreateUser)
	g.POST("/users/:id", h.adminUpdateUser)
	g.POST("/users/:id/lock", h.adminLockUser)
	g.POST("/users/:id/password", h.adminResetPassword)
	g.POST("/users/:id/sessions/end", h.adminEndSessions)
	g.GET("/tokens", h.adminTokens)
	g.POST("/tokens/:id/revoke", h.adminRevokeToken)
	g.POST("/users/:id/mfa", h.adminResetMFA)
	g.GET("/sections", h.adminSections)
	g.POST("/sections", h.adminCreateSection)
	g.POST("/sections/:id", h.adminUpdateSection)
	keys := g.Group("", h.errs().Require(h.partners != nil, apperr.Unavailable("desk.keys_unavailable")))
	keys.GET("/keys", h.adminKeys)
	keys.POST("/keys", h.adminCreateKey)
	keys.POST("/keys/:id/revoke", h.adminRevokeKey)
	targets := g.Group("", h.errs().Require(h.dist != nil, apperr.Unavailable("desk.dist_unavailable")))
	targets.GET("/targets", h.adminTargets)
	targets.POST("/targets", h.adminCreateTarget)
	targets.GET("/targets/:id", h.adminTargetPage)
	targets.POST("/targets/:id", h.adminUpdateTarget)
	targets.POST("/targets/:id/active", h.adminTargetActive)
	g.Group("", h.errs().Require(h.check != nil, apperr.Unavailable("desk.selfcheck_unavailable"))).GET("/security", h.adminSecurity)
	g.Group("", h.errs().Require(h.clock != nil, apperr.Unavailable("desk.clock_unavailable"))).GET("/clock", h.adminClock)
	logs := g.Group("", h.errs().Require(h.audit != nil, apperr.Unavailable("desk.audit_unavailable")))
	logs.GET("/audit", h.adminAudit)
	logs.GET("/audit.csv", h.adminAuditCSV)
}

// adminClock shows the offset between the application's clock and the
// database server's, warning over dbclock.WarnOver.
func (h *Handler) adminClock(c *gin.Context) error {
	r, err := h.clock(c.Request.Context())
	if err != nil {
		h.log.Warn("desk: read the database clock", "err", err)
	}
	d := struct {
		AppTime                    string
		OffsetMS, LimitMS          int64
		SameHost, Warn, Unreadable bool
	}{vntime.Format(time.Now()), r.OffsetMS(), dbclock.WarnOver.Milliseconds(), r.SameHost, r.Warn(), err != nil}
	h.render(c, http.StatusOK, "admin_clock", page{Title: h.tr(c, "admin.clock.title"), Nav: "admin", Data: d})
	return nil
}

// requireAdmin answers 403 with a page that says why to anyone but an admin.
func (h *Handler) requireAdmin(c *gin.Context) {
	if au := authOf(c); au == nil || au.User.Role != user.RoleAdmin {
		h.errs().Error(c, apperr.Forbidden("desk.admin_only"))
		return
	}
	c.Next()
}

// requireAdminAddress answers 403 to anyone signed in from outside
// security.admin_allow_cidrs, audited by the user service.
func (h *Handler) requireAdminAddress(c *gin.Context) {
	if err := h.users.CheckAdminAddress(c.Request.Context(), actor(c), c.Request.URL.Path); err != nil {
		h.errs().Error(c, err)
		return
	}
	c.Next()
}

// secretData is the page that shows a secret once (one-time password, API
// key, feed token): it is never stored in the clear and never shown again.
type secretData struct {
	Label, Value, Note, Back string
}

func (h *Handler) showSecret(c *gin.Context, title string, d secretData) {
	h.render(c, http.StatusOK, "admin_secret", page{Title: title, Nav: "admin", Data: d})
}

// adminFlash is the message of a finished admin action (?ok=...).
func (h *Handler) adminFlash(c *gin.Context) string {
	switch ok := c.Query("ok"); ok {
	case "updated", "locked", "unlocked", "created", "revoked", "activated", "deactivated", "sessions_ended", "revoked_token", "mfa_reset":
		return h.tr(c, "admin.flash."+ok)
	}
	return ""
}

// formSwitch reads the on/off form field name ("1" or "0"), and names the
// change (onWord or offWord) for the ?ok= message; valid is false for
// anything else.
func formSwitch(c *gin.Context, name, onWord, offWord string) (on bool, word string, valid bool) {
	switch c.PostForm(name) {
	case "1":
		return true, onWord, true
	case "0":
		return false, offWord, true
	}
	return false, "", false
}

// splitList cuts a comma-separated field into trimmed, non-empty values.
func splitList(s string) []string {
	out := []string{}
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
