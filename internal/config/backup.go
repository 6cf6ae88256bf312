package config

import (
	"fmt"
	"strings"
	"time"
)

// Backup is the scheduled backup (docs/operations.md#backup-and-restore).
type Backup struct {
	// Interval is how often a backup is taken by the job queue; 0: never.
	Interval time.Duration `koanf:"interval"`
	// To is where: a folder, or s3://bucket/prefix on the storage.minio server.
	To string `koanf:"to"`
	// Keep is how many backups a destination keeps (0: all of them).
	Keep int `koanf:"keep"`
}

func defaultBackup() Backup { return Backup{Keep: 7} }

func (b Backup) validate() []error {
	var errs []error
	if b.Interval < 0 || b.Interval > 0 && b.Interval < time.Minute {
		errs = append(errs, fmt.Errorf("backup.interval must be 0 (off) or at least 1m, got %s", b.Interval))
	}
	if b.Interval > 0 && strings.TrimSpace(b.To) == "" {
		errs = append(errs, fmt.Errorf("backup.interval is set but backup.to is empty: give a folder or s3://bucket/prefix (NEWSROOM_BACKUP_TO)"))
	}
	if b.Keep < 0 {
		errs = append(errs, fmt.Errorf("backup.keep must be 0 (keep all) or more, got %d", b.Keep))
	}
	return errs
}
