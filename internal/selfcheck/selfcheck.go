// Package selfcheck is the security self-check (issue 13, level 3): it looks
// at the running newsroom's configuration and state and says, control by
// control, whether it passes, deserves a warning or fails. The desk page
// /desk/admin/security and GET /api/v1/admin/security show the same report;
// the yearly report reuses it as evidence through Evaluate, without HTTP.
//
// Each control reads a small source interface (the account, audit, backup
// and clock services, as they are built); a source that this build does not
// have is nil, and its control fails with "not available in this build".
package selfcheck

import (
	"context"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Status is a control's verdict.
type Status string

// The verdicts, from best to worst.
const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
)

// The controls' ids, in the order of the report (docs/security.md explains each).
const (
	IDMFACoverage     = "mfa_coverage"
	IDPasswordPolicy  = "password_policy"
	IDLockout         = "lockout"
	IDIdleTimeouts    = "idle_timeouts"
	IDTLS             = "tls"
	IDHSTS            = "hsts"
	IDTrustedProxies  = "trusted_proxies"
	IDAdminAllowCIDRs = "admin_allow_cidrs"
	IDAuditChain      = "audit_chain"
	IDAuditRetention  = "audit_retention"
	IDBackup          = "backup"
	IDClockOffset     = "clock_offset"
	IDDormantAccounts = "dormant_accounts"
	IDDatabase        = "database"
	IDObjectStorage   = "object_storage"
	IDMetrics         = "metrics"
	IDDistributionKey = "distribution_key"
)

// IDs lists every control id in report order.
var IDs = []string{IDMFACoverage, IDPasswordPolicy, IDLockout, IDIdleTimeouts, IDTLS, IDHSTS, IDTrustedProxies,
	IDAdminAllowCIDRs, IDAuditChain, IDAuditRetention, IDBackup, IDClockOffset, IDDormantAccounts, IDDatabase,
	IDObjectStorage, IDMetrics, IDDistributionKey}

// Control is one line of the report. Detail is Message in the report's
// language (Report.In); Message keeps both languages for later use.
type Control struct {
	ID      string        `json:"id"`
	Status  Status        `json:"status"`
	Detail  string        `json:"detail"`
	Message apperr.Phrase `json:"-"`
}

// Report is the answer of the self-check (the API's contract:
// {"controls": [{"id", "status", "detail"}]}, plus when it was made).
type Report struct {
	Controls  []Control `json:"controls"`
	CheckedAt time.Time `json:"checked_at"`
}

// In returns the report with every Detail in lang ("vi" or "en").
func (r Report) In(lang string) Report {
	out := Report{CheckedAt: r.CheckedAt, Controls: make([]Control, len(r.Controls))}
	for i, c := range r.Controls {
		c.Detail = c.Message.Text(lang)
		out.Controls[i] = c
	}
	return out
}

// Count is the number of controls with the status.
func (r Report) Count(s Status) int {
	n := 0
	for _, c := range r.Controls {
		if c.Status == s {
			n++
		}
	}
	return n
}

// RequestFacts is what the request that asks tells about the connection:
// the HTTPS decision of the server's scheme middleware (respond.Secure) and
// whether it came through a trusted proxy. FactsOf builds it.
type RequestFacts struct {
	// HTTPS: TLS on the connection, or X-Forwarded-Proto: https from a trusted proxy.
	HTTPS bool
	// NativeTLS: the connection itself is TLS (no proxy ends it).
	NativeTLS bool
	// ViaTrustedProxy: the peer is in http.trusted_proxies.
	ViaTrustedProxy bool
	// ForwardedUntrusted: the request carries X-Forwarded-* headers from a
	// peer that is not a trusted proxy (they are ignored).
	ForwardedUntrusted bool
	// Peer is the address the connection came from.
	Peer string
	// Lang is the language of the details: "vi" or "en" (default).
	Lang string
}

// Sources are the services the controls read; nil is a source this build
// lacks (its control fails with "not available in this build").
type Sources struct {
	MFA            MFA
	Lockout        Lockout
	Dormant        Dormant
	AuditChain     AuditChain
	AuditRetention AuditRetention
	Backups        Backups
	Clock          Clock
	// AuditLog records that an admin viewed the self-check; nil records nothing.
	AuditLog audit.Repository
}

// MFA is the account service's second-factor coverage (*user.Service).
type MFA interface {
	MFACoverage(ctx context.Context) (required, requiredEnrolled int, err error)
	MFARequiredRoles() []user.Role
}

// Lockout is the account service's login lockout policy (*user.Service).
type Lockout interface {
	LockoutPolicy() (maxFailed int, duration, max time.Duration)
}

// Dormant is the account service's dormant-account job (*user.Service).
type Dormant interface {
	DormantActive(ctx context.Context) (n int, err error)
	DormantAfter() time.Duration
}

// AuditChain verifies the audit log's hash chain (*audit.Service).
type AuditChain interface {
	Verify(ctx context.Context) (rows int, firstBroken string, err error)
}

// AuditRetention is the audit log's retention and export (*audit.Service).
type AuditRetention interface {
	Retention() time.Duration
	LastExport(ctx context.Context) (time.Time, error)
}

// Backups is the scheduled backup (*backup.Service).
type Backups interface {
	LastSuccess(ctx context.Context) (at time.Time, path string, err error)
	Interval() time.Duration
}

// Clock is the offset of the database server's clock (*store.DB).
type Clock interface {
	ClockOffset(ctx context.Context) (time.Duration, error)
}

// PasswordPolicy is the password policy in force.
type PasswordPolicy struct {
	MinLength int
	// Classes is how many character classes a password needs (0: no rule).
	Classes int
	// CommonList: passwords on the shipped list of common passwords are refused.
	CommonList bool
	// History is how many previous passwords cannot be reused (0: none).
	History int
	// MaxAge is the maximum age of a password (0: no expiry).
	MaxAge time.Duration
}

// Settings are the configuration the controls judge (internal/app maps
// config.Config to it).
type Settings struct {
	// Password is the password policy; nil: not available in this build.
	Password         *PasswordPolicy
	IdleTimeout      time.Duration
	AdminIdleTimeout time.Duration
	// TrustedProxies is http.trusted_proxies (addresses or CIDRs).
	TrustedProxies []string
	// AdminAllowCIDRs is security.admin_allow_cidrs; AdminAllowKnown is
	// false in a build without that setting.
	AdminAllowCIDRs []string
	AdminAllowKnown bool
	// Dialect is the database's: "postgres" or "sqlite".
	Dialect string
	// StorageKind is storage.kind: "minio" or "local".
	StorageKind string
	// MetricsAddr is metrics.addr when the metrics listener runs, else "";
	// MetricsLoopback says it is a loopback address; MetricsToken that
	// metrics.token is set.
	MetricsAddr     string
	MetricsLoopback bool
	MetricsToken    bool
	// DistributionKeySet: distribution.secret_key is set. KeyFile is the
	// generated key file the embedded default uses instead ("" when none applies).
	DistributionKeySet bool
	KeyFile            string
}

// Service runs the self-check.
type Service struct {
	set Settings
	src Sources
	now func() time.Time
}

// New builds the self-check on the settings and the sources this build has.
func New(set Settings, src Sources) *Service {
	return &Service{set: set, src: src, now: time.Now}
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Check is the self-check for an admin: anyone else is refused (403). The
// view is recorded in the audit log (security.selfcheck_viewed) with the
// counts of each verdict.
func (s *Service) Check(ctx context.Context, a user.Actor, req RequestFacts) (Report, error) {
	if a.Role != user.RoleAdmin {
		return Report{}, apperr.Forbidden("selfcheck.admin_only")
	}
	r := s.Evaluate(ctx, req)
	if s.src.AuditLog != nil {
		err := audit.Record(ctx, s.src.AuditLog, a, audit.Event{Action: "security.selfcheck_viewed", TargetType: "security", TargetID: "selfcheck",
			Details: map[string]any{"pass": r.Count(Pass), "warn": r.Count(Warn), "fail": r.Count(Fail)}})
		if err != nil {
			return Report{}, err
		}
	}
	return r, nil
}

// Evaluate runs every control without checking who asks and without an
// audit entry: for the yearly report and other callers inside the server.
// Outside a request, pass the RequestFacts of the deployment as it is
// reached (HTTPS, through a trusted proxy), or the zero value, under which
// tls and hsts fail.
func (s *Service) Evaluate(ctx context.Context, req RequestFacts) Report {
	now := s.now()
	r := Report{CheckedAt: now.UTC().Truncate(time.Second), Controls: s.controls(ctx, req, now)}
	lang := req.Lang
	if lang == "" {
		lang = apperr.LangEnglish
	}
	return r.In(lang)
}

// FactsOf reads the request's connection: https and viaTrustedProxy are
// the server's decisions (respond.Secure, respond.ViaTrustedProxy), lang the
// language of the answer.
func FactsOf(r *http.Request, https, viaTrustedProxy bool, lang string) RequestFacts {
	forwarded := false
	for name := range r.Header {
		if strings.HasPrefix(strings.ToLower(name), "x-forwarded-") || strings.EqualFold(name, "Forwarded") {
			forwarded = true
		}
	}
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	return RequestFacts{HTTPS: https, NativeTLS: r.TLS != nil, ViaTrustedProxy: viaTrustedProxy,
		ForwardedUntrusted: forwarded && !viaTrustedProxy, Peer: peer, Lang: lang}
}
