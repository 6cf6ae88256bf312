package audit_test

import (
	"context"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// memRepo keeps events in memory, ids 1..n, and answers like the store:
// newest first, below BeforeID, at most Limit.
type memRepo struct {
	events []audit.Event
	calls  int
	limits []int
}

func (m *memRepo) RecordEvent(_ context.Context, e *audit.Event) error {
	e.ID = int64(len(m.events) + 1)
	m.events = append(m.events, *e)
	return nil
}

func (m *memRepo) FindEvents(_ context.Context, f audit.Filter) ([]audit.Event, error) {
	m.calls++
	m.limits = append(m.limits, f.Limit)
	var out []audit.Event
	for i := len(m.events) - 1; i >= 0; i-- {
		e := m.events[i]
		if f.BeforeID > 0 && e.ID >= f.BeforeID {
			continue
		}
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
		out = append(out, e)
	}
	return out, nil
}

func TestFindEventsPermission(t *testing.T) {
	for _, tc := range []struct {
		actor user.Actor
		ok    bool
	}{
		{user.Actor{UserID: "a", Role: user.RoleAdmin}, true},
		{user.Actor{UserID: "r", Role: user.RoleReporter}, false},
		{user.Actor{UserID: "e", Role: user.RoleEditor}, false},
		{user.Actor{UserID: "m", Role: user.RoleManagingEditor}, false},
		{user.Actor{UserID: "c", Role: user.RoleEditorInChief}, false},
		{user.Actor{UserID: "p", Role: user.RoleProducer}, false},
		{user.System, false},
	} {
		t.Run(string(tc.actor.Role)+"/"+tc.actor.Username, func(t *testing.T) {
			repo := &memRepo{}
			_ = repo.RecordEvent(context.Background(), audit.New(tc.actor, "story.create", "story", "s1"))
			svc := audit.NewService(repo, nil, 0)
			got, _, err := svc.FindEvents(context.Background(), tc.actor, audit.Filter{})
			if tc.ok {
				if err != nil || len(got) != 1 {
					t.Fatalf("admin: got %d events, err %v; want 1, nil", len(got), err)
				}
				return
			}
			if !apperr.Is(err, apperr.CodeForbidden) {
				t.Fatalf("err = %v, want forbidden", err)
			}
			if repo.calls != 0 {
				t.Fatalf("the repository was read %d times for a refused actor", repo.calls)
			}
		})
	}
}

func TestFindEventsPages(t *testing.T) {
	ctx := context.Background()
	admin := user.Actor{UserID: "a", Username: "admin", Role: user.RoleAdmin}
	repo := &memRepo{}
	for i := 0; i < 7; i++ {
		_ = repo.RecordEvent(ctx, audit.New(admin, "user.create", "user", "u"))
	}
	svc := audit.NewService(repo, nil, 0)
	var ids []int64
	f := audit.Filter{Limit: 3}
	for page := 0; ; page++ {
		got, next, err := svc.FindEvents(ctx, admin, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > 3 {
			t.Fatalf("page %d holds %d events, want at most 3", page, len(got))
		}
		for _, e := range got {
			ids = append(ids, e.ID)
		}
		if next == 0 {
			break
		}
		if next != got[len(got)-1].ID {
			t.Fatalf("next = %d, want the last id on the page %d", next, got[len(got)-1].ID)
		}
		f.BeforeID = next
	}
	want := []int64{7, 6, 5, 4, 3, 2, 1}
	if len(ids) != len(want) {
		t.Fatalf("walked %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("walked %v, want %v", ids, want)
		}
	}

	for _, tc := range []struct{ in, asked int }{{0, audit.DefaultLimit + 1}, {10, 11}, {audit.MaxLimit + 1, audit.MaxLimit + 1}} {
		repo.limits = nil
		if _, _, err := svc.FindEvents(ctx, admin, audit.Filter{Limit: tc.in}); err != nil {
			t.Fatal(err)
		}
		if repo.limits[0] != tc.asked {
			t.Errorf("Limit %d asked the store for %d, want %d", tc.in, repo.limits[0], tc.asked)
		}
	}
}
