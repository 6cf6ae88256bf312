package desk

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

// errorPage is the desk's respond.ErrorRenderer: the error page in the
// desk's language, or the small JSON body the desk's scripts read. The
// status is respond.Classify's, the one every face answers with.
func (h *Handler) errorPage(c *gin.Context, p respond.Problem) {
	h.fail(c, p.Status, h.message(c, p))
}

// errs is errorPage as a respond.ErrorRenderer, for handlers and guards.
func (h *Handler) errs() respond.ErrorRenderer { return h.errorPage }

// message is what the desk says of a Problem, in the desk's language: the
// error's catalogue message; what the desk itself knows (a body over the
// server's cap, a lost database, an internal error) is said from the desk's
// own catalogue.
func (h *Handler) message(c *gin.Context, p respond.Problem) string {
	switch {
	case p.Err.Code == apperr.CodeInternal:
		return h.tr(c, "error.internal")
	case p.Err.Reason == apperr.DatabaseDown().Reason:
		return h.tr(c, "error.unavailable")
	}
	if limit, ok := bodyTooLarge(p); ok {
		return h.tr(c, "error.too_large", limit)
	}
	return p.Err.Text(langOf(c))
}

// bodyTooLarge tells the server's body cap (respond.TooLarge, which Classify
// makes of an http.MaxBytesError) from a service's own size limit, whose
// message names what was too large: by the message key, not its text.
func bodyTooLarge(p respond.Problem) (int64, bool) {
	limit, ok := p.Err.Details["limit"].(int64)
	if !ok || p.Err.Code != apperr.CodeTooLarge || p.Err.Key != respond.TooLarge(limit).Key {
		return 0, false
	}
	return limit, true
}

// explain turns an error into the status and message a page shows inline
// (a form shown again with what went wrong), as errorPage would answer it.
func (h *Handler) explain(c *gin.Context, err error) (int, string) {
	p := respond.Classify(c, err)
	return p.Status, h.message(c, p)
}

// afterPost ends a form post the Post/Redirect/Get way: a redirect (303) to
// the page at to once the change went through, the form's page again
// otherwise, which page renders with the status and message of err.
func (h *Handler) afterPost(c *gin.Context, err error, to string, page func(status int, msg string) error) error {
	if err != nil {
		status, msg := h.explain(c, err)
		return page(status, msg)
	}
	c.Redirect(http.StatusSeeOther, to)
	return nil
}

// wantsJSON reports whether the request came from the desk's scripts.
func wantsJSON(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "application/json")
}

// answerJSON makes the routes of a group answer their errors in JSON: they
// are only ever called by the desk's scripts (uploads, asset metadata).
func answerJSON(c *gin.Context) {
	c.Request.Header.Set("Accept", "application/json")
	c.Next()
}

// fail answers an error: JSON for scripts, the error page otherwise.
func (h *Handler) fail(c *gin.Context, status int, msg string) {
	if wantsJSON(c) {
		c.AbortWithStatusJSON(status, gin.H{"error": gin.H{"message": msg}})
		return
	}
	h.render(c, status, "error", page{Title: h.tr(c, "error.title"), Error: msg})
	c.Abort()
}
