package desk

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

// languages the desk speaks; the first is the default.
var languages = []string{"vi", "en"}

// langCookie keeps the chosen language.
const langCookie = "newsroom_lang"

// catalogue is one language's messages, key -> text (fmt verbs for arguments).
type catalogue map[string]string

type catalogues map[string]catalogue

// T returns the message for key, formatted with args; an unknown key shows
// itself between question marks (and a test refuses templates that use one).
func (c catalogue) T(key string, args ...any) string {
	m, ok := c[key]
	if !ok {
		return "??" + key + "??"
	}
	if len(args) == 0 {
		return m
	}
	return fmt.Sprintf(m, args...)
}

// loadCatalogues reads i18n/<lang>.json for every language.
func loadCatalogues(fsys fs.FS) (catalogues, error) {
	out := catalogues{}
	for _, lang := range languages {
		b, err := fs.ReadFile(fsys, "i18n/"+lang+".json")
		if err != nil {
			return nil, fmt.Errorf("desk: message catalogue %s: %w", lang, err)
		}
		var c catalogue
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("desk: message catalogue %s: %w", lang, err)
		}
		out[lang] = c
	}
	return out, nil
}

// langOf is the request's language: the cookie, else Vietnamese.
func langOf(c *gin.Context) string {
	if v, err := c.Cookie(langCookie); err == nil {
		for _, l := range languages {
			if v == l {
				return l
			}
		}
	}
	return languages[0]
}

// tr translates key in the request's language.
func (h *Handler) tr(c *gin.Context, key string, args ...any) string {
	return h.cat[langOf(c)].T(key, args...)
}

// switchLanguage is /desk/lang/{vi|en}?next=/desk/...: it sets the cookie and goes back.
func (h *Handler) switchLanguage(c *gin.Context) error {
	lang := c.Param("lang")
	ok := false
	for _, l := range languages {
		ok = ok || l == lang
	}
	if !ok {
		return apperr.Invalid("desk.bad_language", lang)
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: lang, Path: "/desk", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: respond.Secure(c)})
	c.Redirect(http.StatusSeeOther, localPath(c.Query("next")))
	return nil
}

// localPath keeps redirects inside the desk (no open redirect).
func localPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/desk") || strings.HasPrefix(next, "//") {
		return "/desk"
	}
	return u.RequestURI()
}
