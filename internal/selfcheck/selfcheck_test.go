package selfcheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// The fakes below stand in for the services other branches build (the
// lead wires the real ones): each returns what the test sets.

type fakeUsers struct {
	roles              []user.Role
	required, enrolled int
	maxFailed          int
	lockFor, lockMax   time.Duration
	dormantN           int
	dormantAfter       time.Duration
	err                error
}

func (f fakeUsers) MFACoverage(context.Context) (int, int, error) {
	return f.required, f.enrolled, f.err
}
func (f fakeUsers) MFARequiredRoles() []user.Role { return f.roles }
func (f fakeUsers) LockoutPolicy() (int, time.Duration, time.Duration) {
	return f.maxFailed, f.lockFor, f.lockMax
}
func (f fakeUsers) DormantActive(context.Context) (int, error) { return f.dormantN, f.err }
func (f fakeUsers) DormantAfter() time.Duration                { return f.dormantAfter }

type fakeAudit struct {
	rows       int
	broken     string
	keep       time.Duration
	lastExport time.Time
	err        error
}

func (f fakeAudit) Verify(context.Context) (int, string, error)   { return f.rows, f.broken, f.err }
func (f fakeAudit) Retention() time.Duration                      { return f.keep }
func (f fakeAudit) LastExport(context.Context) (time.Time, error) { return f.lastExport, f.err }

type fakeBackups struct {
	at    time.Time
	every time.Duration
	err   error
}

func (f fakeBackups) LastSuccess(context.Context) (time.Time, string, error) {
	return f.at, "/var/backups/newsroom-1.tar", f.err
}
func (f fakeBackups) Interval() time.Duration { return f.every }

type fakeClock struct {
	off time.Duration
	err error
}

func (f fakeClock) ClockOffset(context.Context) (time.Duration, error) { return f.off, f.err }

type memAudit struct{ events []audit.Event }

func (m *memAudit) RecordEvent(_ context.Context, e *audit.Event) error {
	m.events = append(m.events, *e)
	return nil
}
func (m *memAudit) FindEvents(context.Context, audit.Filter) ([]audit.Event, error) { return nil, nil }

var now = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

var errBoom = errors.New("boom")

func wantStatus(t *testing.T, c Control, id string, want Status, detail ...string) {
	t.Helper()
	if c.ID != id || c.Status != want {
		t.Errorf("%s: got %s %s (%s), want %s", id, c.ID, c.Status, c.Message.Text("en"), want)
	}
	for _, d := range detail {
		if got := c.Message.Text("en"); !strings.Contains(got, d) {
			t.Errorf("%s: detail %q lacks %q", id, got, d)
		}
	}
}

func TestClassifyAccountControls(t *testing.T) {
	ctx := context.Background()
	roles := []user.Role{user.RoleAdmin, user.RoleEditorInChief}
	wantStatus(t, mfaCoverage(ctx, fakeUsers{roles: roles, required: 3, enrolled: 3}), IDMFACoverage, Pass, "all 3")
	wantStatus(t, mfaCoverage(ctx, fakeUsers{roles: roles, required: 3, enrolled: 1}), IDMFACoverage, Fail, "2 of 3", "admin, editor_in_chief")
	wantStatus(t, mfaCoverage(ctx, fakeUsers{}), IDMFACoverage, Warn, "mfa_required_roles is empty")
	wantStatus(t, mfaCoverage(ctx, fakeUsers{roles: roles, err: errBoom}), IDMFACoverage, Fail, "boom")
	wantStatus(t, mfaCoverage(ctx, nil), IDMFACoverage, Fail, "not available in this build")

	good := PasswordPolicy{MinLength: 12, Classes: 3, CommonList: true, History: 5, MaxAge: 90 * 24 * time.Hour}
	wantStatus(t, passwordPolicy(good), IDPasswordPolicy, Pass, "90 days")
	weak := good
	weak.History, weak.MaxAge = 3, 0
	wantStatus(t, passwordPolicy(weak), IDPasswordPolicy, Warn, "history of 3 < 5", "never expire")
	weak = good
	weak.MaxAge, weak.Classes = 180*24*time.Hour, 2
	wantStatus(t, passwordPolicy(weak), IDPasswordPolicy, Warn, "180 days > 90", "classes 2 < 3")
	weak = good
	weak.MinLength = 8
	wantStatus(t, passwordPolicy(weak), IDPasswordPolicy, Fail, "minimum length 8 < 12")
	weak = good
	weak.CommonList = false
	wantStatus(t, passwordPolicy(weak), IDPasswordPolicy, Fail, "common passwords")
	if vi := passwordPolicy(weak).Message.Text("vi"); !strings.Contains(vi, "mật khẩu phổ biến") {
		t.Errorf("password policy in Vietnamese: %q", vi)
	}

	wantStatus(t, lockout(fakeUsers{maxFailed: 5, lockFor: 15 * time.Minute, lockMax: 24 * time.Hour}.LockoutPolicy()), IDLockout, Pass, "15m after 5", "24h")
	wantStatus(t, lockout(5, 0, 0), IDLockout, Warn, "permanent")
	wantStatus(t, lockout(50, time.Minute, time.Hour), IDLockout, Warn, "50 failed")
	wantStatus(t, lockout(0, time.Minute, time.Hour), IDLockout, Fail)

	wantStatus(t, idleTimeouts(15*time.Minute, 5*time.Minute), IDIdleTimeouts, Pass, "15m idle, 5m for admins")
	wantStatus(t, idleTimeouts(30*time.Minute, 5*time.Minute), IDIdleTimeouts, Warn, "30m")
	wantStatus(t, idleTimeouts(15*time.Minute, 10*time.Minute), IDIdleTimeouts, Warn)

	after := 90 * 24 * time.Hour
	wantStatus(t, dormant(ctx, fakeUsers{dormantAfter: after}), IDDormantAccounts, Pass, "90 days")
	wantStatus(t, dormant(ctx, fakeUsers{dormantAfter: after, dormantN: 2}), IDDormantAccounts, Warn, "2 accounts")
	wantStatus(t, dormant(ctx, fakeUsers{}), IDDormantAccounts, Warn, "job is off")
	wantStatus(t, dormant(ctx, fakeUsers{dormantAfter: after, err: errBoom}), IDDormantAccounts, Fail, "boom")
}

func TestClassifyConnectionControls(t *testing.T) {
	native := RequestFacts{HTTPS: true, NativeTLS: true, Peer: "203.0.113.9"}
	proxied := RequestFacts{HTTPS: true, ViaTrustedProxy: true, Peer: "10.0.0.2"}
	plain := RequestFacts{Peer: "203.0.113.9"}
	spoofed := RequestFacts{ForwardedUntrusted: true, Peer: "203.0.113.9"}
	for _, f := range []RequestFacts{native, proxied} {
		wantStatus(t, tlsControl(f), IDTLS, Pass)
		wantStatus(t, hsts(f), IDHSTS, Pass, "max-age=31536000")
	}
	wantStatus(t, tlsControl(plain), IDTLS, Fail, "plain HTTP")
	wantStatus(t, hsts(plain), IDHSTS, Fail)

	proxies := []string{"10.0.0.0/24"}
	wantStatus(t, trustedProxies(native, nil), IDTrustedProxies, Pass, "native TLS")
	wantStatus(t, trustedProxies(proxied, proxies), IDTrustedProxies, Pass, "10.0.0.2", "10.0.0.0/24")
	wantStatus(t, trustedProxies(plain, nil), IDTrustedProxies, Pass, "no proxy")
	wantStatus(t, trustedProxies(plain, proxies), IDTrustedProxies, Warn, "straight from 203.0.113.9")
	wantStatus(t, trustedProxies(spoofed, nil), IDTrustedProxies, Warn, "X-Forwarded-* from 203.0.113.9")
	wantStatus(t, trustedProxies(proxied, []string{"0.0.0.0/0"}), IDTrustedProxies, Fail, "every address")

	req := httptest.NewRequest("GET", "/api/v1/admin/security", nil)
	req.RemoteAddr = "203.0.113.9:4000"
	req.Header.Set("X-Forwarded-Proto", "https")
	if f := FactsOf(req, false, false, "vi"); !f.ForwardedUntrusted || f.Peer != "203.0.113.9" || f.HTTPS || f.NativeTLS {
		t.Errorf("untrusted forwarded request: %+v", f)
	}
	if f := FactsOf(req, true, true, "en"); f.ForwardedUntrusted || !f.ViaTrustedProxy || !f.HTTPS {
		t.Errorf("trusted forwarded request: %+v", f)
	}

	wantStatus(t, adminAllow([]string{"10.1.0.0/16"}), IDAdminAllowCIDRs, Pass, "10.1.0.0/16")
	wantStatus(t, adminAllow(nil), IDAdminAllowCIDRs, Warn, "empty")
}

func TestClassifyAuditBackupClock(t *testing.T) {
	ctx := context.Background()
	wantStatus(t, auditChain(ctx, fakeAudit{rows: 120}), IDAuditChain, Pass, "120 rows")
	wantStatus(t, auditChain(ctx, fakeAudit{rows: 57, broken: "57"}), IDAuditChain, Fail, "broken at row 57")
	wantStatus(t, auditChain(ctx, fakeAudit{err: errBoom}), IDAuditChain, Fail, "boom")
	wantStatus(t, auditChain(ctx, nil), IDAuditChain, Fail, "not available")

	keep := 365 * 24 * time.Hour
	wantStatus(t, auditRetention(ctx, fakeAudit{keep: keep, lastExport: now}), IDAuditRetention, Pass, "365 days", "03/12/2026 17:00")
	wantStatus(t, auditRetention(ctx, fakeAudit{keep: keep}), IDAuditRetention, Pass, "none yet")
	wantStatus(t, auditRetention(ctx, fakeAudit{keep: 30 * 24 * time.Hour}), IDAuditRetention, Fail, "only 30 days")
	wantStatus(t, auditRetention(ctx, fakeAudit{keep: keep, err: errBoom}), IDAuditRetention, Warn, "cannot be reached")

	day := 24 * time.Hour
	wantStatus(t, backup(ctx, fakeBackups{at: now.Add(-30 * time.Hour), every: day}, now), IDBackup, Pass, "newsroom-1.tar", "every 24h")
	wantStatus(t, backup(ctx, fakeBackups{at: now.Add(-49 * time.Hour), every: day}, now), IDBackup, Warn, "twice the interval")
	wantStatus(t, backup(ctx, fakeBackups{at: now.Add(-time.Hour)}, now), IDBackup, Warn, "no backups are scheduled")
	wantStatus(t, backup(ctx, fakeBackups{every: day}, now), IDBackup, Fail, "no backup has succeeded")
	wantStatus(t, backup(ctx, fakeBackups{err: errBoom}, now), IDBackup, Fail, "boom")

	wantStatus(t, clockOffset(ctx, fakeClock{off: 1500 * time.Millisecond}), IDClockOffset, Pass, "1.5s")
	wantStatus(t, clockOffset(ctx, fakeClock{off: -2500 * time.Millisecond}), IDClockOffset, Warn, "-2.5s", "NTP")
	wantStatus(t, clockOffset(ctx, fakeClock{err: errBoom}), IDClockOffset, Fail, "boom")
}

func TestClassifyDeploymentControls(t *testing.T) {
	wantStatus(t, database("postgres"), IDDatabase, Pass)
	wantStatus(t, database("sqlite"), IDDatabase, Warn, "embedded default, for one machine")
	wantStatus(t, objectStorage("minio"), IDObjectStorage, Pass)
	wantStatus(t, objectStorage("local"), IDObjectStorage, Warn, "local folder")

	wantStatus(t, metrics(Settings{}), IDMetrics, Pass, "not served")
	wantStatus(t, metrics(Settings{MetricsAddr: "127.0.0.1:9180", MetricsLoopback: true}), IDMetrics, Pass, "loopback")
	wantStatus(t, metrics(Settings{MetricsAddr: "0.0.0.0:9180", MetricsToken: true}), IDMetrics, Pass, "bearer token")
	wantStatus(t, metrics(Settings{MetricsAddr: "0.0.0.0:9180"}), IDMetrics, Fail, "without a token")

	wantStatus(t, distributionKey(Settings{DistributionKeySet: true}), IDDistributionKey, Pass)
	wantStatus(t, distributionKey(Settings{}), IDDistributionKey, Warn, "no key")
	file := filepath.Join(t.TempDir(), "distribution.key")
	wantStatus(t, distributionKey(Settings{KeyFile: file}), IDDistributionKey, Warn, "no key")
	if err := os.WriteFile(file, []byte("k"), 0o600); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, distributionKey(Settings{KeyFile: file}), IDDistributionKey, Pass, file)
	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, distributionKey(Settings{KeyFile: file}), IDDistributionKey, Fail, "0644")
}

// Check refuses anyone but an admin, answers every control in order in the
// asked language, and records the view; nil sources fail as not available.
func TestCheckRolesOrderAndAudit(t *testing.T) {
	log := &memAudit{}
	s := New(Settings{IdleTimeout: 15 * time.Minute, AdminIdleTimeout: 5 * time.Minute, Dialect: "sqlite", StorageKind: "local"},
		Sources{AuditLog: log, Clock: fakeClock{off: time.Millisecond}})
	s.SetClock(func() time.Time { return now })
	ctx := context.Background()
	for _, r := range []user.Role{user.RoleEditorInChief, user.RoleReporter} {
		if _, err := s.Check(ctx, user.Actor{UserID: "u1", Role: r}, RequestFacts{}); apperr.CodeOf(err) != apperr.CodeForbidden {
			t.Errorf("%s: err %v, want forbidden", r, err)
		}
	}
	if len(log.events) != 0 {
		t.Fatalf("a refused check was recorded: %+v", log.events)
	}
	rep, err := s.Check(ctx, user.Actor{UserID: "a1", Username: "quantri", Role: user.RoleAdmin}, RequestFacts{Lang: "vi"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Controls) != len(IDs) || !rep.CheckedAt.Equal(now) {
		t.Fatalf("report: %+v", rep)
	}
	for i, c := range rep.Controls {
		if c.ID != IDs[i] || c.Detail == "" {
			t.Errorf("control %d: %+v, want id %s with a detail", i, c, IDs[i])
		}
	}
	byID := map[string]Control{}
	for _, c := range rep.Controls {
		byID[c.ID] = c
	}
	for _, id := range []string{IDMFACoverage, IDPasswordPolicy, IDLockout, IDAdminAllowCIDRs, IDAuditChain, IDBackup} {
		if c := byID[id]; c.Status != Fail || c.Detail != "Chưa có trong bản dựng này" {
			t.Errorf("%s without a source: %+v", id, c)
		}
	}
	if c := byID[IDClockOffset]; c.Status != Pass {
		t.Errorf("clock offset with a source: %+v", c)
	}
	if len(log.events) != 1 || log.events[0].Action != "security.selfcheck_viewed" || log.events[0].ActorID != "a1" {
		t.Fatalf("audit: %+v", log.events)
	}
	if d := log.events[0].Details; d["fail"] != rep.Count(Fail) || d["pass"] != rep.Count(Pass) {
		t.Errorf("audit details %v", d)
	}
	if en := rep.In("en"); en.Controls[0].Detail != "not available in this build" {
		t.Errorf("In(en): %q", en.Controls[0].Detail)
	}
}

// The OpenAPI document lists exactly the control ids, in report order.
func TestOpenAPIListsEveryControl(t *testing.T) {
	b, err := os.ReadFile("../httpapi/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum []any `json:"enum"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range doc.Components.Schemas["SecurityControl"].Properties["id"].Enum {
		got = append(got, fmt.Sprint(v))
	}
	if !slices.Equal(got, IDs) {
		t.Errorf("openapi.json SecurityControl.id enum %v, want %v", got, IDs)
	}
}
