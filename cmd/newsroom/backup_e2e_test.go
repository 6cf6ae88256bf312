package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// minioEnv points a newsroom process at bucket of the test MinIO.
func minioEnv(env []string, srv *testutil.MinIOServer, bucket string) []string {
	return append(env, "NEWSROOM_STORAGE_KIND=minio", "NEWSROOM_STORAGE_MINIO_ENDPOINT="+srv.Endpoint,
		"NEWSROOM_STORAGE_MINIO_BUCKET="+bucket, "NEWSROOM_STORAGE_MINIO_ACCESS_KEY="+srv.AccessKey,
		"NEWSROOM_STORAGE_MINIO_SECRET_KEY="+srv.SecretKey)
}

// tableHashes is every table's row count and a hash of its rows (each row
// its columns as text; rows sorted, so no primary key order is needed).
func tableHashes(t *testing.T, dbURL string) map[string]string {
	t.Helper()
	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if db.Dialect == store.DialectPostgres {
		q = `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`
	}
	var tables []string
	rows, err := db.SQL.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, tb := range tables {
		out[tb] = hashTable(t, db.SQL, tb)
	}
	return out
}

func hashTable(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		var b strings.Builder
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = hex.EncodeToString(bs)
			}
			fmt.Fprintf(&b, "%v\x1f", v)
		}
		lines = append(lines, b.String())
	}
	sort.Strings(lines)
	h := sha256.Sum256([]byte(strings.Join(lines, "\x1e")))
	return fmt.Sprintf("%d rows %x", len(lines), h[:8])
}

// objectSums is every object of bucket with the SHA-256 of its content.
func objectSums(t *testing.T, srv *testutil.MinIOServer, bucket string) map[string]string {
	t.Helper()
	c, err := minio.New(srv.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(srv.AccessKey, srv.SecretKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	out := map[string]string{}
	for o := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		obj, err := c.GetObject(ctx, bucket, o.Key, minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		if _, err := io.Copy(h, obj); err != nil {
			t.Fatal(err)
		}
		obj.Close()
		out[o.Key] = hex.EncodeToString(h.Sum(nil))
	}
	return out
}

// TestRestoreDrill is the restore drill of docs/operations.md: a newsroom
// with users, stories, revisions, an asset on MinIO and a target is backed
// up with the binary, restored into a fresh database and a fresh bucket,
// compared table by table and object by object, then started: a story is
// published on the restored copy.
func TestRestoreDrill(t *testing.T) {
	binary(t) // built before the commands' timeouts start
	minioSrv := testutil.StartMinIO(t)
	for _, dialect := range testutil.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			srcURL, dstURL := testutil.EmptyDatabaseURL(t, dialect), testutil.EmptyDatabaseURL(t, dialect)
			srcBucket, dstBucket := minioSrv.Bucket(t), minioSrv.Bucket(t)
			extra := []string{}
			if dialect == store.DialectPostgres {
				// SQLite keeps its key file next to the database: the backup must carry it.
				extra = append(extra, "NEWSROOM_DISTRIBUTION_SECRET_KEY="+testutil.TestSecretKey)
			}
			srcEnv := append(minioEnv(fastEnv(srcURL), minioSrv, srcBucket), extra...)
			dstEnv := append(minioEnv(fastEnv(dstURL), minioSrv, dstBucket), extra...)

			srv := startServer(t, srcEnv, "--demo")
			newSecretTarget(srv.demoLogin(t, "quantri"), 201)
			rep := srv.demoLogin(t, "phongvien")
			rep.upload("anh-bia.jpg", "image/jpeg", coverJPEG(t))
			st := rep.must(201, "POST", "/api/v1/stories", map[string]any{"section_id": rep.sectionID("Xã hội"),
				"headline": "Bài có ảnh trước khi sao lưu", "body": "<p>Nội dung</p>"}, nil)
			approve(st["id"].(string), rep, srv.demoLogin(t, "bientap"))
			srv.stop(t)

			// The source as backed up: the backup itself adds its run and audit entry after the snapshot.
			want := tableHashes(t, srcURL)
			dir := t.TempDir()
			start := time.Now()
			out, err := run(t, srcEnv, "", "backup", "--to", dir)
			if err != nil {
				t.Fatalf("backup: %v\n%s", err, out)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			path := lines[len(lines)-1]
			if !strings.HasPrefix(path, filepath.Join(dir, "newsroom-")) {
				t.Fatalf("backup must print its path: %s", out)
			}
			if out, err := run(t, srcEnv, "", "backup", "verify", path); err != nil || !strings.Contains(out, "backup verified: ") {
				t.Fatalf("verify: %v\n%s", err, out)
			}
			if out, err := run(t, dstEnv, "", "restore", "--from", path); err != nil {
				t.Fatalf("restore: %v\n%s", err, out)
			}
			t.Logf("backup, verify and restore took %s", time.Since(start))

			got := tableHashes(t, dstURL)
			if len(want) < 20 || want["users"] == "0 rows" {
				t.Fatalf("the source has too little to compare: %v", want)
			}
			for tb, h := range want {
				if got[tb] != h {
					t.Errorf("table %s: restored %q, source %q", tb, got[tb], h)
				}
			}
			if len(got) != len(want) {
				t.Errorf("tables: restored %d, source %d", len(got), len(want))
			}
			wantObj, gotObj := objectSums(t, minioSrv, srcBucket), objectSums(t, minioSrv, dstBucket)
			if len(wantObj) == 0 || fmt.Sprint(wantObj) != fmt.Sprint(gotObj) {
				t.Fatalf("objects: restored %v, source %v", gotObj, wantObj)
			}

			if dialect == store.DialectSQLite {
				// The key sealing the target's secret came with the database.
				src, _ := os.ReadFile(filepath.Join(filepath.Dir(srcURL), "distribution.key"))
				dst, err := os.ReadFile(filepath.Join(filepath.Dir(dstURL), "distribution.key"))
				if err != nil || len(src) == 0 || string(src) != string(dst) {
					t.Fatalf("distribution.key not restored: %v", err)
				}
			}
			// The same layout in a bucket (s3://, with the storage.minio credentials).
			out, err = run(t, srcEnv, "", "backup", "--to", "s3://"+minioSrv.Bucket(t)+"/daily")
			s3Path := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
			if err != nil || !strings.HasPrefix(s3Path, "s3://") {
				t.Fatalf("backup to s3: %v\n%s", err, out)
			}
			if out, err := run(t, srcEnv, "", "backup", "verify", s3Path); err != nil || !strings.Contains(out, "backup verified: "+s3Path) {
				t.Fatalf("verify s3: %v\n%s", err, out)
			}
			// The restored copy serves: log in and publish.
			restored := startServer(t, dstEnv)
			eic := login(t, restored.base, "tongbientap", srv.demoPassword(t, "tongbientap"))
			if s := eic.transition(st["id"].(string), "publish"); s["state"] != "published" {
				t.Fatalf("publish on the restored copy: %v", s)
			}
			if code, _ := getPublic(t, restored.base+"/"); code != 200 {
				t.Fatalf("restored home page: %d", code)
			}
			restored.stop(t)
		})
	}
}

// TestBackupChecksAndRefusals: verify names a corrupted file (exit 1), a
// second backup copies no object again and backup.keep prunes, restore
// refuses a database with accounts, and on PostgreSQL a missing pg_dump is
// named.
func TestBackupChecksAndRefusals(t *testing.T) {
	binary(t)
	dbURL := filepath.Join(t.TempDir(), "data", "newsroom.db")
	mediaDir := filepath.Join(t.TempDir(), "media")
	env := append(fastEnv(dbURL), "NEWSROOM_STORAGE_LOCAL_DIR="+mediaDir, "NEWSROOM_BACKUP_KEEP=1")
	if out, err := run(t, env, "", "backup", "--to", t.TempDir()); err == nil || !strings.Contains(out, "never been set up") {
		t.Fatalf("backup of a database never set up: %v\n%s", err, out)
	}
	if out, err := run(t, env, "", "migrate", "up"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if out, err := run(t, env, "Mật khẩu đủ dài số 1\n", "user", "add", "--username", "lan", "--role", "reporter", "--password-stdin"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	media := filepath.Join(mediaDir, "originals")
	_ = os.MkdirAll(media, 0o750)
	_ = os.WriteFile(filepath.Join(media, "a.jpg"), coverJPEG(t), 0o640)
	dir := t.TempDir()
	var paths []string
	for range 2 {
		out, err := run(t, env, "", "backup", "--to", dir)
		if err != nil {
			t.Fatalf("backup: %v\n%s", err, out)
		}
		paths = append(paths, strings.TrimSpace(out))
	}
	entries, _ := filepath.Glob(filepath.Join(dir, "newsroom-*"))
	pool, _ := filepath.Glob(filepath.Join(dir, "objects", "*", "*"))
	if !slices.Equal(entries, paths[1:]) || len(pool) != 1 {
		t.Fatalf("backup.keep=1 keeps the newest backup and its one object: %v %v (took %v)", entries, pool, paths)
	}
	raw, _ := os.ReadFile(filepath.Join(paths[1], "manifest.json"))
	if !strings.Contains(string(raw), `"key": "originals/a.jpg"`) || !strings.Contains(string(raw), `"schema_version": 19`) {
		t.Fatalf("manifest: %s", raw)
	}

	// A database with accounts is not restored over.
	out, err := run(t, env, "", "restore", "--from", paths[1])
	if err == nil || !strings.Contains(out, "not empty (table users has 1 row(s))") {
		t.Fatalf("restore over a database in use: %v\n%s", err, out)
	}

	f, _ := os.OpenFile(filepath.Join(paths[1], "db.sqlite"), os.O_WRONLY, 0)
	_, _ = f.WriteAt([]byte("hỏng"), 4096)
	f.Close()
	out, err = run(t, env, "", "backup", "verify", paths[1])
	if code := exitCode(err); code != 1 || !strings.Contains(out, filepath.Join(paths[1], "db.sqlite")+": checksum mismatch") {
		t.Fatalf("verify of a corrupted backup: exit %d\n%s", code, out)
	}
	clean := append(fastEnv(filepath.Join(t.TempDir(), "restored.db")), "NEWSROOM_STORAGE_LOCAL_DIR="+t.TempDir())
	if out, err := run(t, clean, "", "restore", "--from", paths[1]); err == nil || !strings.Contains(out, "nothing was restored") {
		t.Fatalf("restore of a corrupted backup: %v\n%s", err, out)
	}

	if !slices.Contains(testutil.Dialects(), store.DialectPostgres) {
		return
	}
	pgEnv := fastEnv(testutil.EmptyDatabaseURL(t, store.DialectPostgres))
	if out, err := run(t, pgEnv, "", "migrate", "up"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var noPG []string
	for _, kv := range pgEnv {
		if !strings.HasPrefix(kv, "PATH=") {
			noPG = append(noPG, kv)
		}
	}
	noPG = append(noPG, "PATH="+t.TempDir())
	out, err = run(t, noPG, "", "backup", "--to", t.TempDir())
	if err == nil || !strings.Contains(out, "pg_dump not found on PATH") {
		t.Fatalf("backup without pg_dump: %v\n%s", err, out)
	}
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err == nil {
		return 0
	}
	return -1
}
