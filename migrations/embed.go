// Package migrations embeds the database schema migrations, one folder per
// dialect (postgres, sqlite), in goose's annotated SQL format. The files are
// append-only: never edit a migration that has landed, add the next number.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql; internal/store hands the
// sub-folder of the open database's dialect to goose.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
