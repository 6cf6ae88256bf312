package respond

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// Lang is the language of an API answer (JSON API, content API): "vi" when
// the request's Accept-Language prefers Vietnamese to English, "en"
// otherwise. English is the default because the API's clients are programs
// and partners; the desk and the public site choose their own language.
func Lang(c *gin.Context) string {
	best, bestQ := "en", -1.0
	for _, part := range strings.Split(c.GetHeader("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if (primary == "vi" || primary == "en") && q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}
