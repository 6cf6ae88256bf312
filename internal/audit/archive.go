package audit

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/newsroom-vn/newsroom/internal/txn"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// ExportBatch is the most rows one export object holds.
const ExportBatch = 10000

// clockMargin is added to the retention before rows are exported, so that
// a few seconds between the application's clock and the database's (whose
// guard trigger checks the age) never make a deletion fail.
const clockMargin = time.Hour

// PutFunc writes an export object (the asset blob store's Put: MinIO or the local folder).
type PutFunc func(ctx context.Context, key string, r io.Reader, contentType string) error

// Archiver is the retention job's work: it exports the rows older than the
// retention to the object storage as gzip-compressed JSON Lines and then
// deletes them, recording each export (the chain's anchor from then on).
type Archiver struct {
	svc *Service
	put PutFunc
	tx  txn.Runner
	now func() time.Time
}

// NewArchiver builds the archiver; now may be nil (time.Now).
func NewArchiver(svc *Service, put PutFunc, tx txn.Runner, now func() time.Time) *Archiver {
	if now == nil {
		now = time.Now
	}
	return &Archiver{svc: svc, put: put, tx: tx, now: now}
}

// ExportKey is the object key of the export of rows from..to whose first
// row is at first: audit/YYYY/MM/audit-<from>-<to>.jsonl.gz (seq zero-padded).
func ExportKey(first time.Time, from, to int64) string {
	first = first.UTC()
	return fmt.Sprintf("audit/%04d/%02d/audit-%012d-%012d.jsonl.gz", first.Year(), int(first.Month()), from, to)
}

// ExportExpired exports and deletes every row older than the retention (in
// batches of ExportBatch, oldest first) and returns how many went.
func (a *Archiver) ExportExpired(ctx context.Context) (int, error) {
	if a.svc.retention <= 0 {
		return 0, errors.New("audit: export: no retention set")
	}
	cutoff := a.now().Add(-a.svc.retention - clockMargin)
	total := 0
	for {
		rows, err := a.svc.chain.OldestBefore(ctx, cutoff, ExportBatch)
		if err != nil || len(rows) == 0 {
			return total, err
		}
		if err := a.exportRows(ctx, rows); err != nil {
			return total, err
		}
		total += len(rows)
		if len(rows) < ExportBatch {
			return total, nil
		}
	}
}

// exportRows writes one export object and then, in one transaction,
// records it, deletes its rows and audits the deletion.
func (a *Archiver) exportRows(ctx context.Context, rows []Event) error {
	first, last := rows[0], rows[len(rows)-1]
	prev := GenesisHash
	if first.Seq > 1 {
		x, err := a.svc.chain.ExportEndingAt(ctx, first.Seq-1)
		if err != nil {
			return err
		}
		if x == nil {
			return fmt.Errorf("audit: export: the rows before seq %d are gone without an export; not exporting (run `newsroom audit verify`)", first.Seq)
		}
		prev = x.LastHash
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	enc := json.NewEncoder(zw)
	for _, e := range rows {
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("audit: export: encode event %d: %w", e.ID, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	x := &Export{SeqFrom: first.Seq, SeqTo: last.Seq, Rows: len(rows), PrevHash: prev, LastHash: last.Hash,
		ObjectKey: ExportKey(first.At, first.Seq, last.Seq), SHA256: hex.EncodeToString(sum[:]),
		Size: int64(buf.Len()), ExportedAt: a.now().UTC()}
	if err := a.put(ctx, x.ObjectKey, bytes.NewReader(buf.Bytes()), "application/gzip"); err != nil {
		return fmt.Errorf("audit: export to %s: %w", x.ObjectKey, err)
	}
	return a.tx.InTx(ctx, func(ctx context.Context) error {
		if err := a.svc.chain.RecordExport(ctx, x); err != nil {
			return err
		}
		return Record(ctx, a.svc.repo, user.System, Event{At: x.ExportedAt, Action: "audit.pruned", TargetType: "audit_export",
			TargetID: x.ObjectKey, Details: map[string]any{"seq_from": x.SeqFrom, "seq_to": x.SeqTo, "rows": x.Rows,
				"sha256": x.SHA256, "bytes": x.Size}})
	})
}
