package store

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/audit"
)

// auditRepo is the audit.Repository on a DB.
type auditRepo struct{ db *DB }

// NewAuditRepository returns the append-only audit.Repository backed by db.
// RecordEvent made with a context from db.InTx joins that transaction, so an
// action and its audit record commit or roll back together.
func NewAuditRepository(db *DB) audit.Repository { return &auditRepo{db: db} }

type auditRow struct {
	ID            int64 `gorm:"primaryKey;autoIncrement"`
	Seq           int64
	At            dbTime
	ActorID       string
	ActorName     string
	IP            string `gorm:"column:ip"`
	Action        string
	TargetType    string
	TargetID      string
	BeforeVersion int
	AfterVersion  int
	Details       nullJSONMap
	Hash          *string // NULL only on a row from before the chain, until it is sealed
}

func (auditRow) TableName() string { return "audit_events" }

// RecordEvent appends the event to the chain and sets e.ID, e.Seq and
// e.Hash. It runs in the transaction in ctx (or its own): it locks the chain
// head (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions
// hold the database's write lock), so concurrent writers, in this process or
// another, append one after the other and the chain never forks. The lock
// is held until the business transaction commits.
func (r *auditRepo) RecordEvent(ctx context.Context, e *audit.Event) error {
	e.At = norm(e.At)
	return r.db.InTx(ctx, func(ctx context.Context) error {
		head, err := r.lockHead(ctx)
		if err != nil {
			return err
		}
		if e.ID, err = r.nextID(ctx); err != nil {
			return err
		}
		e.Seq = head.Seq + 1
		if e.Hash, err = e.ChainHash(prevOf(head)); err != nil {
			return err
		}
		row := auditRow{ID: e.ID, Seq: e.Seq, At: toDB(e.At), ActorID: e.ActorID, ActorName: e.ActorName, IP: e.IP,
			Action: e.Action, TargetType: e.TargetType, TargetID: e.TargetID, BeforeVersion: e.BeforeVersion,
			AfterVersion: e.AfterVersion, Hash: &e.Hash}
		row.Details.V = e.Details
		if err := r.db.conn(ctx).Create(&row).Error; err != nil {
			return wrap(err, "record audit event "+e.Action)
		}
		return r.setHead(ctx, audit.Head{Seq: e.Seq, Hash: e.Hash})
	})
}

// FindEvents lists events newest first (id descending), strictly below
// f.BeforeID when set. Action matches exactly, or as a prefix when it ends in
// '.'; From is inclusive, To exclusive; Limit 0 means no limit.
func (r *auditRepo) FindEvents(ctx context.Context, f audit.Filter) ([]audit.Event, error) {
	q := r.db.conn(ctx).Model(&auditRow{})
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		if f.Action[len(f.Action)-1] == '.' {
			// substr, not LIKE: action names contain '_', a LIKE wildcard.
			q = q.Where("substr(action, 1, ?) = ?", len(f.Action), f.Action)
		} else {
			q = q.Where("action = ?", f.Action)
		}
	}
	if f.TargetType != "" {
		q = q.Where("target_type = ?", f.TargetType)
	}
	if f.TargetID != "" {
		q = q.Where("target_id = ?", f.TargetID)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", toDB(f.From))
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", toDB(f.To))
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	return findAll[audit.Event, auditRow](q.Order("id DESC"), "find audit events")
}

func (row auditRow) toDomain() audit.Event {
	hash := ""
	if row.Hash != nil {
		hash = *row.Hash
	}
	return audit.Event{ID: row.ID, Seq: row.Seq, Hash: hash, At: row.At.T, ActorID: row.ActorID, ActorName: row.ActorName, IP: row.IP,
		Action: row.Action, TargetType: row.TargetType, TargetID: row.TargetID,
		BeforeVersion: row.BeforeVersion, AfterVersion: row.AfterVersion, Details: row.Details.V}
}
