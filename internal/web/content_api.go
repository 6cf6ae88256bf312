package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/site"
)

// NinjsType is the media type of the ninjs representation.
const NinjsType = "application/ninjs+json"

const keyPartner = "web.partner_key"

// partnerKey authenticates the partner (X-Api-Key or ?key=) and applies its rate limit.
func (h *Handler) partnerKey(c *gin.Context) {
	if h.partners == nil {
		respond.ErrorRenderer(h.apiError).Error(c, apperr.Unavailable("Content API chưa bật (content API not configured)"))
		return
	}
	secret := c.GetHeader("X-Api-Key")
	if secret == "" {
		secret = c.Query("key")
	}
	k, err := h.partners.Authenticate(c.Request.Context(), secret)
	if err != nil {
		respond.ErrorRenderer(h.apiError).Error(c, err)
		return
	}
	ok, wait := h.partners.Allow(k)
	if !ok {
		secs := int((wait + time.Second - 1) / time.Second)
		c.Header("Retry-After", strconv.Itoa(secs))
		respond.ErrorRenderer(h.apiError).Error(c, apperr.TooManyRequests("Vượt giới hạn yêu cầu của khóa; thử lại sau %d giây (rate limit exceeded; retry after %d s)", secs, secs).
			WithDetails(map[string]any{"retry_after": secs}))
		return
	}
	c.Set(keyPartner, k)
	c.Next()
}

// contentSection is a section in the content API.
type contentSection struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
	URL  string `json:"url"`
}

// contentArticle is an article in the content API.
type contentArticle struct {
	ID          string         `json:"id"`
	URL         string         `json:"url"`
	State       string         `json:"state"` // published, or killed (taken down: no content)
	Headline    string         `json:"headline"`
	Sapo        string         `json:"sapo"`
	Body        *string        `json:"body,omitempty"`
	Byline      string         `json:"byline"`
	Section     contentSection `json:"section"`
	Tags        []string       `json:"tags"`
	Author      site.Author    `json:"author"`
	PublishedAt *time.Time     `json:"published_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	CorrectedAt *time.Time     `json:"corrected_at"`
	Correction  string         `json:"correction"`
	KilledAt    *time.Time     `json:"killed_at,omitempty"`
	Media       []contentMedia `json:"media"`
}

// contentMedia is an attached photo, audio or video file, with absolute URLs.
type contentMedia struct {
	Role        string             `json:"role"`
	Kind        string             `json:"kind"`
	URL         string             `json:"url"`
	ContentType string             `json:"content_type"`
	Size        int64              `json:"size"`
	Width       int                `json:"width,omitempty"`
	Height      int                `json:"height,omitempty"`
	Duration    float64            `json:"duration,omitempty"`
	Title       string             `json:"title"`
	Caption     string             `json:"caption"`
	Credit      string             `json:"credit"`
	Alt         string             `json:"alt"`
	Renditions  []contentRendition `json:"renditions"`
}

// contentRendition is a resized copy of a photo.
type contentRendition struct {
	Name        string `json:"name"`
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
}

func (h *Handler) toContentMedia(a *site.Article) []contentMedia {
	out := []contentMedia{}
	if a.Killed() {
		return out
	}
	for _, m := range a.Media {
		as := m.Asset
		if as == nil {
			continue
		}
		cm := contentMedia{Role: string(m.Role), Kind: string(as.Kind), URL: h.abs(as.URL), ContentType: as.ContentType, Size: as.Size,
			Width: as.Width, Height: as.Height, Duration: as.Duration, Title: as.Title, Caption: as.Caption, Credit: as.Credit, Alt: as.Alt,
			Renditions: []contentRendition{}}
		for _, r := range as.Renditions {
			cm.Renditions = append(cm.Renditions, contentRendition{Name: r.Name, URL: h.abs(r.URL), ContentType: r.ContentType, Size: r.Size, Width: r.Width, Height: r.Height})
		}
		out = append(out, cm)
	}
	return out
}

func (h *Handler) toContent(a *site.Article, withBody bool) contentArticle {
	out := contentArticle{ID: a.ID, URL: h.abs(a.Path), State: string(a.State), Headline: a.Headline, Sapo: a.Sapo,
		Byline: a.Byline, Section: contentSection{ID: a.Section.ID, Name: a.Section.Name, Slug: a.Section.Slug, URL: h.abs("/" + a.Section.Slug)},
		Tags: a.Tags, Author: a.Author, PublishedAt: utcPtr(a.PublishedAt), UpdatedAt: a.Modified().UTC(),
		CorrectedAt: utcPtr(a.CorrectedAt), Correction: a.Correction, KilledAt: utcPtr(a.KilledAt), Media: h.toContentMedia(a)}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if withBody && !a.Killed() {
		b := string(safeBody(a.Body))
		out.Body = &b
	}
	if a.Killed() {
		out.Sapo, out.Byline, out.Correction = "", "", ""
	}
	return out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func jsonAnswer(v any, ctype string, mod time.Time) (*answer, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &answer{status: http.StatusOK, ctype: ctype, body: b, modified: mod}, nil
}

// wantsNinjs reports whether the client asked for ninjs.
func wantsNinjs(c *gin.Context) bool {
	return c.Query("format") == "ninjs" || strings.Contains(c.GetHeader("Accept"), NinjsType)
}

func parseTimeParam(c *gin.Context, name string) (time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, apperr.InvalidField(name, "%s phải là thời điểm RFC 3339, ví dụ 2026-11-25T08:00:00+07:00 (%s must be an RFC 3339 time)", name, name)
	}
	return t, nil
}

// contentArticles is GET /api/content/v1/articles?section=&tag=&since=&until=&limit=&cursor=.
func (h *Handler) contentArticles(c *gin.Context) error {
	ninjs := wantsNinjs(c)
	variant := "json"
	if ninjs {
		variant = "ninjs"
	}
	return h.serve(c, cacheKey(c, variant), func(c *gin.Context) (*answer, error) {
		ctx := c.Request.Context()
		q := site.Query{Tag: c.Query("tag"), Limit: 20}
		if s := c.Query("section"); s != "" {
			sec, err := h.site.SectionBySlug(ctx, s)
			if err != nil {
				return nil, apperr.InvalidField("section", "Chuyên mục %q không tồn tại (unknown section slug)", s)
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
				return nil, apperr.InvalidField("limit", "limit từ 1 đến %d (limit must be 1 to %d)", site.MaxLimit, site.MaxLimit)
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
			out := make([]ninjsItem, len(items))
			for i := range items {
				out[i] = h.toNinjs(&items[i])
			}
			return jsonAnswer(map[string]any{"items": out, "next_cursor": encodePageCursor(next)}, NinjsType+"; charset=utf-8", mod)
		}
		out := make([]contentArticle, len(items))
		for i := range items {
			out[i] = h.toContent(&items[i], false)
		}
		return jsonAnswer(map[string]any{"items": out, "next_cursor": encodePageCursor(next)}, "application/json; charset=utf-8", mod)
	})
}

// contentArticle is GET /api/content/v1/articles/{id-or-slug}; a killed
// article answers with state killed (ninjs pubStatus canceled) and no content.
func (h *Handler) contentArticle(c *gin.Context) error {
	ninjs := wantsNinjs(c)
	variant := "json"
	if ninjs {
		variant = "ninjs"
	}
	return h.serve(c, cacheKey(c, variant), func(c *gin.Context) (*answer, error) {
		key := c.Param("key")
		if len(key) > 300 {
			return nil, apperr.InvalidField("id", "Mã hoặc slug quá dài (id or slug too long)")
		}
		a, err := h.site.ArticleByKey(c.Request.Context(), key)
		if err != nil {
			return nil, err
		}
		if ninjs {
			return jsonAnswer(h.toNinjs(a), NinjsType+"; charset=utf-8", a.Modified())
		}
		return jsonAnswer(h.toContent(a, true), "application/json; charset=utf-8", a.Modified())
	})
}

// contentSections is GET /api/content/v1/sections.
func (h *Handler) contentSections(c *gin.Context) error {
	return h.serve(c, cacheKey(c, "json"), func(c *gin.Context) (*answer, error) {
		secs, err := h.site.Sections(c.Request.Context())
		if err != nil {
			return nil, err
		}
		out := make([]contentSection, len(secs))
		var mod time.Time
		for i, s := range secs {
			out[i] = contentSection{ID: s.ID, Name: s.Name, Slug: s.Slug, URL: h.abs("/" + s.Slug)}
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
