package store

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/newsroom-vn/newsroom/internal/backup"
)

// backupRunRepo is the backup.Runs on a DB (table backups).
type backupRunRepo struct{ db *DB }

// NewBackupRunRepository returns the record of backup runs backed by db.
func NewBackupRunRepository(db *DB) backup.Runs { return &backupRunRepo{db: db} }

type backupRunRow struct {
	ID         int64 `gorm:"primaryKey;autoIncrement"`
	StartedAt  dbTime
	FinishedAt dbTime
	Path       string
	OK         bool `gorm:"column:ok"`
	Error      string
	Bytes      int64
}

func (backupRunRow) TableName() string { return "backups" }

// RecordRun stores the run and sets r.ID.
func (r *backupRunRepo) RecordRun(ctx context.Context, run *backup.Run) error {
	row := backupRunRow{StartedAt: toDB(run.StartedAt), FinishedAt: toDB(run.FinishedAt), Path: run.Path, OK: run.OK,
		Error: run.Error, Bytes: run.Bytes}
	if err := r.db.conn(ctx).Create(&row).Error; err != nil {
		return wrap(err, "record backup run")
	}
	run.ID = row.ID
	return nil
}

// LastSuccess is the latest successful run, or nil when there is none.
func (r *backupRunRepo) LastSuccess(ctx context.Context) (*backup.Run, error) {
	var row backupRunRow
	err := r.db.conn(ctx).Where("ok = ?", true).Order("finished_at DESC, id DESC").Limit(1).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(err, "find the last successful backup")
	}
	return &backup.Run{ID: row.ID, StartedAt: row.StartedAt.T, FinishedAt: row.FinishedAt.T, Path: row.Path, OK: row.OK,
		Error: row.Error, Bytes: row.Bytes}, nil
}
