package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/feed"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/site"
)

// NinjsType is the media type of the ninjs representation.
const NinjsType = feed.NinjsType

// PartnerKeyHeader is the header that carries a content API partner key.
const PartnerKeyHeader = "X-Api-Key"

const keyPartner = "web.partner_key"

// partnerKey authenticates the partner (the X-Api-Key header) and applies
// its rate limit. A key in the query (?key=) is refused, valid or not: URLs
// land in access logs, proxies' logs, browser history and cache keys.
func (h *Handler) partnerKey(c *gin.Context) {
	if h.partners == nil {
		respond.ErrorRenderer(h.apiError).Error(c, apperr.Unavailable("web.content_api_off"))
		return
	}
	if c.Request.URL.Query().Has("key") {
		respond.ErrorRenderer(h.apiError).Error(c, apperr.InvalidField("key", "web.key_in_query"))
		return
	}
	secret := c.GetHeader(PartnerKeyHeader)
	k, err := h.partners.Authenticate(c.Request.Context(), secret)
	if err != nil {
		respond.ErrorRenderer(h.apiError).Error(c, err)
		return
	}
	ok, wait := h.partners.Allow(k)
	if !ok {
		secs := int((wait + time.Second - 1) / time.Second)
		c.Header("Retry-After", strconv.Itoa(secs))
		respond.ErrorRenderer(h.apiError).Error(c, apperr.TooManyRequests("web.rate_limited", secs).
			WithDetails(map[string]any{"retry_after": secs}))
		return
	}
	c.Set(keyPartner, k)
	c.Next()
}

// jsonAnswer is a content API answer: keyed (private, Vary on the key and Accept).
func jsonAnswer(v any, ctype string, mod time.Time) (*answer, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &answer{status: http.StatusOK, ctype: ctype, body: b, modified: mod, keyed: true}, nil
}

// wantsNinjs reports whether the client asked for ninjs, and names the
// answer's cache variant accordingly.
func wantsNinjs(c *gin.Context) (ninjs bool, variant string) {
	if c.Query("format") == "ninjs" || strings.Contains(c.GetHeader("Accept"), NinjsType) {
		return true, "ninjs"
	}
	return false, "json"
}

func parseTimeParam(c *gin.Context, name string) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, apperr.InvalidField(name, "web.bad_time", name)
	}
	return t, nil
}

// contentArticles is GET /api/content/v1/articles?section=&tag=&since=&until=&limit=&cursor=.
func (h *Handler) contentArticles(c *gin.Context) error {
	ninjs, variant := wantsNinjs(c)
	return h.serve(c, cacheKey(c, variant), func(c *gin.Context) (*answer, error) {
		ctx := c.Request.Context()
		q := site.Query{Tag: c.Query("tag"), Limit: 20}
		if s := c.Query("section"); s != "" {
			sec, err := h.site.SectionBySlug(ctx, s)
			if err != nil {
				return nil, apperr.InvalidField("section", "web.unknown_section", s)
			}
			q.SectionID = sec.ID
		}
		var err error
		if q.Since, err = parseTimeParam(c, "since"); err != nil {
			return nil, err
		}
		if q.Until, err = parseTimeParam(c, "until"); err != nil {
			return nil, err
		}
		if l := c.Query("limit"); l != "" {
			n, err := strconv.Atoi(l)
			if err != nil || n < 1 || n > site.MaxLimit {
				return nil, apperr.InvalidField("limit", "web.limit_range", site.MaxLimit)
			}
			q.Limit = n
		}
		if q.After, err = decodePageCursor(c.Query("cursor")); err != nil {
			return nil, err
		}
		items, next, err := h.site.Latest(ctx, q)
		if err != nil {
			return nil, err
		}
		mod := newest(items)
		if ninjs {
			out := make([]feed.NinjsItem, len(items))
			for i := range items {
				out[i] = h.format.Ninjs(&items[i])
			}
			return jsonAnswer(map[string]any{"items": out, "next_cursor": encodeCursor(next)}, NinjsType+"; charset=utf-8", mod)
		}
		out := make([]feed.ContentArticle, len(items))
		for i := range items {
			out[i] = h.format.Content(&items[i], false)
		}
		return jsonAnswer(map[string]any{"items": out, "next_cursor": encodeCursor(next)}, "application/json; charset=utf-8", mod)
	})
}

// contentArticle is GET /api/content/v1/articles/{id-or-slug}; a killed
// article answers with state killed (ninjs pubStatus canceled) and no content.
func (h *Handler) contentArticle(c *gin.Context) error {
	ninjs, variant := wantsNinjs(c)
	return h.serve(c, cacheKey(c, variant), func(c *gin.Context) (*answer, error) {
		key := c.Param("key")
		if len(key) > 300 {
			return nil, apperr.InvalidField("id", "web.id_too_long")
		}
		a, err := h.site.ArticleByKey(c.Request.Context(), key)
		if err != nil {
			return nil, err
		}
		if ninjs {
			return jsonAnswer(h.format.Ninjs(a), NinjsType+"; charset=utf-8", a.Modified())
		}
		return jsonAnswer(h.format.Content(a, true), "application/json; charset=utf-8", a.Modified())
	})
}

// contentSections is GET /api/content/v1/sections.
func (h *Handler) contentSections(c *gin.Context) error {
	return h.serve(c, cacheKey(c, "json"), func(c *gin.Context) (*answer, error) {
		secs, err := h.site.Sections(c.Request.Context())
		if err != nil {
			return nil, err
		}
		out := make([]feed.ContentSection, len(secs))
		var mod time.Time
		for i, s := range secs {
			out[i] = h.format.ContentSection(s)
			if s.UpdatedAt.After(mod) {
				mod = s.UpdatedAt
			}
		}
		return jsonAnswer(map[string]any{"items": out, "next_cursor": ""}, "application/json; charset=utf-8", mod)
	})
}

// Partner returns the partner key of a content API request (nil elsewhere).
func Partner(c *gin.Context) *partner.Key {
	if v, ok := c.Get(keyPartner); ok {
		return v.(*partner.Key)
	}
	return nil
}
