package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSearchReindexCommand: the command runs on a migrated database and is
// idempotent (the store test checks what it fills, on both databases).
func TestSearchReindexCommand(t *testing.T) {
	env := fastEnv(filepath.Join(t.TempDir(), "cli.db"))
	if out, err := run(t, env, "", "migrate", "up"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for i := 0; i < 2; i++ {
		out, err := run(t, env, "", "search", "reindex")
		if err != nil || !strings.Contains(out, "reindexed 0 stories") {
			t.Fatalf("run %d: %v\n%s", i, err, out)
		}
	}
	if out, err := run(t, env, "", "search", "reindex", "extra"); err == nil {
		t.Fatalf("extra argument accepted:\n%s", out)
	}
}
