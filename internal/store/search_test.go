package store_test

import (
	"context"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// searchNow is the search clock in these tests.
var searchNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

type searchFixture struct {
	*fixture
	svc    *search.Service
	sec    *story.Section
	sec2   *story.Section
	author *user.User
	chief  actorUser
	reader user.Actor // a reporter who wrote nothing: sees published stories only
}

type actorUser = user.Actor

// forEachSearchPlan runs fn on each dialect with a fresh database and, on
// PostgreSQL, once per search plan (store.SearchPlans), so that the walk of
// the newest stories and the index give the same results.
func forEachSearchPlan(t *testing.T, fn func(t *testing.T, db *store.DB, plan string)) {
	t.Helper()
	for _, d := range testutil.Dialects() {
		plans := []string{""}
		if d == store.DialectPostgres {
			plans = store.SearchPlans
		}
		for _, p := range plans {
			name := d
			if p != "" {
				name += "/" + p
			}
			t.Run(name, func(t *testing.T) { fn(t, testutil.OpenDB(t, d), p) })
		}
	}
}

func newSearchFixture(t *testing.T, db *store.DB, plan string) *searchFixture {
	f := &searchFixture{fixture: newFixture(db)}
	f.svc = search.NewService(store.NewSearcherWithPlan(db, plan), f.stories, search.Config{})
	f.svc.SetClock(func() time.Time { return searchNow })
	f.sec = f.section(t, "thoi-su")
	f.sec2 = f.section(t, "kinh-te")
	f.author = f.user(t, "lan", user.RoleReporter)
	chief := f.user(t, "hoa", user.RoleEditorInChief)
	other := f.user(t, "nam", user.RoleReporter)
	f.chief = user.Actor{UserID: chief.ID, Username: chief.Username, Role: chief.Role}
	f.reader = user.Actor{UserID: other.ID, Username: other.Username, Role: other.Role}
	return f
}

type doc struct {
	headline, sapo, body string
	tags                 []string
	state                workflow.State
	age                  time.Duration
	section              string
	channels             []story.Channel
}

func (f *searchFixture) add(t *testing.T, d doc) *story.Story {
	t.Helper()
	if d.state == "" {
		d.state = workflow.Published
	}
	if d.section == "" {
		d.section = f.sec.ID
	}
	if d.channels == nil {
		d.channels = []story.Channel{story.ChannelWeb}
	}
	at := searchNow.Add(-d.age)
	s := &story.Story{ID: uuid.NewString(), SectionID: d.section, Headline: d.headline, Sapo: d.sapo, Body: d.body,
		Tags: d.tags, Channels: d.channels, State: d.state, Version: 1, Slug: "s-" + uuid.NewString()[:8],
		AuthorID: f.author.ID, CreatedAt: at, UpdatedAt: at}
	if d.state == workflow.Published {
		s.PublishedAt = &at
	}
	must(t, f.stories.CreateStory(context.Background(), s))
	return s
}

func hitIDs(hs []search.Hit) []string { return idsOf(hs, func(h search.Hit) string { return h.ID }) }

func (f *searchFixture) staff(t *testing.T, q string, flt search.Filter) []string {
	t.Helper()
	hs, _, err := f.svc.Search(context.Background(), f.chief, q, flt)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return hitIDs(hs)
}

func (f *searchFixture) public(t *testing.T, q string) []search.Hit {
	t.Helper()
	hs, _, err := f.svc.SearchPublic(context.Background(), q, search.Filter{})
	if err != nil {
		t.Fatalf("public search %q: %v", q, err)
	}
	return hs
}

func TestSearchFoldingAndRanking(t *testing.T) {
	forEachSearchPlan(t, func(t *testing.T, db *store.DB, plan string) {
		f := newSearchFixture(t, db, plan)
		hanoi := f.add(t, doc{headline: "Hà Nội đón mùa thu", body: "<p>Phố cổ Hà Nội đông khách.</p>"})
		hanoi2 := f.add(t, doc{headline: "Giao thông", sapo: "Tuyến phố mới ở HÀ NỘI", age: time.Hour})
		f.add(t, doc{headline: "Hải Phòng", body: "<p>Cảng biển lớn.</p>"})
		duong := f.add(t, doc{headline: "Đường về quê", body: "<p>Con đường làng.</p>"})
		duong2 := f.add(t, doc{headline: "Dương lịch và âm lịch", body: "<p>Năm dương lịch.</p>"})
		duong3 := f.add(t, doc{headline: "Đương nhiên", body: "<p>Đương sự có mặt.</p>"})

		want := sorted([]string{hanoi.ID, hanoi2.ID})
		for _, q := range []string{"ha noi", "Hà Nội", "HA NOI", "HÀ NỘI", "hà nội ", "Ha\u0300 No\u0323\u0302i"} {
			if got := sorted(f.staff(t, q, search.Filter{})); !slices.Equal(got, want) {
				t.Errorf("%q found %v, want %v", q, got, want)
			}
		}
		// đ folds both ways: "duong" finds all three, "đường" finds all three
		// and ranks the exact one first.
		all := sorted([]string{duong.ID, duong2.ID, duong3.ID})
		if got := sorted(f.staff(t, "duong ", search.Filter{})); !slices.Equal(got, all) {
			t.Errorf("duong found %v, want %v", got, all)
		}
		got := f.staff(t, "đường ", search.Filter{})
		if !slices.Equal(sorted(got), all) || got[0] != duong.ID {
			t.Errorf("đường found %v, want all three with %s first", got, duong.ID)
		}
		if got := f.staff(t, "dương ", search.Filter{}); len(got) != 3 || got[0] != duong2.ID {
			t.Errorf("dương found %v, want %s first", got, duong2.ID)
		}
		if got := f.staff(t, "ĐƯƠNG ", search.Filter{}); len(got) != 3 || got[0] != duong3.ID {
			t.Errorf("ĐƯƠNG found %v, want %s first", got, duong3.ID)
		}
	})
}

func TestSearchSyntax(t *testing.T) {
	forEachSearchPlan(t, func(t *testing.T, db *store.DB, plan string) {
		f := newSearchFixture(t, db, plan)
		a := f.add(t, doc{headline: "Kinh tế Hưng Yên tăng trưởng", body: "<p>Nhãn lồng Hưng Yên.</p>"})
		b := f.add(t, doc{headline: "Yên bình ở Hưng Hà", body: "<p>Kinh tế nông nghiệp.</p>"})
		c := f.add(t, doc{headline: "Tăng trưởng kinh tế", body: "<p>Xuất khẩu <b>tăng</b>.</p>"})
		cases := []struct {
			q    string
			want []string
		}{
			{`"hung yen"`, []string{a.ID}},
			{`hưng yên`, []string{a.ID, b.ID}},
			{`kinh tế -hưng`, []string{c.ID}},
			{`"kinh te" -nong`, []string{a.ID, c.ID}},
			{`tang tru`, []string{a.ID, c.ID}}, // prefix on the last word
			{`tang tru `, nil},                 // a completed word is not a prefix
			{`xuat khau`, []string{c.ID}},
			{`"nhan long`, []string{a.ID}}, // unbalanced quote runs to the end
			// Phrases are looked up by their word pairs on PostgreSQL
			// (migration 00014), then checked as phrases.
			{`"tang truong kinh te"`, []string{c.ID}},
			{`"yen hung"`, nil},
			{`"hung yen" "kinh te"`, []string{a.ID}},
			{`"Hưng Yên tăng" tang`, []string{a.ID}},
		}
		for _, tc := range cases {
			if got := sorted(f.staff(t, tc.q, search.Filter{})); !slices.Equal(got, sorted(tc.want)) {
				t.Errorf("%q found %v, want %v", tc.q, got, tc.want)
			}
		}
	})
}

func TestSearchFiltersAndPages(t *testing.T) {
	forEachSearchPlan(t, func(t *testing.T, db *store.DB, plan string) {
		f := newSearchFixture(t, db, plan)
		var all []string
		for i := 0; i < 7; i++ {
			d := doc{headline: "Bão số " + string(rune('1'+i)), body: "<p>Mưa lớn do bão.</p>", age: time.Duration(i) * 24 * time.Hour,
				tags: []string{"thời tiết"}}
			if i%2 == 1 {
				d.section, d.tags, d.channels = f.sec2.ID, []string{"kinh tế"}, []story.Channel{story.ChannelRadio}
			}
			if i == 6 {
				d.state = workflow.Submitted
			}
			all = append(all, f.add(t, d).ID)
		}
		// recency: same words, newest first
		if got := f.staff(t, "mưa bão", search.Filter{}); !slices.Equal(got, all) {
			t.Errorf("order %v, want newest first %v", got, all)
		}
		if got := f.staff(t, "bão", search.Filter{SectionID: f.sec2.ID}); !slices.Equal(got, []string{all[1], all[3], all[5]}) {
			t.Errorf("section filter: %v", got)
		}
		if got := f.staff(t, "bão", search.Filter{Tag: "thời tiết"}); !slices.Equal(got, []string{all[0], all[2], all[4], all[6]}) {
			t.Errorf("tag filter: %v", got)
		}
		if got := f.staff(t, "bão", search.Filter{Channel: story.ChannelRadio}); !slices.Equal(got, []string{all[1], all[3], all[5]}) {
			t.Errorf("channel filter: %v", got)
		}
		if got := f.staff(t, "bão", search.Filter{States: []workflow.State{workflow.Submitted}}); !slices.Equal(got, []string{all[6]}) {
			t.Errorf("state filter: %v", got)
		}
		if got := f.staff(t, "bão", search.Filter{From: searchNow.Add(-50 * time.Hour), To: searchNow.Add(-12 * time.Hour)}); !slices.Equal(got, []string{all[1], all[2]}) {
			t.Errorf("date filter: %v", got)
		}
		if got := f.staff(t, "bão", search.Filter{AuthorID: f.author.ID}); len(got) != 7 {
			t.Errorf("author filter: %v", got)
		}
		// keyset pages of 3 give every hit once, in order
		var paged []string
		var cur *search.Cursor
		for i := 0; i < 5; i++ {
			hs, next, err := f.svc.Search(context.Background(), f.chief, "bão", search.Filter{Limit: 3, After: cur})
			must(t, err)
			paged = append(paged, hitIDs(hs)...)
			if next == nil {
				break
			}
			cur = next
		}
		if !slices.Equal(paged, all) {
			t.Errorf("pages %v, want %v", paged, all)
		}
		// the reader sees published stories only
		hs, _, err := f.svc.Search(context.Background(), f.reader, "bão", search.Filter{})
		must(t, err)
		if slices.Contains(hitIDs(hs), all[6]) || len(hs) != 6 {
			t.Errorf("reader saw %v", hitIDs(hs))
		}
	})
}

func TestPublicSearchNeverLeaks(t *testing.T) {
	forEachSearchPlan(t, func(t *testing.T, db *store.DB, plan string) {
		f := newSearchFixture(t, db, plan)
		ctx := context.Background()
		pub := f.add(t, doc{headline: "Lũ quét ở Yên Bái", body: "<p>Thông tin <script>x</script> chính thức.</p>"})
		for _, st := range []workflow.State{workflow.Draft, workflow.Submitted, workflow.InEdit, workflow.Approved, workflow.Scheduled, workflow.Killed} {
			f.add(t, doc{headline: "Lũ quét bí mật " + string(st), body: "<p>Bản nháp chưa duyệt bimat.</p>", state: st})
		}
		hs := f.public(t, "lũ quét")
		if !slices.Equal(hitIDs(hs), []string{pub.ID}) {
			t.Fatalf("public found %v, want only %s", hitIDs(hs), pub.ID)
		}
		if got := f.public(t, "bimat"); len(got) != 0 {
			t.Fatalf("public search leaked drafts: %v", hitIDs(got))
		}
		hs, next, err := f.svc.SearchPublic(ctx, "lũ", search.Filter{States: []workflow.State{workflow.Draft}, Limit: 1})
		must(t, err)
		if !slices.Equal(hitIDs(hs), []string{pub.ID}) || next != nil {
			t.Fatalf("a state filter widened public search: %v next %v", hitIDs(hs), next)
		}
		// kill removes it at once; an update is visible at once, inside its transaction too
		killed := *pub
		killed.State, killed.Version = workflow.Killed, 2
		must(t, f.stories.UpdateStory(ctx, &killed, 1))
		if got := f.public(t, "lũ quét"); len(got) != 0 {
			t.Fatalf("killed story still public: %v", hitIDs(got))
		}
		upd := killed
		upd.Headline, upd.State, upd.Version = "Sạt lở đất ở Yên Bái", workflow.Published, 3
		must(t, db.InTx(ctx, func(ctx context.Context) error {
			if err := f.stories.UpdateStory(ctx, &upd, 2); err != nil {
				return err
			}
			hs, _, err := f.svc.SearchPublic(ctx, "sat lo", search.Filter{})
			if err != nil {
				return err
			}
			if !slices.Equal(hitIDs(hs), []string{pub.ID}) {
				t.Errorf("inside the transaction: %v", hitIDs(hs))
			}
			return nil
		}))
		if got := f.public(t, "sat lo"); !slices.Equal(hitIDs(got), []string{pub.ID}) {
			t.Fatalf("update not visible: %v", hitIDs(got))
		}
		if got := f.public(t, `"lu quet"`); len(got) != 0 {
			t.Fatalf("old headline still indexed: %v", hitIDs(got))
		}
	})
}

func TestSearchSnippetsAreSanitized(t *testing.T) {
	forEachSearchPlan(t, func(t *testing.T, db *store.DB, plan string) {
		f := newSearchFixture(t, db, plan)
		f.add(t, doc{headline: "Bài có mã", sapo: `Cảnh báo <img src=x onerror=alert(1)> & "lừa đảo" qua mạng`, body: "<p>Kẻ gian lừa đảo.</p>"})
		hs := f.public(t, "lua dao")
		if len(hs) != 1 {
			t.Fatalf("hits %v", hitIDs(hs))
		}
		sn := hs[0].Snippet
		if strings.Contains(sn, "<img") || !strings.Contains(sn, "&lt;img") || !strings.Contains(sn, "<mark>lừa</mark> <mark>đảo</mark>") {
			t.Fatalf("snippet %q", sn)
		}
		if strings.Count(sn, "<") != strings.Count(sn, "<mark>")+strings.Count(sn, "</mark>") {
			t.Fatalf("snippet has markup besides marks: %q", sn)
		}
	})
}

// hostile are query strings built to break MATCH expressions and tsqueries.
var hostile = []string{`'`, `"`, `*`, `:`, `&`, `|`, `!`, `(`, `)`, `NEAR`, `AND`, `OR`, `NOT`, `-`, `^`, `\`, `:*`, `<->`,
	`');DROP TABLE stories;--`, `" OR 1=1 --`, `NEAR(a b, 1)`, `h:*`, `{h t}:`, `a*b`, `hà`, `nội`, `đ`, `"`, `-"x`, "\x00", "\u200b", "%", "_", "Ð"}

func TestHostileQueriesNeverFail(t *testing.T) {
	forEachSearchPlan(t, func(t *testing.T, db *store.DB, plan string) {
		f := newSearchFixture(t, db, plan)
		f.add(t, doc{headline: "Hà Nội AND OR NEAR", body: "<p>Nội dung.</p>"})
		rng := rand.New(rand.NewSource(8))
		for i := 0; i < 200; i++ {
			var b strings.Builder
			for n := 1 + rng.Intn(8); n > 0; n-- {
				b.WriteString(hostile[rng.Intn(len(hostile))])
				if rng.Intn(2) == 0 {
					b.WriteByte(' ')
				}
			}
			q := b.String()
			_, _, err := f.svc.Search(context.Background(), f.chief, q, search.Filter{})
			if err != nil && !apperr.Is(err, apperr.CodeInvalid) {
				t.Fatalf("query %q: %v", q, err)
			}
			_, _, err = f.svc.SearchPublic(context.Background(), q, search.Filter{})
			if err != nil && !apperr.Is(err, apperr.CodeInvalid) {
				t.Fatalf("public query %q: %v", q, err)
			}
		}
		long := strings.Repeat("hà nội ", 1500)
		if _, _, err := f.svc.Search(context.Background(), f.chief, long, search.Filter{}); !apperr.Is(err, apperr.CodeInvalid) {
			t.Fatalf("10,000-character query: %v", err)
		}
	})
}

// TestReindexSearch: a story whose body_text is empty (an old or imported
// row) is not found by its body words until ReindexSearch fills it; a second
// run changes nothing.
func TestReindexSearch(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newSearchFixture(t, db, "")
		s := f.add(t, doc{headline: "Tin tức", body: "<p>Cầu Long Biên qwzcaulb được sửa</p>"})
		f.add(t, doc{headline: "Rỗng", body: ""})
		blank := `UPDATE stories SET body_text = '' WHERE id = ?`
		if db.Dialect == store.DialectPostgres {
			blank = `UPDATE stories SET body_text = '' WHERE id = $1`
		}
		if _, err := db.SQL.ExecContext(ctx, blank, s.ID); err != nil {
			t.Fatal(err)
		}
		if hs := f.public(t, "qwzcaulb"); len(hs) != 0 {
			t.Fatalf("found before reindex: %v", hitIDs(hs))
		}
		n, err := db.ReindexSearch(ctx)
		if err != nil || n != 1 {
			t.Fatalf("reindex = %d, %v; want 1", n, err)
		}
		if hs := f.public(t, "qwzcaulb"); len(hs) != 1 || hs[0].ID != s.ID {
			t.Fatalf("after reindex: %v", hitIDs(hs))
		}
		if n, err := db.ReindexSearch(ctx); err != nil || n != 0 {
			t.Fatalf("second reindex = %d, %v; want 0", n, err)
		}
	})
}
