package app

import (
	"fmt"
	"slices"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/event"
)

// names lists a list's entries as "name/phase", in order.
func names[L any](entries []event.Entry[L]) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = fmt.Sprintf("%s/%s", e.Name, e.Phase)
	}
	return out
}

// TestListenerOrder pins the lists docs/architecture.md shows: changing an
// order or a phase is a decision, made here and in the doc together.
func TestListenerOrder(t *testing.T) {
	withMOS := reactors{mos: broadcast.NewMOSSync(nil, nil), hub: broadcast.NewRundownHub()}
	without := reactors{hub: broadcast.NewRundownHub()}
	for _, tc := range []struct {
		name string
		got  []string
		want []string
	}{
		{"story, MOS on", names(storyListeners(nil, withMOS).Entries()),
			[]string{"site-cache/in-transaction", "jobs/in-transaction", "mos/after-commit"}},
		{"story, MOS off", names(storyListeners(nil, without).Entries()),
			[]string{"site-cache/in-transaction", "jobs/in-transaction"}},
		{"asset", names(assetListeners(nil, without).Entries()),
			[]string{"site-cache/in-transaction"}},
		{"rundown, MOS on", names(rundownListeners(nil, withMOS).Entries()),
			[]string{"desk-live/after-commit", "mos/after-commit"}},
		{"rundown, MOS off", names(rundownListeners(nil, without).Entries()),
			[]string{"desk-live/after-commit"}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}
