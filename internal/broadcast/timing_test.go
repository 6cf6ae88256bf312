package broadcast

import (
	"testing"
	"time"
)

func TestComputeTiming(t *testing.T) {
	at := time.Date(2026, 11, 25, 23, 0, 0, 0, time.UTC) // 06:00 Vietnam time
	clock := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	type it struct{ front, back string }
	cases := []struct {
		name      string
		planned   int
		durations []int
		total     int
		overUnder int
		end       string
		items     []it
	}{
		{name: "empty rundown is all under", planned: 900, durations: nil, total: 0, overUnder: -900, end: "2026-11-25T23:00:00Z"},
		{name: "exactly on time", planned: 600, durations: []int{120, 300, 180}, total: 600, overUnder: 0, end: "2026-11-25T23:10:00Z",
			items: []it{{"2026-11-25T23:00:00Z", "2026-11-25T23:00:00Z"}, {"2026-11-25T23:02:00Z", "2026-11-25T23:02:00Z"}, {"2026-11-25T23:07:00Z", "2026-11-25T23:07:00Z"}}},
		{name: "under by 45 s: back times later than front times", planned: 600, durations: []int{95, 400, 60}, total: 555, overUnder: -45, end: "2026-11-25T23:09:15Z",
			items: []it{{"2026-11-25T23:00:00Z", "2026-11-25T23:00:45Z"}, {"2026-11-25T23:01:35Z", "2026-11-25T23:02:20Z"}, {"2026-11-25T23:08:15Z", "2026-11-25T23:09:00Z"}}},
		{name: "over by 30 s: first back time before on air", planned: 300, durations: []int{200, 130}, total: 330, overUnder: 30, end: "2026-11-25T23:05:30Z",
			items: []it{{"2026-11-25T23:00:00Z", "2026-11-25T22:59:30Z"}, {"2026-11-25T23:03:20Z", "2026-11-25T23:02:50Z"}}},
		{name: "zero-length items share a time", planned: 60, durations: []int{0, 60, 0}, total: 60, overUnder: 0, end: "2026-11-25T23:01:00Z",
			items: []it{{"2026-11-25T23:00:00Z", "2026-11-25T23:00:00Z"}, {"2026-11-25T23:00:00Z", "2026-11-25T23:00:00Z"}, {"2026-11-25T23:01:00Z", "2026-11-25T23:01:00Z"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := ComputeTiming(at, tc.planned, tc.durations)
			if got.TotalSeconds != tc.total || got.OverUnderSeconds != tc.overUnder || got.PlannedSeconds != tc.planned {
				t.Fatalf("total %d over/under %d planned %d, want %d %d %d", got.TotalSeconds, got.OverUnderSeconds, got.PlannedSeconds, tc.total, tc.overUnder, tc.planned)
			}
			if !got.StartAt.Equal(at) || !got.EndAt.Equal(clock(tc.end)) || !got.PlannedEndAt.Equal(at.Add(time.Duration(tc.planned)*time.Second)) {
				t.Fatalf("start %v end %v planned end %v", got.StartAt, got.EndAt, got.PlannedEndAt)
			}
			if len(got.Items) != len(tc.items) {
				t.Fatalf("%d item timings, want %d", len(got.Items), len(tc.items))
			}
			for i, w := range tc.items {
				g := got.Items[i]
				if !g.FrontTime.Equal(clock(w.front)) || !g.BackTime.Equal(clock(w.back)) {
					t.Errorf("item %d: front %s back %s, want %s %s", i+1, g.FrontTime.Format(time.RFC3339), g.BackTime.Format(time.RFC3339), w.front, w.back)
				}
				if int(g.FrontTime.Sub(at)/time.Second) != g.FrontSeconds || int(g.BackTime.Sub(at)/time.Second) != g.BackSeconds {
					t.Errorf("item %d: seconds %d/%d disagree with times", i+1, g.FrontSeconds, g.BackSeconds)
				}
			}
		})
	}
}

func TestStateTransitions(t *testing.T) {
	// The table is its own oracle: every pair, allowed or not.
	allowed := map[[2]State]bool{{Planned, Ready}: true, {Ready, Planned}: true, {Ready, OnAir}: true, {OnAir, Done}: true}
	for _, from := range States {
		for _, to := range States {
			if got := canMove(from, to); got != allowed[[2]State{from, to}] {
				t.Errorf("%s -> %s allowed = %v", from, to, got)
			}
		}
	}
	for _, s := range States {
		if s.Locked() != (s == OnAir || s == Done) {
			t.Errorf("%s locked = %v", s, s.Locked())
		}
	}
}

func TestNextAiring(t *testing.T) {
	p := Programme{Schedule: Schedule{Days: []Weekday{"mon", "wed"}, Start: "19:00"}}
	// Wednesday 25/11/2026 12:00 UTC is 19:00 Vietnam time: the slot has just started, so the next is Monday.
	got, ok := p.NextAiring(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	if !ok || !got.Equal(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("next airing %v %v, want Monday 30/11 19:00 ICT", got, ok)
	}
	got, ok = p.NextAiring(time.Date(2026, 11, 25, 11, 59, 0, 0, time.UTC))
	if !ok || !got.Equal(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("next airing %v %v, want today 19:00 ICT", got, ok)
	}
	if _, ok := (Programme{}).NextAiring(time.Now()); ok {
		t.Fatal("a programme without schedule has no next airing")
	}
}
