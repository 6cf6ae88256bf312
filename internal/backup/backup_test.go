package backup_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/jobs"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// TestScheduledBackup: the backup job of the job queue writes a backup into
// backup.to, records the run (LastSuccess) and audits backup.created; a run
// into an unusable destination is recorded and audited as backup.failed.
func TestScheduledBackup(t *testing.T) {
	dir := t.TempDir()
	testutil.ForEachApp(t, func(t *testing.T, a *testutil.App) {
		ctx := context.Background()
		if a.Backup.Interval() != time.Hour {
			t.Fatalf("Interval: %s", a.Backup.Interval())
		}
		if at, p, err := a.Backup.LastSuccess(ctx); err != nil || !at.IsZero() || p != "" {
			t.Fatalf("LastSuccess before any backup: %v %q %v", at, p, err)
		}
		if _, err := a.Queue.River().Insert(ctx, jobs.BackupArgs{}, nil); err != nil {
			t.Fatal(err)
		}
		var at time.Time
		var path string
		testutil.Eventually(t, 60*time.Second, "the scheduled backup", func() bool {
			at, path, _ = a.Backup.LastSuccess(ctx)
			return !at.IsZero()
		})
		if !strings.HasPrefix(path, filepath.Join(dir, "newsroom-")) {
			t.Fatalf("path %q", path)
		}
		if _, err := a.Backup.Verify(ctx, path); err != nil {
			t.Fatal(err)
		}
		var evs []audit.Event
		testutil.Eventually(t, 10*time.Second, "the audit entry backup.created", func() bool {
			evs, _ = a.AuditLog.FindEvents(ctx, audit.Filter{Action: "backup.created"})
			return len(evs) > 0
		})
		if len(evs) != 1 || evs[0].ActorName != "system" || evs[0].Details["path"] != path {
			t.Fatalf("audit backup.created: %v", evs)
		}

		// A destination that cannot be written: recorded and audited as failed.
		blocked := filepath.Join(t.TempDir(), "file")
		_ = os.WriteFile(blocked, nil, 0o600)
		if _, err := a.Backup.Backup(ctx, blocked); err == nil {
			t.Fatal("a backup into a file must fail")
		}
		evs, _ = a.AuditLog.FindEvents(ctx, audit.Filter{Action: "backup.failed"})
		if len(evs) != 1 || !strings.Contains(evs[0].Details["error"].(string), blocked) {
			t.Fatalf("audit backup.failed: %v", evs)
		}
		if at2, path2, _ := a.Backup.LastSuccess(ctx); !at2.Equal(at) || path2 != path {
			t.Fatalf("a failed run is not the last success: %v %q", at2, path2)
		}
	}, testutil.Started(), testutil.WithConfig(func(c *config.Config) {
		c.Backup = config.Backup{Interval: time.Hour, To: dir, Keep: 0}
	}))
}
