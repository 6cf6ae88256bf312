package story

import "github.com/newsroom-vn/newsroom/internal/textvi"

// fixLegacy converts text pasted in a pre-Unicode Vietnamese encoding
// (TCVN3/ABC or VNI-Windows, from old documents and archives) to Unicode,
// but only when textvi.DetectLegacy is confident; anything else is returned
// unchanged.
func fixLegacy(s string) string {
	out, _ := textvi.ConvertLegacy(s)
	return out
}
