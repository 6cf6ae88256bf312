package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// GenesisHash is the "previous hash" of the first row of the chain (seq 1).
var GenesisHash = strings.Repeat("0", 64)

// chainVersion starts every canonical serialisation, so that a later format
// can be told apart.
const chainVersion = "newsroom-audit-v1"

// TimeLayout is how the canonical serialisation writes At: UTC, RFC 3339
// with exactly six fractional digits (microseconds, what both databases store).
const TimeLayout = "2006-01-02T15:04:05.000000Z07:00"

// Canonical is the byte string a row's hash covers: a JSON array of the
// chain version, the previous row's hash, and the row's id, seq, time (UTC,
// microseconds, TimeLayout), actor id, actor name, IP, action, target type,
// target id, versions before and after, and its details (CanonicalDetails).
// A JSON array leaves no doubt where one field ends.
func (e Event) Canonical(prevHash string) ([]byte, error) {
	details, err := CanonicalDetails(e.Details)
	if err != nil {
		return nil, err
	}
	at := e.At.UTC().Truncate(time.Microsecond).Format(TimeLayout)
	return json.Marshal([]any{chainVersion, prevHash, e.ID, e.Seq, at, e.ActorID, e.ActorName, e.IP,
		e.Action, e.TargetType, e.TargetID, e.BeforeVersion, e.AfterVersion, details})
}

// ChainHash is the row's hash: hex SHA-256 of Canonical(prevHash).
func (e Event) ChainHash(prevHash string) (string, error) {
	b, err := e.Canonical(prevHash)
	if err != nil {
		return "", fmt.Errorf("audit: canonical form of event %d: %w", e.ID, err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// CanonicalDetails is the details as the chain hashes them: nil stays null;
// otherwise the JSON the store writes, decoded (numbers as float64) and
// encoded again with Go's sorted keys. It does not depend on how the
// database keeps the JSON (PostgreSQL's jsonb reorders keys and respaces).
func CanonicalDetails(d map[string]any) (json.RawMessage, error) {
	if d == nil {
		return json.RawMessage("null"), nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// Head is the end of the chain: the last seq given and its hash ("" while
// the rows from before the chain are not sealed yet).
type Head struct {
	Seq  int64
	Hash string
}

// Export is one retention export: the rows seq_from..seq_to, written to
// ObjectKey as gzip-compressed JSON Lines and then deleted. PrevHash is the
// hash before SeqFrom, LastHash the hash of SeqTo: the anchor from which the
// chain of the remaining rows verifies.
type Export struct {
	ID         int64     `json:"id"`
	SeqFrom    int64     `json:"seq_from"`
	SeqTo      int64     `json:"seq_to"`
	Rows       int       `json:"rows"`
	PrevHash   string    `json:"prev_hash"`
	LastHash   string    `json:"last_hash"`
	ObjectKey  string    `json:"object_key"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size_bytes"`
	ExportedAt time.Time `json:"exported_at"`
}

// ChainStore is the store's side of the chain: reading it in order, its
// head and anchors, and the retention bookkeeping.
type ChainStore interface {
	// Seal hashes the rows from before the chain, once (a no-op after).
	Seal(ctx context.Context) error
	// ChainHead is the head as the store records it.
	ChainHead(ctx context.Context) (Head, error)
	// WalkChain returns up to limit events with seq > afterSeq, in seq order.
	WalkChain(ctx context.Context, afterSeq int64, limit int) ([]Event, error)
	// ExportEndingAt is the export whose last row is seq, if any.
	ExportEndingAt(ctx context.Context, seq int64) (*Export, error)
	// LastExport is the most recent export, nil when none.
	LastExport(ctx context.Context) (*Export, error)
	// OldestBefore returns up to limit of the oldest events (seq order),
	// stopping at the first one not before cutoff.
	OldestBefore(ctx context.Context, cutoff time.Time, limit int) ([]Event, error)
	// RecordExport records x and deletes its rows, in the transaction in ctx.
	RecordExport(ctx context.Context, x *Export) error
}
