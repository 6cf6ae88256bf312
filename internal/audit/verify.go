package audit

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// walkBatch is how many rows Verify reads at a time.
const walkBatch = 1000

// Verify walks the chain in seq order and recomputes every hash. rows is
// how many rows it checked; firstBroken is empty when the chain holds, else
// it names the first broken row (id, seq, time, action) and why. The chain
// starts at seq 1 from GenesisHash, or, after retention pruned the oldest
// rows, from the LastHash of the export that ends just before the first
// remaining row. The head (audit_chain) must be among the rows read, so
// that deleting the newest rows shows too.
func (s *Service) Verify(ctx context.Context) (rows int, firstBroken string, err error) {
	if s.chain == nil {
		return 0, "", errors.New("audit: verify: no chain store")
	}
	if err := s.chain.Seal(ctx); err != nil {
		return 0, "", fmt.Errorf("audit: verify: %w", err)
	}
	head, err := s.chain.ChainHead(ctx)
	if err != nil {
		return 0, "", fmt.Errorf("audit: verify: %w", err)
	}
	var prev *Head
	var last Event
	for after := int64(0); ; {
		batch, err := s.chain.WalkChain(ctx, after, walkBatch)
		if err != nil {
			return rows, "", fmt.Errorf("audit: verify: %w", err)
		}
		for _, e := range batch {
			if prev == nil {
				if prev, firstBroken, err = s.anchor(ctx, e); err != nil || firstBroken != "" {
					return rows, firstBroken, err
				}
			}
			if why := brokenLink(*prev, e); why != "" {
				return rows, Describe(e) + ": " + why, nil
			}
			if e.Seq == head.Seq && e.Hash != head.Hash {
				return rows, Describe(e) + ": its hash is not the one the chain head records", nil
			}
			rows++
			prev, last, after = &Head{Seq: e.Seq, Hash: e.Hash}, e, e.Seq
		}
		if len(batch) < walkBatch {
			break
		}
	}
	return rows, s.checkTail(ctx, head, rows, last), nil
}

// anchor is where the chain of the first remaining row e starts.
func (s *Service) anchor(ctx context.Context, e Event) (*Head, string, error) {
	if e.Seq == 1 {
		return &Head{Hash: GenesisHash}, "", nil
	}
	x, err := s.chain.ExportEndingAt(ctx, e.Seq-1)
	if err != nil {
		return nil, "", fmt.Errorf("audit: verify: %w", err)
	}
	if x == nil {
		return nil, Describe(e) + fmt.Sprintf(": the rows before it (seq 1..%d) are gone and no export records them", e.Seq-1), nil
	}
	return &Head{Seq: x.SeqTo, Hash: x.LastHash}, "", nil
}

// brokenLink says why e does not follow prev, or "".
func brokenLink(prev Head, e Event) string {
	if e.Seq != prev.Seq+1 {
		return fmt.Sprintf("it follows seq %d: the rows in between are missing", prev.Seq)
	}
	if e.Hash == "" {
		return "it has no chain hash"
	}
	h, err := e.ChainHash(prev.Hash)
	if err != nil {
		return err.Error()
	}
	if h != e.Hash {
		return "its content does not match its hash (changed after it was written)"
	}
	return ""
}

// checkTail compares the end of the walk with the head, so that deleting
// the newest rows is seen; "" when they agree.
func (s *Service) checkTail(ctx context.Context, head Head, rows int, last Event) string {
	if head.Seq == 0 || (rows > 0 && last.Seq >= head.Seq) {
		return ""
	}
	if rows > 0 {
		return fmt.Sprintf("%s: the chain head is at seq %d, the rows after this one are missing", Describe(last), head.Seq)
	}
	if x, err := s.chain.LastExport(ctx); err == nil && x != nil && x.SeqTo == head.Seq && x.LastHash == head.Hash {
		return "" // everything was exported and pruned
	}
	return fmt.Sprintf("no rows: the chain head is at seq %d, the rows are missing", head.Seq)
}

// Describe names a row for a report: id, seq, time (UTC) and action.
func Describe(e Event) string {
	return fmt.Sprintf("id %d, seq %d, at %s, action %s", e.ID, e.Seq, e.At.UTC().Format(time.RFC3339Nano), e.Action)
}

// Retention is how long rows stay in the database before the retention job
// exports and deletes them (audit.retention).
func (s *Service) Retention() time.Duration { return s.retention }

// LastExport is when the retention job last exported rows; the zero time when never.
func (s *Service) LastExport(ctx context.Context) (time.Time, error) {
	if s.chain == nil {
		return time.Time{}, nil
	}
	x, err := s.chain.LastExport(ctx)
	if err != nil || x == nil {
		return time.Time{}, err
	}
	return x.ExportedAt, nil
}
