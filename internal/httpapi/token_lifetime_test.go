package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/user"
)

// TestTokenLifetime: no API token lives forever (issue 13): an admin-scope
// token lives at most auth.admin_token_max_lifetime (24h by default), a longer
// request is refused, and an old admin token without expiry stops working.
func TestTokenLifetime(t *testing.T) {
	forEachHarness(t, func(t *testing.T, h *harness) {
		type created struct {
			user.APIToken
			Token string `json:"token"`
		}
		var adm created
		h.expect(h.do(h.adminToken, "POST", "/api/v1/me/tokens", map[string]any{"name": "ops", "scopes": []string{"admin"}}), 201, "admin token").json(t, &adm)
		if adm.ExpiresAt == nil || adm.ExpiresAt.After(time.Now().Add(24*time.Hour)) {
			t.Errorf("admin token without expiry got expires_at %v, want at most 24h from now", adm.ExpiresAt)
		}
		h.expect(h.do(adm.Token, "GET", "/api/v1/users", nil), 200, "fresh admin token")

		r := h.do(h.adminToken, "POST", "/api/v1/me/tokens", map[string]any{"name": "ops", "scopes": []string{"read", "admin"},
			"expires_at": time.Now().UTC().Add(48 * time.Hour)})
		if r.Code != 400 || r.err(t).Error.Details["field"] != "expires_at" || !strings.Contains(r.err(t).Error.Message, "24h") {
			t.Errorf("48h admin token: %d %s, want 400 on expires_at", r.Code, r.Body)
		}

		var rd created
		h.expect(h.do(h.adminToken, "POST", "/api/v1/me/tokens", map[string]any{"name": "feed", "scopes": []string{"read"},
			"expires_at": time.Now().UTC().Add(30 * 24 * time.Hour)}), 201, "30-day read token").json(t, &rd)

		// A token issued before lifetimes were capped: no expiry, 25 hours old.
		// (Written as the store's fixed-width UTC text, which both dialects read.)
		old := time.Now().UTC().Add(-25 * time.Hour).Format("2006-01-02 15:04:05.000000-07:00")
		for _, id := range []string{adm.ID, rd.ID} {
			if err := h.app.DB.Gorm.Exec("UPDATE api_tokens SET created_at = ?, expires_at = NULL WHERE id = ?", old, id).Error; err != nil {
				t.Fatal(err)
			}
		}
		h.expectCode(h.do(adm.Token, "GET", "/api/v1/users", nil), 401, "invalid_token", "admin token 25h old without expiry")
		h.expect(h.do(rd.Token, "GET", "/api/v1/stories", nil), 200, "read token 25h old, within its lifetime")
	})
}
