package store

import (
	"context"
	"errors"
	"time"

	"github.com/newsroom-vn/newsroom/internal/audit"
)

var _ audit.ChainStore = (*auditRepo)(nil)

// NewAuditChain returns the chain side of the audit log on db (the same
// repository as NewAuditRepository).
func NewAuditChain(db *DB) audit.ChainStore { return &auditRepo{db: db} }

type auditChainRow struct {
	ID       int
	Seq      int64
	Hash     string
	LegacyTo int64
}

func (auditChainRow) TableName() string { return "audit_chain" }

// prevOf is the hash the next row chains to: the head's, or the genesis
// hash on an empty chain.
func prevOf(h audit.Head) string {
	if h.Seq == 0 {
		return audit.GenesisHash
	}
	return h.Hash
}

// lockHead reads the chain head, locked for the rest of the transaction in
// ctx, first sealing the rows from before the chain when they are not yet.
func (r *auditRepo) lockHead(ctx context.Context) (audit.Head, error) {
	var row auditChainRow
	if err := r.db.forUpdate(r.db.conn(ctx).Where("id = 1")).Take(&row).Error; err != nil {
		return audit.Head{}, wrap(err, "lock the audit chain head")
	}
	head := audit.Head{Seq: row.Seq, Hash: row.Hash}
	if head.Hash == "" && head.Seq > 0 {
		return r.sealLocked(ctx, row.LegacyTo)
	}
	return head, nil
}

func (r *auditRepo) setHead(ctx context.Context, h audit.Head) error {
	return wrap(r.db.conn(ctx).Model(&auditChainRow{}).Where("id = 1").
		Updates(map[string]any{"seq": h.Seq, "hash": h.Hash}).Error, "move the audit chain head")
}

// nextID takes the next audit id before the insert, since the hash covers it.
func (r *auditRepo) nextID(ctx context.Context) (int64, error) {
	var id int64
	q := "SELECT nextval(pg_get_serial_sequence('audit_events', 'id'))"
	if r.db.Dialect != DialectPostgres {
		q = "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'), 0), " +
			"COALESCE((SELECT MAX(id) FROM audit_events), 0)) + 1"
	}
	return id, wrap(r.db.conn(ctx).Raw(q).Scan(&id).Error, "next audit id")
}

// Seal hashes the rows from before the chain (seq 1..legacy_to), once.
func (r *auditRepo) Seal(ctx context.Context) error {
	return r.db.InTx(ctx, func(ctx context.Context) error {
		_, err := r.lockHead(ctx)
		return err
	})
}

// sealLocked chains the rows 1..legacyTo (the head is locked) and moves the
// head to the last of them.
func (r *auditRepo) sealLocked(ctx context.Context, legacyTo int64) (audit.Head, error) {
	head := audit.Head{Hash: audit.GenesisHash}
	for {
		rows, err := r.WalkChain(ctx, head.Seq, 500)
		if err != nil {
			return audit.Head{}, err
		}
		for _, e := range rows {
			if e.Seq > legacyTo {
				return audit.Head{}, errors.New("store: seal the audit chain: rows after the old ones exist before the seal")
			}
			h, err := e.ChainHash(prevOf(head))
			if err != nil {
				return audit.Head{}, err
			}
			if err := r.db.conn(ctx).Model(&auditRow{}).Where("id = ? AND hash IS NULL", e.ID).
				Update("hash", h).Error; err != nil {
				return audit.Head{}, wrap(err, "seal audit event")
			}
			head = audit.Head{Seq: e.Seq, Hash: h}
		}
		if len(rows) < 500 {
			break
		}
	}
	if head.Seq == 0 {
		head.Hash = "" // nothing left to seal: an empty chain
	}
	return head, r.setHead(ctx, head)
}

// ChainHead reads the head without locking it.
func (r *auditRepo) ChainHead(ctx context.Context) (audit.Head, error) {
	var row auditChainRow
	if err := r.db.conn(ctx).Where("id = 1").Take(&row).Error; err != nil {
		return audit.Head{}, wrap(err, "read the audit chain head")
	}
	return audit.Head{Seq: row.Seq, Hash: row.Hash}, nil
}

// WalkChain returns up to limit events after afterSeq, in seq order.
func (r *auditRepo) WalkChain(ctx context.Context, afterSeq int64, limit int) ([]audit.Event, error) {
	return findAll[audit.Event, auditRow](r.db.conn(ctx).Model(&auditRow{}).Where("seq > ?", afterSeq).
		Order("seq").Limit(limit), "walk the audit chain")
}

type auditExportRow struct {
	ID         int64 `gorm:"primaryKey;autoIncrement"`
	SeqFrom    int64
	SeqTo      int64
	RowCount   int
	PrevHash   string
	LastHash   string
	ObjectKey  string
	SHA256     string `gorm:"column:sha256"`
	SizeBytes  int64
	ExportedAt dbTime
}

func (auditExportRow) TableName() string { return "audit_exports" }

func (x auditExportRow) toDomain() audit.Export {
	return audit.Export{ID: x.ID, SeqFrom: x.SeqFrom, SeqTo: x.SeqTo, Rows: x.RowCount, PrevHash: x.PrevHash,
		LastHash: x.LastHash, ObjectKey: x.ObjectKey, SHA256: x.SHA256, Size: x.SizeBytes, ExportedAt: x.ExportedAt.T}
}

func (r *auditRepo) findExport(ctx context.Context, where string, args ...any) (*audit.Export, error) {
	xs, err := findAll[audit.Export, auditExportRow](r.db.conn(ctx).Model(&auditExportRow{}).Where(where, args...).
		Order("seq_to DESC").Limit(1), "find audit export")
	if err != nil || len(xs) == 0 {
		return nil, err
	}
	return &xs[0], nil
}

// ExportEndingAt is the export whose last row is seq, nil when none.
func (r *auditRepo) ExportEndingAt(ctx context.Context, seq int64) (*audit.Export, error) {
	return r.findExport(ctx, "seq_to = ?", seq)
}

// LastExport is the export of the newest rows, nil when none.
func (r *auditRepo) LastExport(ctx context.Context) (*audit.Export, error) {
	return r.findExport(ctx, "1 = 1")
}

// OldestBefore returns the oldest events (seq order, at most limit) up to
// the first one whose time is not before cutoff.
func (r *auditRepo) OldestBefore(ctx context.Context, cutoff time.Time, limit int) ([]audit.Event, error) {
	rows, err := r.WalkChain(ctx, 0, limit)
	if err != nil {
		return nil, err
	}
	for i, e := range rows {
		if !e.At.Before(cutoff) {
			return rows[:i], nil
		}
	}
	return rows, nil
}

// RecordExport records x and deletes its rows, in one transaction (on
// PostgreSQL the guard trigger lets a row go only when an export covers it).
func (r *auditRepo) RecordExport(ctx context.Context, x *audit.Export) error {
	x.ExportedAt = norm(x.ExportedAt)
	return r.db.InTx(ctx, func(ctx context.Context) error {
		row := auditExportRow{SeqFrom: x.SeqFrom, SeqTo: x.SeqTo, RowCount: x.Rows, PrevHash: x.PrevHash,
			LastHash: x.LastHash, ObjectKey: x.ObjectKey, SHA256: x.SHA256, SizeBytes: x.Size, ExportedAt: toDB(x.ExportedAt)}
		if err := r.db.conn(ctx).Create(&row).Error; err != nil {
			return wrap(err, "record audit export")
		}
		x.ID = row.ID
		return wrap(r.db.conn(ctx).Where("seq BETWEEN ? AND ?", x.SeqFrom, x.SeqTo).Delete(&auditRow{}).Error,
			"prune exported audit events")
	})
}
