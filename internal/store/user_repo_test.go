package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

func TestUserRepository(t *testing.T) {
	forEachFixture(t, func(t *testing.T, ctx context.Context, f *fixture) {
		repo := f.users
		sec1, sec2 := f.section(t, "thoi-su"), f.section(t, "the-thao")

		u := &user.User{ID: uuid.NewString(), Username: "lan", DisplayName: "Nguyễn Thị Lan", Email: "lan@toasoan.vn",
			Role: user.RoleEditor, SectionIDs: []string{sec2.ID, sec1.ID}, Active: true, MustChangePassword: true,
			LastLoginAt: tp(base.Add(time.Hour)), CreatedAt: base, UpdatedAt: base.Add(time.Minute), PasswordHash: "$argon2id$x"}
		must(t, repo.CreateUser(ctx, u))
		if !u.CreatedAt.Equal(us(base)) || u.CreatedAt.Nanosecond()%1000 != 0 {
			t.Fatalf("CreateUser did not normalise times: %v", u.CreatedAt)
		}
		got, err := repo.FindUserByID(ctx, u.ID)
		mustRead(t, "round trip", got, err, u)
		got, err = repo.FindUserByUsername(ctx, "lan")
		must(t, err)
		if got.ID != u.ID {
			t.Fatalf("by username: %v", got.ID)
		}
		_, err = repo.FindUserByUsername(ctx, "nobody")
		mustCode(t, err, apperr.CodeNotFound)
		_, err = repo.FindUserByID(ctx, uuid.NewString())
		mustCode(t, err, apperr.CodeNotFound)

		dup := *u
		dup.ID = uuid.NewString()
		mustCode(t, repo.CreateUser(ctx, &dup), apperr.CodeConflict)

		// Update every field, sections included.
		u.DisplayName, u.Email, u.Role, u.SectionIDs = "Lan Nguyễn", "l@x.vn", user.RoleManagingEditor, []string{sec1.ID}
		u.Active, u.MustChangePassword, u.FailedLogins = false, false, 2
		u.LockedAt, u.LastLoginAt, u.UpdatedAt, u.PasswordHash = tp(base.Add(2*time.Hour)), nil, base.Add(3*time.Hour), "h2"
		must(t, repo.UpdateUser(ctx, u))
		got, err = repo.FindUserByID(ctx, u.ID)
		mustRead(t, "after update", got, err, u)
		ghost := *u
		ghost.ID = uuid.NewString()
		mustCode(t, repo.UpdateUser(ctx, &ghost), apperr.CodeNotFound)

		// FindUsers and CountUsers.
		f.user(t, "hung", user.RoleReporter)
		f.user(t, "an_admin", user.RoleAdmin)
		n, err := repo.CountUsers(ctx)
		must(t, err)
		if n != 3 {
			t.Fatalf("CountUsers = %d", n)
		}
		all, err := repo.FindUsers(ctx, user.Filter{})
		must(t, err)
		if len(all) != 3 || all[0].Username != "an_admin" || all[2].Username != "lan" {
			t.Fatalf("FindUsers order: %+v", all)
		}
		active := true
		for _, c := range []struct {
			f    user.Filter
			want []string
		}{
			{user.Filter{Role: user.RoleReporter}, []string{"hung"}},
			{user.Filter{Active: &active}, []string{"an_admin", "hung"}},
			{user.Filter{Query: "NGUYỄN"}, []string{"lan"}}, // the query is lower-cased in Go; stored "ễ" is already lower
			{user.Filter{Query: "lan"}, []string{"lan"}},
			{user.Filter{Query: "_"}, []string{"an_admin"}}, // '_' is literal, not a wildcard
			{user.Filter{Limit: 1}, []string{"an_admin"}},
		} {
			got, err := repo.FindUsers(ctx, c.f)
			must(t, err)
			var names []string
			for _, u := range got {
				names = append(names, u.Username)
			}
			if !reflect.DeepEqual(names, c.want) {
				t.Fatalf("FindUsers(%+v) = %v, want %v", c.f, names, c.want)
			}
		}

		// Sessions.
		s1 := &user.Session{ID: uuid.NewString(), UserID: u.ID, TokenHash: "th1", CreatedAt: base, LastSeenAt: base,
			ExpiresAt: base.Add(12 * time.Hour), IP: "10.0.0.1", UserAgent: "Firefox"}
		s2 := &user.Session{ID: uuid.NewString(), UserID: u.ID, TokenHash: "th2", CreatedAt: base, LastSeenAt: base, ExpiresAt: base}
		s3 := &user.Session{ID: uuid.NewString(), UserID: u.ID, TokenHash: "th3", CreatedAt: base, LastSeenAt: base, ExpiresAt: base}
		for _, s := range []*user.Session{s1, s2, s3} {
			must(t, repo.CreateSession(ctx, s))
		}
		gs, err := repo.FindSessionByTokenHash(ctx, "th1")
		mustRead(t, "session round trip", gs, err, s1)
		must(t, repo.TouchSession(ctx, s1.ID, base.Add(time.Minute)))
		gs, _ = repo.FindSessionByTokenHash(ctx, "th1")
		if !gs.LastSeenAt.Equal(us(base.Add(time.Minute))) {
			t.Fatalf("TouchSession: %v", gs.LastSeenAt)
		}
		mustCode(t, repo.TouchSession(ctx, uuid.NewString(), base), apperr.CodeNotFound)
		must(t, repo.DeleteSession(ctx, s3.ID))
		_, err = repo.FindSessionByTokenHash(ctx, "th3")
		mustCode(t, err, apperr.CodeNotFound)
		must(t, repo.DeleteSession(ctx, s3.ID)) // idempotent
		must(t, repo.DeleteUserSessions(ctx, u.ID, s1.ID))
		_, err = repo.FindSessionByTokenHash(ctx, "th2")
		mustCode(t, err, apperr.CodeNotFound)
		_, err = repo.FindSessionByTokenHash(ctx, "th1")
		must(t, err)
		must(t, repo.DeleteUserSessions(ctx, u.ID, ""))
		_, err = repo.FindSessionByTokenHash(ctx, "th1")
		mustCode(t, err, apperr.CodeNotFound)

		// API tokens.
		t1 := &user.APIToken{ID: uuid.NewString(), UserID: u.ID, Name: "CMS cũ", Scopes: []string{user.ScopeRead, user.ScopeWrite},
			CreatedAt: base, ExpiresAt: tp(base.Add(24 * time.Hour)), TokenHash: "tok1"}
		t2 := &user.APIToken{ID: uuid.NewString(), UserID: u.ID, Name: "Zalo", Scopes: []string{user.ScopeRead},
			CreatedAt: base.Add(time.Second), TokenHash: "tok2"}
		must(t, repo.CreateAPIToken(ctx, t1))
		must(t, repo.CreateAPIToken(ctx, t2))
		gt, err := repo.FindAPITokenByHash(ctx, "tok1")
		mustRead(t, "token round trip", gt, err, t1)
		_, err = repo.FindAPITokenByHash(ctx, "nope")
		mustCode(t, err, apperr.CodeNotFound)
		list, err := repo.FindAPITokens(ctx, u.ID)
		must(t, err)
		if len(list) != 2 || list[0].ID != t2.ID {
			t.Fatalf("FindAPITokens newest first: %+v", list)
		}
		must(t, repo.TouchAPIToken(ctx, t1.ID, base.Add(time.Hour)))
		mustCode(t, repo.TouchAPIToken(ctx, uuid.NewString(), base), apperr.CodeNotFound)
		other := f.user(t, "other", user.RoleReporter)
		mustCode(t, repo.RevokeAPIToken(ctx, other.ID, t1.ID, base), apperr.CodeNotFound)
		must(t, repo.RevokeAPIToken(ctx, u.ID, t1.ID, base.Add(2*time.Hour)))
		must(t, repo.RevokeAPIToken(ctx, u.ID, t1.ID, base.Add(3*time.Hour))) // keeps the first time
		gt, _ = repo.FindAPITokenByHash(ctx, "tok1")
		if gt.RevokedAt == nil || !gt.RevokedAt.Equal(us(base.Add(2*time.Hour))) || !gt.LastUsedAt.Equal(us(base.Add(time.Hour))) {
			t.Fatalf("revoke/touch: %+v", gt)
		}
	})
}

func TestRecordFailedLogin(t *testing.T) {
	forEachFixture(t, func(t *testing.T, ctx context.Context, f *fixture) {
		u := f.user(t, "minh", user.RoleReporter)
		for i := 1; i <= 5; i++ {
			count, locked, err := f.users.RecordFailedLogin(ctx, u.ID, 3, base.Add(time.Duration(i)*time.Second))
			must(t, err)
			if count != i || locked != (i >= 3) {
				t.Fatalf("attempt %d: count %d locked %v", i, count, locked)
			}
		}
		got, err := f.users.FindUserByID(ctx, u.ID)
		must(t, err)
		if got.FailedLogins != 5 || got.LockedAt == nil || !got.LockedAt.Equal(us(base.Add(3*time.Second))) {
			t.Fatalf("after lock: failed %d locked_at %v (want the time of attempt 3)", got.FailedLogins, got.LockedAt)
		}
		_, _, err = f.users.RecordFailedLogin(ctx, uuid.NewString(), 3, base)
		mustCode(t, err, apperr.CodeNotFound)

		// Concurrent failures are all counted.
		v := f.user(t, "vy", user.RoleReporter)
		const n = 20
		errs := make(chan error, n)
		for range n {
			go func() {
				_, _, err := f.users.RecordFailedLogin(ctx, v.ID, 10, base)
				errs <- err
			}()
		}
		for range n {
			must(t, <-errs)
		}
		got, _ = f.users.FindUserByID(ctx, v.ID)
		if got.FailedLogins != n || !got.Locked() {
			t.Fatalf("concurrent: failed %d locked %v", got.FailedLogins, got.Locked())
		}
	})
}

// TestLoginThrottleRepository: token buckets and per-source login locks are
// changed atomically (concurrent takes never hand out more tokens than the
// bucket holds), cleared by name or by name and source, and pruned.
func TestLoginThrottleRepository(t *testing.T) {
	forEachFixture(t, func(t *testing.T, ctx context.Context, f *fixture) {
		repo := f.users
		rate := user.Rate{Burst: 3, PerMinute: 60}
		for i := range 3 {
			ok, _, err := repo.TakeLoginToken(ctx, "ip:a", rate, base)
			must(t, err)
			if !ok {
				t.Fatalf("take %d refused", i)
			}
		}
		ok, wait, err := repo.TakeLoginToken(ctx, "ip:a", rate, base)
		must(t, err)
		if ok || wait < 990*time.Millisecond || wait > time.Second {
			t.Fatalf("empty bucket: ok %v wait %v", ok, wait)
		}
		must(t, repo.GiveLoginToken(ctx, "ip:a", rate, base))
		if ok, _, _ := repo.TakeLoginToken(ctx, "ip:a", rate, base); !ok {
			t.Fatal("a given-back token cannot be taken")
		}
		if ok, _, _ := repo.TakeLoginToken(ctx, "ip:a", rate, base.Add(1500*time.Millisecond)); !ok {
			t.Fatal("no token after a refill")
		}

		// Concurrent takes: exactly the burst succeeds.
		const n = 20
		oks := make(chan bool, n)
		for range n {
			go func() {
				ok, _, err := repo.TakeLoginToken(ctx, "ip:b", user.Rate{Burst: 7, PerMinute: 1}, base)
				if err != nil {
					t.Error(err)
				}
				oks <- ok
			}()
		}
		taken := 0
		for range n {
			if <-oks {
				taken++
			}
		}
		if taken != 7 {
			t.Fatalf("concurrent takes: %d tokens handed out, want 7", taken)
		}

		// Locks: changed in place, by name and source.
		fail := func(name, source string, at time.Time) *user.LoginLock {
			l, err := repo.ChangeLoginLock(ctx, name, source, func(l *user.LoginLock) bool {
				l.Fail(2, time.Minute, time.Hour, at)
				return true
			})
			must(t, err)
			return l
		}
		fail("n1", "s1", base)
		l := fail("n1", "s1", base)
		if !l.LockedAt(base) || l.Lockouts != 1 || !l.LockedUntil.Equal(us(base.Add(time.Minute))) {
			t.Fatalf("lock after 2 failures: %+v", l)
		}
		fail("n1", "s2", base)
		fail("n2", "s1", base)
		must(t, repo.ClearLoginLocks(ctx, "n1", "s1"))
		l, err = repo.ChangeLoginLock(ctx, "n1", "s1", func(*user.LoginLock) bool { return false })
		must(t, err)
		if l.Failures != 0 || l.LockedUntil != nil {
			t.Fatalf("cleared lock: %+v", l)
		}
		must(t, repo.ClearLoginLocks(ctx, "n1", ""))
		if l, _ := repo.ChangeLoginLock(ctx, "n1", "s2", func(*user.LoginLock) bool { return false }); l.Failures != 0 {
			t.Fatalf("n1 from s2 after clearing n1: %+v", l)
		}
		if l, _ := repo.ChangeLoginLock(ctx, "n2", "s1", func(*user.LoginLock) bool { return false }); l.Failures != 1 {
			t.Fatalf("n2 lost its failure: %+v", l)
		}

		// Pruning drops what is stale only.
		must(t, repo.PruneLogin(ctx, base.Add(time.Second), base.Add(time.Second)))
		if ok, _, _ := repo.TakeLoginToken(ctx, "ip:b", user.Rate{Burst: 7, PerMinute: 1}, base.Add(2*time.Second)); !ok {
			t.Fatal("a pruned (so full) bucket refuses")
		}
		if l, _ := repo.ChangeLoginLock(ctx, "n2", "s1", func(*user.LoginLock) bool { return false }); l.Failures != 0 {
			t.Fatalf("stale lock not pruned: %+v", l)
		}
	})
}
