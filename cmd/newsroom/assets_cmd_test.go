package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/blob"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// TestAssetsCheckCommand runs `newsroom assets check [--fix]` on both storage backends.
func TestAssetsCheckCommand(t *testing.T) {
	for _, kind := range []string{"local", "minio"} {
		t.Run(kind, func(t *testing.T) {
			env := fastEnv(filepath.Join(t.TempDir(), "cli.db"))
			var store asset.BlobStore
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			if kind == "local" {
				dir := t.TempDir()
				env = append(env, "NEWSROOM_STORAGE_LOCAL_DIR="+dir)
				l, err := blob.NewLocal(dir)
				if err != nil {
					t.Fatal(err)
				}
				store = l
			} else {
				srv := testutil.StartMinIO(t)
				bucket := srv.Bucket(t)
				env = append(env, "NEWSROOM_STORAGE_KIND=minio", "NEWSROOM_STORAGE_MINIO_ENDPOINT="+srv.Endpoint, "NEWSROOM_STORAGE_MINIO_BUCKET="+bucket,
					"NEWSROOM_STORAGE_MINIO_ACCESS_KEY="+srv.AccessKey, "NEWSROOM_STORAGE_MINIO_SECRET_KEY="+srv.SecretKey)
				m, err := blob.NewMinIO(ctx, blob.MinIOConfig{Endpoint: srv.Endpoint, Bucket: bucket, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey})
				if err != nil {
					t.Fatal(err)
				}
				store = m
			}
			if out, err := run(t, env, "", "migrate", "up"); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if out, err := run(t, env, "", "assets", "check"); err != nil || !strings.Contains(out, "objects without records): 0") {
				t.Fatalf("clean check: %v\n%s", err, out)
			}
			orphan := asset.ContentKey(strings.Repeat("cd", 32))
			if _, err := store.Put(ctx, orphan, bytes.NewReader([]byte("%PDF-1.7 orphan")), "application/pdf"); err != nil {
				t.Fatal(err)
			}
			out, err := run(t, env, "", "assets", "check")
			if err == nil || !strings.Contains(out, orphan) || !strings.Contains(out, "1 problem(s) remain") {
				t.Fatalf("check with an orphan must fail naming it: %v\n%s", err, out)
			}
			if _, err := store.Stat(ctx, orphan); err != nil {
				t.Fatalf("check without --fix removed the object: %v", err)
			}
			if out, err := run(t, env, "", "assets", "check", "--fix"); err != nil || !strings.Contains(out, "removed): 1 object(s)") {
				t.Fatalf("fix: %v\n%s", err, out)
			}
			if keys, _ := store.List(ctx, ""); len(keys) != 0 {
				t.Fatalf("left after --fix: %v", keys)
			}
			if out, err := run(t, env, "", "assets", "check", "--json"); err != nil || !strings.Contains(out, `"orphan_objects": []`) {
				t.Fatalf("json: %v\n%s", err, out)
			}
		})
	}
}
