// Package assets carries the templates and static files embedded in the
// binary (//go:embed cannot reach parent folders, hence this tiny package).
package assets

import "embed"

// FS holds templates/ (layout, partials, desk, site), static/ (css, images,
// vendored js) and i18n/ (the desk's message catalogues, one JSON per language).
//
//go:embed templates static i18n
var FS embed.FS
