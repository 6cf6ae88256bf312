package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// keyAuth keeps the identity of an authenticated request in the gin context.
const keyAuth = "httpapi.auth"

// fail answers err as the API's JSON error and stops the chain; middleware
// use it, handlers return their errors instead.
func fail(c *gin.Context, err error) { respond.JSONErrors.Error(c, err) }

// authenticate resolves the bearer token and keeps the identity in the context.
// While the account must change its password, or enrol a second factor its
// role requires, only the routes needed to do so answer.
func (a *api) authenticate(c *gin.Context) {
	token := ""
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, rest, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(rest) == "" {
			fail(c, apperr.Unauthenticated("http.bearer_required").WithReason("unauthenticated"))
			return
		}
		token = strings.TrimSpace(rest)
	}
	au, err := a.users.Authenticate(c.Request.Context(), token, c.ClientIP())
	if err != nil {
		fail(c, err)
		return
	}
	c.Set(keyAuth, au)
	respond.SetUsername(c, au.User.Username)
	if au.User.MustChangePassword && !passwordChangeRoute(c) {
		fail(c, user.ErrPasswordChangeRequired)
		return
	}
	if au.MFAEnrolmentOnly && !mfaEnrolmentRoute(c) {
		fail(c, user.ErrMFAEnrolmentRequired)
		return
	}
	c.Next()
}

// passwordChangeRoute reports whether the route stays open while the password must change.
func passwordChangeRoute(c *gin.Context) bool {
	switch c.Request.Method + " " + c.FullPath() {
	case "GET /api/v1/me", "POST /api/v1/auth/password", "POST /api/v1/auth/logout":
		return true
	}
	return false
}

// authOf returns the identity of an authenticated request, or nil.
func authOf(c *gin.Context) *user.Auth {
	if v, ok := c.Get(keyAuth); ok {
		return v.(*user.Auth)
	}
	return nil
}

// actor returns the domain actor of an authenticated request.
func actor(c *gin.Context) user.Actor { return authOf(c).Actor }

// requireMethodScope limits personal API tokens: reading needs the read
// scope, any change the write scope. Sessions carry no scopes and pass.
func requireMethodScope(c *gin.Context) {
	scope := user.ScopeWrite
	if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		scope = user.ScopeRead
	}
	requireScope(c, scope)
}

// requireAdminAddress refuses the administration routes to clients outside
// security.admin_allow_cidrs (403, audited by the user service).
func (a *api) requireAdminAddress(c *gin.Context) {
	if err := a.users.CheckAdminAddress(c.Request.Context(), actor(c), c.Request.URL.Path); err != nil {
		fail(c, err)
		return
	}
	c.Next()
}

// requireAdminScope limits personal API tokens on administration routes.
func requireAdminScope(c *gin.Context) { requireScope(c, user.ScopeAdmin) }

func requireScope(c *gin.Context, scope string) {
	au := authOf(c)
	if au == nil {
		fail(c, apperr.Unauthenticated("user.authentication_required").WithReason("unauthenticated"))
		return
	}
	if au.TokenID != "" && !slices.Contains(au.Actor.Scopes, scope) {
		fail(c, apperr.Forbidden("http.token_scope_missing", scope).
			WithDetails(map[string]any{"scope": scope}).WithReason("missing_scope"))
		return
	}
	c.Next()
}
