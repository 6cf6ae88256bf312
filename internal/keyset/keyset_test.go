package keyset

import "testing"

func TestCut(t *testing.T) {
	id := func(n int) int { return n * 10 }
	for _, tc := range []struct {
		rows []int
		want int
		keep int
		next int // 0: none
	}{
		{nil, 2, 0, 0},
		{[]int{1, 2}, 2, 2, 0},
		{[]int{1, 2, 3}, 2, 2, 20},
		{[]int{1}, 1, 1, 0},
	} {
		got, next := Cut(tc.rows, tc.want, id)
		if len(got) != tc.keep {
			t.Errorf("Cut(%v, %d) kept %v", tc.rows, tc.want, got)
		}
		switch {
		case tc.next == 0 && next != nil:
			t.Errorf("Cut(%v, %d): cursor %d on the last page", tc.rows, tc.want, *next)
		case tc.next != 0 && (next == nil || *next != tc.next):
			t.Errorf("Cut(%v, %d): cursor %v, want %d", tc.rows, tc.want, next, tc.next)
		}
	}
}
