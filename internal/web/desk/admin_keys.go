package desk

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

type keyRow struct {
	ID, Name, Prefix, Created, LastUsed, Revoked string
	RateLimit                                    int
	Usage                                        int64
}

type keysData struct {
	Keys            []keyRow
	Name, RateLimit string // the create form, as typed
}

// adminKeys is /desk/admin/keys: the partner content API keys with their
// usage, a form to make one and a button to revoke each.
func (h *Handler) adminKeys(c *gin.Context) error {
	return h.keysPage(c, http.StatusOK, "", keysData{})
}

func (h *Handler) keysPage(c *gin.Context, status int, errMsg string, d keysData) error {
	keys, err := h.partners.FindKeys(c.Request.Context(), actor(c))
	if err != nil {
		return err
	}
	for _, k := range keys {
		d.Keys = append(d.Keys, keyRow{ID: k.ID, Name: k.Name, Prefix: k.Prefix, Created: vntime.Format(k.CreatedAt), RateLimit: k.RateLimit, Usage: k.UsageCount,
			LastUsed: formatWhen(k.LastUsedAt), Revoked: formatWhen(k.RevokedAt)})
	}
	h.render(c, status, "admin_keys", page{Title: h.tr(c, "admin.keys.title"), Nav: "admin", Flash: h.adminFlash(c), Error: errMsg, Data: d})
	return nil
}

// adminCreateKey is POST /desk/admin/keys; the secret is shown this once.
func (h *Handler) adminCreateKey(c *gin.Context) error {
	typed := keysData{Name: c.PostForm("name"), RateLimit: strings.TrimSpace(c.PostForm("rate_limit"))}
	in := partner.NewKey{Name: typed.Name}
	if typed.RateLimit != "" {
		n, err := strconv.Atoi(typed.RateLimit)
		if err != nil {
			return h.keysPage(c, http.StatusBadRequest, h.tr(c, "admin.keys.bad_rate", typed.RateLimit), typed)
		}
		in.RateLimit = n
	}
	k, secret, err := h.partners.CreateKey(c.Request.Context(), actor(c), in)
	if err != nil {
		status, msg := h.explain(c, err)
		return h.keysPage(c, status, msg, typed)
	}
	c.Header("Cache-Control", "no-store")
	h.showSecret(c, h.tr(c, "admin.keys.created_title"), secretData{Label: h.tr(c, "admin.keys.secret_label", k.Name), Value: secret,
		Note: h.tr(c, "admin.keys.secret_note"), Back: "/desk/admin/keys"})
	return nil
}

// adminRevokeKey is POST /desk/admin/keys/{id}/revoke: the key stops working at once.
func (h *Handler) adminRevokeKey(c *gin.Context) error {
	err := h.partners.RevokeKey(c.Request.Context(), actor(c), c.Param("id"))
	return h.afterPost(c, err, "/desk/admin/keys?ok=revoked", func(status int, msg string) error {
		return h.keysPage(c, status, msg, keysData{})
	})
}
