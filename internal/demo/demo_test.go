package demo_test

import (
	"context"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/demo"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// TestLoadGivesBroadcastVersions: the demo loads (its approvals need the
// radio and TV versions) and every story that targets radio or TV has a timed version.
func TestLoadGivesBroadcastVersions(t *testing.T) {
	a := testutil.NewApp(t, store.DialectSQLite)
	ctx := context.Background()
	repo := store.NewStoryRepository(a.DB)
	logins, err := demo.Load(ctx, a.Users, a.Stories)
	if err != nil {
		t.Fatal(err)
	}
	if len(logins) == 0 {
		t.Fatal("no demo logins")
	}
	all, err := repo.FindStories(ctx, story.Filter{Visibility: story.Visibility{PublishedEverywhere: true,
		States: workflow.States}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	radio, tv := 0, 0
	for _, st := range all {
		if ch := st.MissingVersion(); ch != "" {
			t.Errorf("%q targets %s without a version", st.Headline, ch)
		}
		if st.Radio != nil {
			radio++
			if st.Radio.ReadSeconds <= 0 || st.Radio.TotalSeconds != st.Radio.ReadSeconds {
				t.Errorf("%q radio timing: %+v", st.Headline, st.Radio)
			}
		}
		if st.TV != nil {
			tv++
			sum := 0
			for _, seg := range st.TV.Segments {
				if seg.DurationSeconds <= 0 {
					t.Errorf("%q segment without duration: %+v", st.Headline, seg)
				}
				sum += seg.DurationSeconds
			}
			if sum != st.TV.TotalSeconds {
				t.Errorf("%q TV total %d, segments add up to %d", st.Headline, st.TV.TotalSeconds, sum)
			}
		}
	}
	if radio < 5 || tv < 3 {
		t.Errorf("demo radio versions %d, TV versions %d: too few", radio, tv)
	}
}
