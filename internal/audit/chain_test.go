package audit_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

func TestMain(m *testing.M) { testutil.Main(m) }

var chainAdmin = user.Actor{UserID: "u-admin", Username: "quantri", Role: user.RoleAdmin, IP: "10.0.0.9"}

// record appends n events dated from at on, one minute apart.
func record(t *testing.T, a *testutil.App, at time.Time, n int, action string) []audit.Event {
	t.Helper()
	var out []audit.Event
	for i := range n {
		e := audit.Event{At: at.Add(time.Duration(i) * time.Minute), Action: action, TargetType: "user", TargetID: fmt.Sprint(i),
			Details: map[string]any{"n": i, "tên": "Nguyễn Văn Ánh", "big": 1e21, "nested": map[string]any{"z": true, "a": []any{"x", 2.5}}}}
		if err := a.DB.InTx(context.Background(), func(ctx context.Context) error {
			return audit.Record(ctx, a.AuditLog, chainAdmin, e)
		}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := a.AuditLog.FindEvents(context.Background(), audit.Filter{Limit: n})
	if err != nil {
		t.Fatal(err)
	}
	return append(out, got...)
}

func mustHold(t *testing.T, a *testutil.App, wantRows int) {
	t.Helper()
	rows, broken, err := a.Audit.Verify(context.Background())
	if err != nil || broken != "" || (wantRows >= 0 && rows != wantRows) {
		t.Fatalf("verify: %d rows, broken %q, err %v; want %d rows holding", rows, broken, err, wantRows)
	}
}

// tamper runs sql with the guard trigger bypassed on PostgreSQL (as a superuser could).
func tamper(t *testing.T, db *store.DB, sql string) {
	t.Helper()
	tx, err := db.SQL.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if db.Dialect == store.DialectPostgres {
		if _, err := tx.Exec(`SET LOCAL session_replication_role = replica`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Exec(sql); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestChainOnAppend: each append gets the next seq and the hash over the
// previous one; the chain verifies; a change by hand names that row.
func TestChainOnAppend(t *testing.T) {
	testutil.ForEachApp(t, func(t *testing.T, a *testutil.App) {
		ctx := context.Background()
		start, _ := a.AuditLog.(audit.ChainStore).ChainHead(ctx)
		evs := record(t, a, time.Now().Add(-time.Hour), 6, "user.update")
		mustHold(t, a, int(start.Seq)+6)
		prev := ""
		for i := len(evs) - 1; i >= 0; i-- { // oldest first
			e := evs[i]
			if e.Seq != start.Seq+int64(len(evs)-i) || len(e.Hash) != 64 {
				t.Fatalf("event %d: seq %d hash %q", e.ID, e.Seq, e.Hash)
			}
			if prev != "" {
				if h, _ := e.ChainHash(prev); h != e.Hash {
					t.Fatalf("event %d: hash %s, recomputed %s over the previous", e.ID, e.Hash, h)
				}
			}
			prev = e.Hash
		}
		victim := evs[2]
		tamper(t, a.DB, fmt.Sprintf(`UPDATE audit_events SET details = '{"n": 99}' WHERE id = %d`, victim.ID))
		_, broken, err := a.Audit.Verify(ctx)
		if err != nil || !strings.HasPrefix(broken, fmt.Sprintf("id %d, seq %d, at ", victim.ID, victim.Seq)) || !strings.Contains(broken, "action user.update") {
			t.Fatalf("verify after tampering: %q, %v", broken, err)
		}
	})
}

// TestChainDeletedRows: a row deleted in the middle, or the newest rows, break the chain.
func TestChainDeletedRows(t *testing.T) {
	testutil.ForEachApp(t, func(t *testing.T, a *testutil.App) {
		evs := record(t, a, time.Now().Add(-time.Hour), 5, "user.create")
		tamper(t, a.DB, fmt.Sprintf(`DELETE FROM audit_events WHERE id = %d`, evs[0].ID)) // the newest
		_, broken, _ := a.Audit.Verify(context.Background())
		if !strings.Contains(broken, fmt.Sprintf("seq %d", evs[1].Seq)) || !strings.Contains(broken, "missing") {
			t.Fatalf("newest row deleted: %q", broken)
		}
		tamper(t, a.DB, fmt.Sprintf(`DELETE FROM audit_events WHERE id = %d`, evs[2].ID))
		_, broken, _ = a.Audit.Verify(context.Background())
		if !strings.HasPrefix(broken, fmt.Sprintf("id %d, seq %d", evs[1].ID, evs[1].Seq)) {
			t.Fatalf("middle row deleted: %q", broken)
		}
	})
}

// TestChainGuardTrigger: on PostgreSQL no UPDATE of an audit row passes, nor
// a DELETE of a row that is recent or not exported, nor TRUNCATE.
func TestChainGuardTrigger(t *testing.T) {
	a := testutil.NewApp(t, store.DialectPostgres)
	evs := record(t, a, time.Now().Add(-400*24*time.Hour), 2, "user.create")
	recent := record(t, a, time.Now(), 1, "user.create")
	for _, q := range []string{
		fmt.Sprintf(`UPDATE audit_events SET action = 'x' WHERE id = %d`, evs[0].ID),
		fmt.Sprintf(`UPDATE audit_events SET hash = NULL WHERE id = %d`, evs[0].ID),
		fmt.Sprintf(`DELETE FROM audit_events WHERE id = %d`, recent[0].ID),
		fmt.Sprintf(`DELETE FROM audit_events WHERE id = %d`, evs[1].ID), // old, but not exported
		`TRUNCATE audit_events`,
		`INSERT INTO audit_exports (seq_from, seq_to, row_count, prev_hash, last_hash, object_key, sha256, size_bytes, exported_at)
		 VALUES (1, 1, 1, '', '', 'k', '', 0, now())`,
	} {
		_, err := a.DB.SQL.Exec(q)
		if strings.HasPrefix(q, "INSERT") {
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.DB.SQL.Exec(`DELETE FROM audit_exports`); err == nil {
				t.Fatal("an export record was deleted")
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "audit_events") {
			t.Fatalf("%s: want the trigger's refusal, got %v", q, err)
		}
	}
	mustHold(t, a, -1)
}

// TestChainConcurrentAppends: two processes appending at once on one
// database keep one chain (no fork, no gap).
func TestChainConcurrentAppends(t *testing.T) {
	testutil.ForEachApp(t, func(t *testing.T, a *testutil.App) {
		other := a.OtherProcess()
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		for _, p := range []*testutil.App{a, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 20 {
					if err := p.DB.InTx(context.Background(), func(ctx context.Context) error {
						return audit.Record(ctx, p.AuditLog, chainAdmin, audit.Event{Action: "user.update", TargetID: fmt.Sprint(i)})
					}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		rows, broken, err := other.Audit.Verify(context.Background())
		if err != nil || broken != "" || rows < 40 {
			t.Fatalf("verify: %d rows, %q, %v", rows, broken, err)
		}
	})
}

// TestRetentionExport: the retention job exports the rows older than
// audit.retention to MinIO as gzip JSON Lines (checksum recorded), deletes
// them (the PostgreSQL trigger lets exported old rows go), and the chain
// still verifies from the export's anchor.
func TestRetentionExport(t *testing.T) {
	for _, kind := range []string{"minio", "local"} {
		for _, dialect := range testutil.Dialects() {
			t.Run(kind+"/"+dialect, func(t *testing.T) { testRetentionExport(t, kind, dialect) })
		}
	}
}

func testRetentionExport(t *testing.T, kind, dialect string) {
	a := testutil.NewApp(t, dialect, testutil.WithConfig(func(c *config.Config) {
		if kind == "minio" {
			srv := testutil.StartMinIO(t)
			c.Storage.Kind = "minio"
			c.Storage.MinIO = config.StorageMinIO{Endpoint: srv.Endpoint, Bucket: srv.Bucket(t), AccessKey: srv.AccessKey, SecretKey: srv.SecretKey}
		}
		c.Audit.Retention = 100 * 24 * time.Hour
	}))
	ctx := context.Background()
	if at, err := a.Audit.LastExport(ctx); err != nil || !at.IsZero() {
		t.Fatalf("LastExport before any: %v %v", at, err)
	}
	old := record(t, a, time.Now().Add(-200*24*time.Hour), 4, "user.create")
	record(t, a, time.Now().Add(-10*24*time.Hour), 3, "user.update")
	head, _ := a.AuditLog.(audit.ChainStore).ChainHead(ctx)
	n, err := a.AuditArchive.ExportExpired(ctx)
	if err != nil || n < 4 {
		t.Fatalf("export: %d rows, %v", n, err)
	}
	x, err := a.AuditLog.(audit.ChainStore).LastExport(ctx)
	if err != nil || x == nil || x.SeqTo != old[0].Seq || x.LastHash != old[0].Hash {
		t.Fatalf("export record %+v, %v; want up to seq %d", x, err, old[0].Seq)
	}
	if want := audit.ExportKey(time.Now().Add(-200*24*time.Hour), x.SeqFrom, x.SeqTo); !strings.HasPrefix(x.ObjectKey, "audit/") || x.ObjectKey[:14] != want[:14] {
		t.Fatalf("object key %q, want like %q", x.ObjectKey, want)
	}
	obj, _, err := a.Assets.Blobs().Get(ctx, x.ObjectKey)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(obj)
	obj.Close()
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != x.SHA256 {
		t.Fatal("the object's checksum is not the recorded one")
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	lines := strings.Split(strings.TrimSpace(string(plain)), "\n")
	if len(lines) != x.Rows {
		t.Fatalf("%d lines, %d rows recorded", len(lines), x.Rows)
	}
	var last audit.Event
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil || last.Hash != x.LastHash {
		t.Fatalf("last line %+v, %v", last, err)
	}
	left, _ := a.AuditLog.FindEvents(ctx, audit.Filter{})
	for _, e := range left {
		if e.Seq <= x.SeqTo {
			t.Fatalf("row seq %d still there after the export", e.Seq)
		}
	}
	if left[0].Action != "audit.pruned" || left[0].Seq != head.Seq+1 {
		t.Fatalf("the pruning is not audited: %+v", left[0])
	}
	mustHold(t, a, len(left))
	if at, err := a.Audit.LastExport(ctx); err != nil || time.Since(at) > time.Minute {
		t.Fatalf("LastExport: %v %v", at, err)
	}
	if a.Audit.Retention() != 100*24*time.Hour {
		t.Fatalf("Retention: %v", a.Audit.Retention())
	}
	if n, err := a.AuditArchive.ExportExpired(ctx); n != 0 || err != nil {
		t.Fatalf("a second run exported %d rows, %v", n, err)
	}
}

// TestSecurityEventsAudited lists the security-relevant events of issue 13
// and drives each through its service: every one leaves its audit record
// (in the chain). Settings have no runtime change (they are the
// configuration file), MFA is another change's.
func TestSecurityEventsAudited(t *testing.T) {
	testutil.ForEachApp(t, func(t *testing.T, a *testutil.App) {
		ctx := context.Background()
		const pw = "một mật khẩu đủ dài 1"
		admin := a.Member("quantri", user.RoleAdmin, pw)
		ed := a.Member("bientap", user.RoleEditor, pw)
		res, err := a.Users.Login(ctx, "quantri", pw, "10.1.1.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = a.Users.Login(ctx, "quantri", "sai mật khẩu rồi", "10.1.1.1", "test")
		auth, err := a.Users.Authenticate(ctx, res.Token, "10.1.1.1")
		if err != nil {
			t.Fatal(err)
		}
		tok, _, err := a.Users.CreateAPIToken(ctx, auth, user.NewAPIToken{Name: "ci", Scopes: []string{user.ScopeRead}})
		if err != nil {
			t.Fatal(err)
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(a.Users.RevokeAPIToken(ctx, auth, tok.ID))
		role := string(user.RoleManagingEditor)
		_, err = a.Users.UpdateUser(ctx, admin, ed.UserID, user.UserUpdate{Role: &role})
		must(err)
		must(a.Users.ChangePassword(ctx, auth, pw, "mật khẩu mới cũng đủ dài 2"))
		name, kind, url := "Báo Mới", "webhook", "https://hooks.example.com/x"
		tg, err := a.Distribution.CreateTarget(ctx, admin, distribution.TargetInput{Name: &name, Kind: &kind, URL: &url})
		must(err)
		name2 := "Báo Mới 2"
		_, err = a.Distribution.UpdateTarget(ctx, admin, tg.ID, distribution.TargetInput{Name: &name2})
		must(err)
		must(a.Distribution.DeleteTarget(ctx, admin, tg.ID))
		k, _, err := a.Partners.CreateKey(ctx, admin, partner.NewKey{Name: "đối tác"})
		must(err)
		must(a.Partners.RevokeKey(ctx, admin, k.ID))
		as, err := a.Assets.Upload(ctx, ed, asset.Upload{Filename: "anh.jpg"}, bytes.NewReader(testutil.JPEG(t, 64, 48)))
		must(err)
		must(a.Assets.DeleteAsset(ctx, ed, as.ID))
		auth2, err := a.Users.Authenticate(ctx, res.Token, "10.1.1.1")
		if err == nil {
			must(a.Users.Logout(ctx, auth2))
		} else { // the password change ended the session: log in again to log out
			res2, err := a.Users.Login(ctx, "quantri", "mật khẩu mới cũng đủ dài 2", "10.1.1.1", "test")
			must(err)
			auth2, err = a.Users.Authenticate(ctx, res2.Token, "10.1.1.1")
			must(err)
			must(a.Users.Logout(ctx, auth2))
		}

		events, err := a.AuditLog.FindEvents(ctx, audit.Filter{})
		must(err)
		got := map[string]bool{}
		for _, e := range events {
			got[e.Action] = true
		}
		for _, want := range []string{"auth.login", "auth.login_failed", "auth.logout", "user.password_change", "user.update",
			"user.create", "token.create", "token.revoke", "distribution.target.create", "distribution.target.update",
			"distribution.target.delete", "partner_key.create", "partner_key.revoke", "asset.upload", "asset.delete"} {
			if !got[want] {
				t.Errorf("%s is not audited", want)
			}
		}
		mustHold(t, a, -1)
	})
}

// TestRetentionJob: the River periodic job runs at start in a serving
// process and exports the expired rows; the chain still holds.
func TestRetentionJob(t *testing.T) {
	testutil.ForEachApp(t, func(t *testing.T, a *testutil.App) {
		record(t, a, time.Now().Add(-400*24*time.Hour), 3, "user.create")
		served := testutil.NewAppOn(t, a.DB, testutil.Started())
		testutil.Eventually(t, 60*time.Second, "the retention job's export", func() bool {
			at, err := served.Audit.LastExport(context.Background())
			return err == nil && !at.IsZero()
		})
		mustHold(t, a, -1)
	})
}

// TestChainSealsOldRows: rows from before the chain (no hash, numbered by
// the migration) are sealed once, by the first verify or append, and hold.
func TestChainSealsOldRows(t *testing.T) {
	testutil.ForEachApp(t, func(t *testing.T, a *testutil.App) {
		evs := record(t, a, time.Now().Add(-time.Hour), 4, "story.create")
		// As migration 00018 leaves an upgraded database.
		tamper(t, a.DB, `UPDATE audit_events SET hash = NULL`)
		tamper(t, a.DB, fmt.Sprintf(`UPDATE audit_chain SET hash = '', legacy_to = %d, seq = %d`, evs[0].Seq, evs[0].Seq))
		mustHold(t, a, int(evs[0].Seq))
		record(t, a, time.Now(), 1, "story.update")
		mustHold(t, a, int(evs[0].Seq)+1)
		tamper(t, a.DB, fmt.Sprintf(`UPDATE audit_events SET hash = NULL WHERE id = %d`, evs[1].ID))
		if _, broken, _ := a.Audit.Verify(context.Background()); !strings.Contains(broken, "no chain hash") {
			t.Fatalf("a hash removed after the seal: %q", broken)
		}
	})
}
