package selfcheck

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
	"time"

	"github.com/newsroom-vn/newsroom/internal/clock"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// Level-3 thresholds the controls judge against (docs/security.md).
const (
	minPasswordLength = 12
	minClasses        = 3
	minHistory        = 5
	maxPasswordAge    = 90 * 24 * time.Hour
	maxFailedAdvised  = 10
	maxIdle           = 15 * time.Minute
	maxAdminIdle      = 5 * time.Minute
	minRetention      = 90 * 24 * time.Hour
)

func control(id string, st Status, msg apperr.Phrase) Control {
	return Control{ID: id, Status: st, Message: msg}
}

func notAvailable(id string) Control {
	return control(id, Fail, apperr.T("selfcheck.not_available"))
}

func sourceError(id string, err error) Control {
	return control(id, Fail, apperr.T("selfcheck.source_error", err.Error()))
}

// controls runs each control, in report order.
func (s *Service) controls(ctx context.Context, req RequestFacts, now time.Time) []Control {
	set, src := s.set, s.src
	out := []Control{mfaCoverage(ctx, src.MFA)}
	if set.Password == nil {
		out = append(out, notAvailable(IDPasswordPolicy))
	} else {
		out = append(out, passwordPolicy(*set.Password))
	}
	if src.Lockout == nil {
		out = append(out, notAvailable(IDLockout))
	} else {
		out = append(out, lockout(src.Lockout.LockoutPolicy()))
	}
	out = append(out, idleTimeouts(set.IdleTimeout, set.AdminIdleTimeout), tlsControl(req), hsts(req),
		trustedProxies(req, set.TrustedProxies))
	if !set.AdminAllowKnown {
		out = append(out, notAvailable(IDAdminAllowCIDRs))
	} else {
		out = append(out, adminAllow(set.AdminAllowCIDRs))
	}
	out = append(out, auditChain(ctx, src.AuditChain), auditRetention(ctx, src.AuditRetention),
		backup(ctx, src.Backups, now), clockOffset(ctx, src.Clock), dormant(ctx, src.Dormant),
		database(set.Dialect), objectStorage(set.StorageKind), metrics(set), distributionKey(set))
	return out
}

func mfaCoverage(ctx context.Context, src MFA) Control {
	if src == nil {
		return notAvailable(IDMFACoverage)
	}
	roles := src.MFARequiredRoles()
	if len(roles) == 0 {
		return control(IDMFACoverage, Warn, apperr.T("selfcheck.mfa_no_roles"))
	}
	required, enrolled, err := src.MFACoverage(ctx)
	if err != nil {
		return sourceError(IDMFACoverage, err)
	}
	if enrolled < required {
		return control(IDMFACoverage, Fail, apperr.T("selfcheck.mfa_missing", required-enrolled, required, roleList(roles)))
	}
	return control(IDMFACoverage, Pass, apperr.T("selfcheck.mfa_ok", required, roleList(roles)))
}

// roleList names roles in Vietnamese (labels) or English (codes).
func roleList(roles []user.Role) apperr.Localized {
	vi, en := make([]string, len(roles)), make([]string, len(roles))
	for i, r := range roles {
		vi[i], en[i] = r.Label(), string(r)
	}
	return apperr.ByLang(strings.Join(vi, ", "), strings.Join(en, ", "))
}

// phrases is a list of phrases shown joined by "; ".
type phrases []apperr.Phrase

func (p phrases) Text(lang string) string {
	parts := make([]string, len(p))
	for i, ph := range p {
		parts[i] = ph.Text(lang)
	}
	return strings.Join(parts, "; ")
}

func passwordPolicy(p PasswordPolicy) Control {
	var short phrases
	st := Pass
	if p.MinLength < minPasswordLength {
		short, st = append(short, apperr.T("selfcheck.pw_min_length", p.MinLength)), Fail
	}
	if !p.CommonList {
		short, st = append(short, apperr.T("selfcheck.pw_common_off")), Fail
	}
	if p.Classes < minClasses {
		short = append(short, apperr.T("selfcheck.pw_classes", p.Classes))
	}
	if p.History < minHistory {
		short = append(short, apperr.T("selfcheck.pw_history", p.History))
	}
	switch {
	case p.MaxAge <= 0:
		short = append(short, apperr.T("selfcheck.pw_max_age_off"))
	case p.MaxAge > maxPasswordAge:
		short = append(short, apperr.T("selfcheck.pw_max_age_long", days(p.MaxAge)))
	}
	if len(short) == 0 {
		return control(IDPasswordPolicy, Pass, apperr.T("selfcheck.password_ok", p.MinLength, p.Classes, p.History, days(p.MaxAge)))
	}
	if st == Pass {
		st = Warn
	}
	return control(IDPasswordPolicy, st, apperr.T("selfcheck.password_short", short))
}

func lockout(maxFailed int, duration, longest time.Duration) Control {
	switch {
	case maxFailed <= 0:
		return control(IDLockout, Fail, apperr.T("selfcheck.lockout_off"))
	case duration <= 0:
		return control(IDLockout, Warn, apperr.T("selfcheck.lockout_permanent", maxFailed))
	case maxFailed > maxFailedAdvised:
		return control(IDLockout, Warn, apperr.T("selfcheck.lockout_lenient", maxFailed))
	}
	return control(IDLockout, Pass, apperr.T("selfcheck.lockout_ok", maxFailed, dur(duration), dur(max(longest, duration))))
}

func idleTimeouts(idle, admin time.Duration) Control {
	if idle <= 0 || admin <= 0 || idle > maxIdle || admin > maxAdminIdle {
		return control(IDIdleTimeouts, Warn, apperr.T("selfcheck.idle_long", dur(idle), dur(admin)))
	}
	return control(IDIdleTimeouts, Pass, apperr.T("selfcheck.idle_ok", dur(idle), dur(admin)))
}

func tlsControl(req RequestFacts) Control {
	switch {
	case req.NativeTLS:
		return control(IDTLS, Pass, apperr.T("selfcheck.tls_native"))
	case req.HTTPS:
		return control(IDTLS, Pass, apperr.T("selfcheck.tls_proxy", req.Peer))
	}
	return control(IDTLS, Fail, apperr.T("selfcheck.tls_plain"))
}

func hsts(req RequestFacts) Control {
	if req.HTTPS {
		return control(IDHSTS, Pass, apperr.T("selfcheck.hsts_on"))
	}
	return control(IDHSTS, Fail, apperr.T("selfcheck.hsts_off"))
}

func trustedProxies(req RequestFacts, proxies []string) Control {
	for _, p := range proxies {
		if _, n, err := net.ParseCIDR(p); err == nil {
			if ones, _ := n.Mask.Size(); ones == 0 {
				return control(IDTrustedProxies, Fail, apperr.T("selfcheck.proxies_all", p))
			}
		}
	}
	switch {
	case req.ForwardedUntrusted:
		return control(IDTrustedProxies, Warn, apperr.T("selfcheck.proxies_untrusted", req.Peer))
	case req.NativeTLS:
		return control(IDTrustedProxies, Pass, apperr.T("selfcheck.proxies_native"))
	case req.ViaTrustedProxy:
		return control(IDTrustedProxies, Pass, apperr.T("selfcheck.proxies_ok", req.Peer, strings.Join(proxies, ", ")))
	case len(proxies) == 0:
		return control(IDTrustedProxies, Pass, apperr.T("selfcheck.proxies_none"))
	}
	return control(IDTrustedProxies, Warn, apperr.T("selfcheck.proxies_direct", req.Peer))
}

func adminAllow(cidrs []string) Control {
	if len(cidrs) == 0 {
		return control(IDAdminAllowCIDRs, Warn, apperr.T("selfcheck.admin_cidrs_empty"))
	}
	return control(IDAdminAllowCIDRs, Pass, apperr.T("selfcheck.admin_cidrs_ok", strings.Join(cidrs, ", ")))
}

func auditChain(ctx context.Context, src AuditChain) Control {
	if src == nil {
		return notAvailable(IDAuditChain)
	}
	rows, broken, err := src.Verify(ctx)
	switch {
	case err != nil:
		return sourceError(IDAuditChain, err)
	case broken != "":
		return control(IDAuditChain, Fail, apperr.T("selfcheck.audit_chain_broken", broken, rows))
	}
	return control(IDAuditChain, Pass, apperr.T("selfcheck.audit_chain_ok", rows))
}

func auditRetention(ctx context.Context, src AuditRetention) Control {
	if src == nil {
		return notAvailable(IDAuditRetention)
	}
	keep := src.Retention()
	if keep < minRetention {
		return control(IDAuditRetention, Fail, apperr.T("selfcheck.retention_short", days(keep)))
	}
	last, err := src.LastExport(ctx)
	if err != nil {
		return control(IDAuditRetention, Warn, apperr.T("selfcheck.retention_no_export", days(keep), err.Error()))
	}
	return control(IDAuditRetention, Pass, apperr.T("selfcheck.retention_ok", days(keep), when(last)))
}

func backup(ctx context.Context, src Backups, now time.Time) Control {
	if src == nil {
		return notAvailable(IDBackup)
	}
	at, path, err := src.LastSuccess(ctx)
	switch {
	case err != nil:
		return sourceError(IDBackup, err)
	case at.IsZero():
		return control(IDBackup, Fail, apperr.T("selfcheck.backup_none"))
	}
	every := src.Interval()
	switch {
	case every <= 0:
		return control(IDBackup, Warn, apperr.T("selfcheck.backup_unscheduled", vntime.Format(at), path))
	case now.Sub(at) > 2*every:
		return control(IDBackup, Warn, apperr.T("selfcheck.backup_old", vntime.Format(at), path, dur(every)))
	}
	return control(IDBackup, Pass, apperr.T("selfcheck.backup_ok", vntime.Format(at), path, dur(every)))
}

func clockOffset(ctx context.Context, src Clock) Control {
	if src == nil {
		return notAvailable(IDClockOffset)
	}
	off, err := src.ClockOffset(ctx)
	if err != nil {
		return sourceError(IDClockOffset, err)
	}
	shown := off.Round(time.Millisecond).String()
	if (clock.Reading{Offset: off}).Warn() {
		return control(IDClockOffset, Warn, apperr.T("selfcheck.clock_off", shown))
	}
	return control(IDClockOffset, Pass, apperr.T("selfcheck.clock_ok", shown))
}

func dormant(ctx context.Context, src Dormant) Control {
	if src == nil {
		return notAvailable(IDDormantAccounts)
	}
	after := src.DormantAfter()
	if after <= 0 {
		return control(IDDormantAccounts, Warn, apperr.T("selfcheck.dormant_off"))
	}
	n, err := src.DormantActive(ctx)
	switch {
	case err != nil:
		return sourceError(IDDormantAccounts, err)
	case n > 0:
		return control(IDDormantAccounts, Warn, apperr.T("selfcheck.dormant_found", n, days(after)))
	}
	return control(IDDormantAccounts, Pass, apperr.T("selfcheck.dormant_ok", days(after)))
}

func database(dialect string) Control {
	if dialect == "postgres" {
		return control(IDDatabase, Pass, apperr.T("selfcheck.db_postgres"))
	}
	return control(IDDatabase, Warn, apperr.T("selfcheck.db_sqlite"))
}

func objectStorage(kind string) Control {
	if kind == "minio" {
		return control(IDObjectStorage, Pass, apperr.T("selfcheck.storage_minio"))
	}
	return control(IDObjectStorage, Warn, apperr.T("selfcheck.storage_local"))
}

func metrics(set Settings) Control {
	switch {
	case set.MetricsAddr == "":
		return control(IDMetrics, Pass, apperr.T("selfcheck.metrics_off"))
	case set.MetricsToken:
		return control(IDMetrics, Pass, apperr.T("selfcheck.metrics_token", set.MetricsAddr))
	case set.MetricsLoopback:
		return control(IDMetrics, Pass, apperr.T("selfcheck.metrics_loopback", set.MetricsAddr))
	}
	return control(IDMetrics, Fail, apperr.T("selfcheck.metrics_open", set.MetricsAddr))
}

func distributionKey(set Settings) Control {
	if set.DistributionKeySet {
		return control(IDDistributionKey, Pass, apperr.T("selfcheck.key_set"))
	}
	if set.KeyFile == "" {
		return control(IDDistributionKey, Warn, apperr.T("selfcheck.key_missing"))
	}
	fi, err := os.Stat(set.KeyFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return control(IDDistributionKey, Warn, apperr.T("selfcheck.key_missing"))
	case err != nil:
		return sourceError(IDDistributionKey, err)
	case fi.Mode().Perm()&0o077 != 0:
		return control(IDDistributionKey, Fail, apperr.T("selfcheck.key_file_open", set.KeyFile, fmt.Sprintf("%04o", fi.Mode().Perm())))
	}
	return control(IDDistributionKey, Pass, apperr.T("selfcheck.key_file_ok", set.KeyFile))
}

// days is a duration in whole days.
func days(d time.Duration) int { return int(d / (24 * time.Hour)) }

// dur shows a duration without trailing zero units: 15m, 1h30m, 24h.
func dur(d time.Duration) string { return user.ShortDuration(d) }

// when is a time in Vietnam time, or "none yet" for the zero time.
func when(t time.Time) any {
	if t.IsZero() {
		return apperr.T("selfcheck.never")
	}
	return vntime.Format(t)
}
