package audit_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/user"
)

type nested struct {
	Title string   `json:"title"`
	Tags  []string `json:"tags"`
}

// TestRecordCapsStrings: Record caps every string it stores at MaxStringLen
// runes of valid UTF-8, nested details included, and leaves short ones alone.
func TestRecordCapsStrings(t *testing.T) {
	long := strings.Repeat("ệ", 5000)
	want := strings.Repeat("ệ", audit.MaxStringLen-1) + audit.Truncated
	repo := &memRepo{}
	a := user.Actor{UserID: long, Username: long, IP: long}
	err := audit.Record(context.Background(), repo, a, audit.Event{Action: long, TargetType: long, TargetID: long,
		Details: map[string]any{
			"short":  "ngắn",
			"n":      42,
			long:     "key",
			"list":   []string{long, "b"},
			"nested": map[string]any{"deep": []any{long, map[string]any{"deeper": long}, 7}},
			"struct": nested{Title: long, Tags: []string{long}},
			"role":   user.RoleEditor,
			"bad":    "a\xffb",
		}})
	if err != nil {
		t.Fatal(err)
	}
	e := repo.events[0]
	for name, s := range map[string]string{"actor_id": e.ActorID, "actor": e.ActorName, "ip": e.IP, "action": e.Action,
		"target_type": e.TargetType, "target_id": e.TargetID} {
		if s != want {
			t.Errorf("%s: %d runes, want %d ending in %q", name, utf8.RuneCountInString(s), audit.MaxStringLen, audit.Truncated)
		}
	}
	data, err := json.Marshal(e.Details)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	_ = json.Unmarshal(data, &got)
	wantJSON := map[string]any{
		"short": "ngắn", "n": float64(42), want: "key", "list": []any{want, "b"},
		"nested": map[string]any{"deep": []any{want, map[string]any{"deeper": want}, float64(7)}},
		"struct": map[string]any{"title": want, "tags": []any{want}},
		"role":   "editor", "bad": "a\uFFFDb",
	}
	gotJSON, _ := json.Marshal(got)
	wantData, _ := json.Marshal(wantJSON)
	if string(gotJSON) != string(wantData) {
		t.Fatalf("details stored as\n%.300s\nwant\n%.300s", gotJSON, wantData)
	}
	if e.Details["role"] != user.RoleEditor || e.Details["n"] != 42 {
		t.Errorf("short values changed type: %#v %#v", e.Details["role"], e.Details["n"])
	}
}

// TestRecordCapBoundary: exactly MaxStringLen runes is kept whole; one more is cut.
func TestRecordCapBoundary(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{strings.Repeat("a", audit.MaxStringLen), strings.Repeat("a", audit.MaxStringLen)},
		{strings.Repeat("ộ", audit.MaxStringLen), strings.Repeat("ộ", audit.MaxStringLen)},
		{strings.Repeat("a", audit.MaxStringLen+1), strings.Repeat("a", audit.MaxStringLen-1) + audit.Truncated},
		{"", ""},
	} {
		repo := &memRepo{}
		if err := audit.Record(context.Background(), repo, user.Actor{}, audit.Event{Action: tc.in}); err != nil {
			t.Fatal(err)
		}
		if got := repo.events[0].Action; got != tc.want {
			t.Errorf("%d runes in: %d runes out, want %d", utf8.RuneCountInString(tc.in), utf8.RuneCountInString(got), utf8.RuneCountInString(tc.want))
		}
	}
}
