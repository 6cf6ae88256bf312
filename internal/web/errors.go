package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

// The public faces answer their handlers' errors through respond (Classify
// maps the codes, logs internal errors and hides their detail) with three
// renderers: the site's HTML pages, the content API's JSON body and the pull
// feeds' plain text.

// pageError is the site's respond.ErrorRenderer: the 404, 410 and 400 pages,
// else the internal-error page with the status Classify chose. The site's
// pages are Vietnamese, and so are their messages.
func (h *Handler) pageError(c *gin.Context, p respond.Problem) {
	switch p.Err.Code {
	case apperr.CodeNotFound:
		h.NotFound(c)
	case apperr.CodeGone:
		h.notice(c, http.StatusGone, "Bài viết đã bị gỡ", "Bài viết này đã bị gỡ và không còn được đăng (this article has been taken down).")
	case apperr.CodeInvalid:
		h.notice(c, http.StatusBadRequest, "Yêu cầu không hợp lệ", p.Err.Text(apperr.LangVietnamese))
	default:
		h.notice(c, p.Status, "Lỗi hệ thống", "Đã có lỗi, xin thử lại sau (internal error).")
	}
}

// errBody is the API error shape (the same as /api/v1).
func errBody(c *gin.Context, code, msg string) gin.H {
	rid := c.Writer.Header().Get("X-Request-ID")
	return gin.H{"error": gin.H{"code": code, "message": msg, "details": gin.H{}}, "request_id": rid}
}

// apiError is the content API's respond.ErrorRenderer: the /api/v1 error
// shape, in the language of Accept-Language (English by default), never cached.
func (h *Handler) apiError(c *gin.Context, p respond.Problem) {
	lang := respond.Lang(c)
	msg := p.Err.Text(lang)
	if p.Status == http.StatusInternalServerError {
		msg = apperr.Internal("content api").Text(lang)
	}
	body := errBody(c, string(p.Err.Code), msg)
	if p.Err.Details != nil && p.Status != http.StatusInternalServerError {
		body["error"].(gin.H)["details"] = p.Err.Details
	}
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(p.Status, body)
}

// feedError is the pull feeds' respond.ErrorRenderer: a refused pull (no
// token, no such feed or a wrong token, a switched-off feed) in plain text,
// never cached, in the language of Accept-Language (English by default); any
// other failure is the site's error page.
func (h *Handler) feedError(c *gin.Context, p respond.Problem) {
	switch p.Err.Code {
	case apperr.CodeUnauthenticated, apperr.CodeNotFound, apperr.CodeGone:
		c.Header("Cache-Control", "no-store")
		c.String(p.Status, "%s\n", p.Err.Text(respond.Lang(c)))
	default:
		h.pageError(c, p)
	}
}
