package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

const keyTestSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func newSecretTarget(admin *client, want int) {
	admin.must(want, "POST", "/api/v1/targets", map[string]any{"name": "Báo Mới", "kind": "webhook",
		"url": "https://hooks.example.com/newsroom", "secret": keyTestSecret}, nil)
}

// TestKeyFileOnFirstStart starts the embedded default without
// distribution.secret_key: the first start creates data/distribution.key
// (0600) and says so, a webhook target with a secret can be created, a
// second start reuses the key (the sealed secret opens with it), and a key
// file others may read stops the server.
func TestKeyFileOnFirstStart(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "data", "newsroom.db")
	keyPath := filepath.Join(filepath.Dir(dbPath), distribution.KeyFileName)
	env := fastEnv(dbPath)

	srv := startServer(t, env, "--demo")
	fi, err := os.Stat(keyPath)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file after first start: %v, %v (want permissions 0600)\n%s", fi, err, srv.stderr.String())
	}
	if out := srv.output(); !strings.Contains(out, keyPath) || !strings.Contains(out, "Back this file up") || !strings.Contains(out, "Sao lưu tệp này") {
		t.Fatalf("first start does not tell the operator to back the key file up:\n%s", out)
	}
	newSecretTarget(srv.demoLogin(t, "quantri"), 201)
	srv.stop(t)
	key, _ := os.ReadFile(keyPath)

	srv = startServer(t, env)
	if strings.Contains(srv.output(), keyPath) {
		t.Fatalf("second start announces a new key:\n%s", srv.output())
	}
	srv.stop(t)
	if again, _ := os.ReadFile(keyPath); string(again) != string(key) {
		t.Fatal("the second start changed the key file")
	}
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	var sealed string
	err = db.SQL.QueryRow(`SELECT secret_enc FROM distribution_targets WHERE name = 'Báo Mới'`).Scan(&sealed)
	_ = db.Close()
	if err != nil {
		t.Fatal(err)
	}
	sealer, _, err := distribution.LoadOrCreateKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := sealer.Open(sealed); err != nil || got != keyTestSecret {
		t.Fatalf("the stored secret does not open with the key file: %q, %v", got, err)
	}

	if err := os.Chmod(keyPath, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, env, "", "serve", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(out, "chmod 600 "+keyPath) {
		t.Fatalf("a world-readable key file must stop the server: %v\n%s", err, out)
	}
}

// TestExplicitKeyCreatesNoFile: distribution.secret_key wins and no key
// file is written; on PostgreSQL an unset key creates no file either (its
// processes must share one key) and a target with a secret is refused.
func TestExplicitKeyCreatesNoFile(t *testing.T) {
	t.Parallel()
	for _, dialect := range testutil.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			url := testutil.EmptyDatabaseURL(t, dialect)
			if dialect == store.DialectSQLite {
				url = filepath.Join(t.TempDir(), "data", "newsroom.db")
			}
			env := fastEnv(url)
			want := 400
			if dialect == store.DialectSQLite {
				env, want = append(env, "NEWSROOM_DISTRIBUTION_SECRET_KEY="+testutil.TestSecretKey), 201
			}
			srv := startServer(t, env, "--demo")
			newSecretTarget(srv.demoLogin(t, "quantri"), want)
			srv.stop(t)
			if strings.Contains(srv.output(), distribution.KeyFileName) {
				t.Fatalf("a key file was announced:\n%s", srv.output())
			}
			for _, dir := range []string{filepath.Dir(url), srv.cmd.Dir, filepath.Join(srv.cmd.Dir, "data")} {
				if _, err := os.Stat(filepath.Join(dir, distribution.KeyFileName)); err == nil {
					t.Fatalf("a key file was created in %s", dir)
				}
			}
		})
	}
}
