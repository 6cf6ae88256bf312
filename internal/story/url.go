package story

import (
	"strings"
)

// ShortIDLen is how many hex characters of the story UUID a public URL carries:
// enough to find the story even after its slug changed.
const ShortIDLen = 8

// ShortID is the first ShortIDLen characters of the story id.
func ShortID(id string) string {
	if len(id) < ShortIDLen {
		return id
	}
	return id[:ShortIDLen]
}

// PublicPath is the canonical public URL path of a story:
// /{section-slug}/{story-slug}-{short-id}.html.
func PublicPath(sectionSlug, storySlug, id string) string {
	return "/" + sectionSlug + "/" + storySlug + "-" + ShortID(id) + ".html"
}

// ParseArticleName splits the last path segment of a public URL,
// "{story-slug}-{short-id}.html", into the slug and the short id. ok is false
// when the name does not have that shape (a lower-case hex short id).
func ParseArticleName(name string) (slug, shortID string, ok bool) {
	base, found := strings.CutSuffix(name, ".html")
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(base, '-')
	if i <= 0 {
		return "", "", false
	}
	slug, shortID = base[:i], base[i+1:]
	if len(shortID) != ShortIDLen {
		return "", "", false
	}
	for _, r := range shortID {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return "", "", false
		}
	}
	return slug, shortID, true
}
