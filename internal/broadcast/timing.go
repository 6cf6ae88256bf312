package broadcast

import "time"

// Timing is what a rundown's durations add up to, as broadcast newsroom
// systems show it.
type Timing struct {
	// PlannedSeconds is the airing's planned length.
	PlannedSeconds int `json:"planned_seconds"`
	// TotalSeconds is the sum of the items' planned durations.
	TotalSeconds int `json:"total_seconds"`
	// OverUnderSeconds is TotalSeconds − PlannedSeconds: positive is over
	// (something must be cut), negative under (time to fill).
	OverUnderSeconds int `json:"over_under_seconds"`
	// StartAt is the on-air time; PlannedEndAt the hard out (start + planned
	// length); EndAt when the last item ends at the planned durations.
	StartAt      time.Time    `json:"start_at"`
	PlannedEndAt time.Time    `json:"planned_end_at"`
	EndAt        time.Time    `json:"end_at"`
	Items        []ItemTiming `json:"-"`
}

// ItemTiming places one item on the clock.
type ItemTiming struct {
	// FrontTime is when the item starts if everything before it runs to time:
	// on-air time + the durations of the items before it.
	FrontTime time.Time `json:"front_time"`
	// BackTime is when the item must start for the programme to end on its
	// hard out: planned end − the durations of this and every following item.
	BackTime time.Time `json:"back_time"`
	// FrontSeconds and BackSeconds are the same, as seconds from the on-air time
	// (BackSeconds is negative when the rest of the rundown cannot fit).
	FrontSeconds int `json:"front_seconds"`
	BackSeconds  int `json:"back_seconds"`
}

// ComputeTiming works out the totals and every item's front and back time
// from the on-air time, the planned length and the items' durations in order.
func ComputeTiming(onAir time.Time, plannedSeconds int, durations []int) Timing {
	total := 0
	for _, d := range durations {
		total += d
	}
	t := Timing{PlannedSeconds: plannedSeconds, TotalSeconds: total, OverUnderSeconds: total - plannedSeconds,
		StartAt: onAir, PlannedEndAt: onAir.Add(seconds(plannedSeconds)), EndAt: onAir.Add(seconds(total)),
		Items: make([]ItemTiming, len(durations))}
	front, rest := 0, total // rest: this item and every following one
	for i, d := range durations {
		back := plannedSeconds - rest
		t.Items[i] = ItemTiming{FrontTime: onAir.Add(seconds(front)), BackTime: onAir.Add(seconds(back)),
			FrontSeconds: front, BackSeconds: back}
		front += d
		rest -= d
	}
	return t
}

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }
