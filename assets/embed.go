// Package assets carries the templates and static files embedded in the
// binary (//go:embed cannot reach parent folders, hence this tiny package).
package assets

import "embed"

// FS holds templates/ (layout, partials, desk, site) and static/ (css, images).
//
//go:embed templates static
var FS embed.FS
