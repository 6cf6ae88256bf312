package audit

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// MaxCSVRows is the most events one CSV export holds; narrow the filter for more.
const MaxCSVRows = 100000

// CSVHeader names the columns of the CSV export.
var CSVHeader = []string{"id", "seq", "at", "actor_id", "actor_username", "ip", "action", "target_type", "target_id",
	"before_version", "after_version", "details", "hash"}

// ExportCSV writes the events f selects (newest first, at most MaxCSVRows)
// as CSV to w, for an actor who may read the audit log, and records the
// export itself (audit.exported, with the filter and the row count). Times
// are in Asia/Ho_Chi_Minh (RFC 3339 with +07:00); a cell that a spreadsheet
// would run as a formula (starting with = + - @) gets a leading '.
func (s *Service) ExportCSV(ctx context.Context, a user.Actor, f Filter, w io.Writer) (int, error) {
	if !CanRead(a) {
		return 0, apperr.Forbidden("audit.admin_only")
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return 0, err
	}
	n := 0
	f.Limit = MaxLimit
	for n < MaxCSVRows {
		events, err := s.repo.FindEvents(ctx, f)
		if err != nil {
			return n, fmt.Errorf("audit: export csv: %w", err)
		}
		for _, e := range events {
			if err := cw.Write(csvRecord(e)); err != nil {
				return n, err
			}
			n++
		}
		if len(events) < f.Limit {
			break
		}
		f.BeforeID = events[len(events)-1].ID
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, err
	}
	return n, Record(ctx, s.repo, a, Event{Action: "audit.exported", TargetType: "audit", Details: map[string]any{
		"rows": n, "format": "csv", "actor": f.ActorID, "action": f.Action, "target_type": f.TargetType,
		"target_id": f.TargetID, "from": timeOrEmpty(f.From), "to": timeOrEmpty(f.To)}})
}

func timeOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func csvRecord(e Event) []string {
	details := ""
	if e.Details != nil {
		b, _ := json.Marshal(e.Details)
		details = string(b)
	}
	rec := []string{strconv.FormatInt(e.ID, 10), strconv.FormatInt(e.Seq, 10), e.At.In(vntime.Location).Format(time.RFC3339),
		e.ActorID, e.ActorName, e.IP, e.Action, e.TargetType, e.TargetID, strconv.Itoa(e.BeforeVersion),
		strconv.Itoa(e.AfterVersion), details, e.Hash}
	for i, v := range rec {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			rec[i] = "'" + v
		}
	}
	return rec
}
