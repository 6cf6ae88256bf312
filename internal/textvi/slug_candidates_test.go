package textvi

import (
	"slices"
	"testing"
)

func TestSlugCandidates(t *testing.T) {
	if got := SlugCandidates("bai-viet", 3); !slices.Equal(got, []string{"bai-viet", "bai-viet-2", "bai-viet-3"}) {
		t.Fatalf("SlugCandidates = %q", got)
	}
	if got := SlugCandidates("a", 1); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("SlugCandidates(a, 1) = %q", got)
	}
}
