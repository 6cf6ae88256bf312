package store_test

import (
	"context"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// base is a time with nanoseconds, to check truncation to microseconds.
var base = time.Date(2026, 11, 25, 8, 30, 15, 123456789, time.FixedZone("ICT", 7*3600))

func us(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func tp(t time.Time) *time.Time { return &t }

func mustCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("want %s error, got %v", code, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// mustRead fails unless a read succeeded and found what was stored.
func mustRead[T any](t *testing.T, what string, got T, err error, want T) {
	t.Helper()
	must(t, err)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

type fixture struct {
	db      *store.DB
	users   user.Repository
	stories story.Repository
}

// forEachFixture runs fn as a subtest per dialect (testutil.ForEachDialect),
// with a fixture on the dialect's fresh database.
func forEachFixture(t *testing.T, fn func(t *testing.T, ctx context.Context, f *fixture)) {
	t.Helper()
	testutil.ForEachDialect(t, func(t *testing.T, db *store.DB) { fn(t, context.Background(), newFixture(db)) })
}

func newFixture(db *store.DB) *fixture {
	return &fixture{db: db, users: store.NewUserRepository(db), stories: store.NewStoryRepository(db)}
}

func (f *fixture) user(t *testing.T, name string, role user.Role, sections ...string) *user.User {
	t.Helper()
	u := &user.User{ID: uuid.NewString(), Username: name, DisplayName: "Người " + name, Email: name + "@toasoan.vn",
		Role: role, SectionIDs: sections, Active: true, PasswordHash: "hash", CreatedAt: base, UpdatedAt: base}
	must(t, f.users.CreateUser(context.Background(), u))
	return u
}

func (f *fixture) section(t *testing.T, name string) *story.Section {
	t.Helper()
	s := &story.Section{ID: uuid.NewString(), Name: name, Slug: name, ApprovalLevels: 2,
		LevelRoles: [][]user.Role{{user.RoleEditor}, {user.RoleManagingEditor, user.RoleEditorInChief}},
		CreatedAt:  base, UpdatedAt: base}
	must(t, f.stories.CreateSection(context.Background(), s))
	return s
}

func (f *fixture) story(t *testing.T, sectionID, authorID string, state workflow.State, updated time.Time) *story.Story {
	t.Helper()
	s := &story.Story{ID: uuid.NewString(), SectionID: sectionID, Headline: "Tít bài", Sapo: "Sa pô", Body: "<p>Nội dung</p>",
		Byline: "PV", Tags: []string{"kinh-te"}, Channels: []story.Channel{story.ChannelWeb}, State: state, Version: 1,
		Slug: "tit-bai-" + uuid.NewString()[:8], AuthorID: authorID, CreatedAt: updated, UpdatedAt: updated}
	must(t, f.stories.CreateStory(context.Background(), s))
	return s
}

// ids are the ids of stories.
func ids(ss []story.Story) []string { return idsOf(ss, func(s story.Story) string { return s.ID }) }

// idsOf maps a list to the ids of its items, in order.
func idsOf[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func sorted(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}
