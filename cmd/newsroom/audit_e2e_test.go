package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// TestAuditVerifyDetectsTampering is issue 13's "done when": `newsroom audit
// verify` holds on a fresh log, and after a row is changed by hand in the
// database (on PostgreSQL with the guard trigger bypassed, as a superuser
// could) it exits 1 naming that row.
func TestAuditVerifyDetectsTampering(t *testing.T) {
	t.Parallel()
	binary(t) // built before the commands' timeouts start
	for _, dialect := range testutil.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			url := testutil.EmptyDatabaseURL(t, dialect)
			if dialect == store.DialectSQLite {
				url = filepath.Join(t.TempDir(), "audit.db")
			}
			env := fastEnv(url)
			if out, err := run(t, env, "", "migrate", "up"); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, name := range []string{"an", "binh", "chi"} {
				if out, err := run(t, env, "", "user", "add", "--username", name, "--role", "editor"); err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
			}
			out, err := run(t, env, "", "audit", "verify")
			if err != nil || !regexp.MustCompile(`audit chain holds: [1-9]\d* rows`).MatchString(out) {
				t.Fatalf("verify on an untouched log: %v\n%s", err, out)
			}

			db, err := store.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			var id, seq int64
			if err := db.SQL.QueryRow(`SELECT id, seq FROM audit_events ORDER BY seq LIMIT 1 OFFSET 1`).Scan(&id, &seq); err != nil {
				t.Fatal(err)
			}
			tx, err := db.SQL.Begin()
			if err != nil {
				t.Fatal(err)
			}
			if dialect == store.DialectPostgres {
				if _, err := tx.Exec(`SET LOCAL session_replication_role = replica`); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := tx.Exec(fmt.Sprintf(`UPDATE audit_events SET actor_name = 'someone else' WHERE id = %d`, id)); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			_ = db.Close()

			out, err = run(t, env, "", "audit", "verify")
			want := fmt.Sprintf("id %d, seq %d, at ", id, seq)
			if err == nil || !strings.Contains(out, want) || !strings.Contains(out, "action ") {
				t.Fatalf("verify after a change by hand: exit %v, want 1 and %q:\n%s", err, want, out)
			}
		})
	}
}
