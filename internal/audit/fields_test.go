package audit

import (
	"slices"
	"testing"
)

func TestSetFields(t *testing.T) {
	type change struct {
		Name  *string   `json:"name"`
		Tags  *[]string `json:"tags,omitempty"`
		Plain *int
		Count int `json:"count"`
	}
	s, n := "x", 0
	if got := ChangedFields(change{Count: 3}); got != nil {
		t.Errorf("nothing set: got %q, want nil", got)
	}
	got := ChangedFields(&change{Name: &s, Tags: &[]string{}, Plain: &n})
	if want := []string{"name", "tags", "Plain"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
