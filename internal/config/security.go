package config

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// The account, access and audit settings of level 3 (auth.*, security.*, audit.*).

// Security holds the level-3 access controls.
type Security struct {
	// AdminAllowCIDRs are the client networks (CIDR or bare IP) from which
	// admin API routes and desk admin pages answer; empty: no limit.
	AdminAllowCIDRs []string `koanf:"admin_allow_cidrs"`
	// MFARequiredRoles must log in with a second factor (TOTP); empty: nobody must.
	MFARequiredRoles []string `koanf:"mfa_required_roles"`
}

// AdminNets parses AdminAllowCIDRs; a bare address is a single-host network.
func (s Security) AdminNets() ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(s.AdminAllowCIDRs))
	for _, v := range s.AdminAllowCIDRs {
		v = strings.TrimSpace(v)
		if a, err := netip.ParseAddr(v); err == nil {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return nil, fmt.Errorf("security.admin_allow_cidrs: %q is neither a CIDR range (e.g. 10.20.0.0/16) nor an IP address (NEWSROOM_SECURITY_ADMIN_ALLOW_CIDRS, comma-separated)", v)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// validate checks the security section.
func (s Security) validate() []error {
	if _, err := s.AdminNets(); err != nil {
		return []error{err}
	}
	return nil
}

// TLS reports whether the main listener serves HTTPS itself (http.tls_cert and http.tls_key).
func (h HTTP) TLS() bool { return h.TLSCert != "" && h.TLSKey != "" }

func (h HTTP) validateTLS() []error {
	var errs []error
	if (h.TLSCert == "") != (h.TLSKey == "") {
		errs = append(errs, fmt.Errorf("http.tls_cert and http.tls_key go together: set both PEM files (certificate chain and private key) or neither, got tls_cert %q, tls_key %q", h.TLSCert, h.TLSKey))
	}
	if h.RedirectAddr != "" {
		if !h.TLS() {
			errs = append(errs, fmt.Errorf("http.redirect_addr %q redirects to HTTPS, which needs http.tls_cert and http.tls_key", h.RedirectAddr))
		} else if _, _, err := net.SplitHostPort(h.RedirectAddr); err != nil {
			errs = append(errs, fmt.Errorf("http.redirect_addr %q must be host:port, e.g. :80", h.RedirectAddr))
		}
	}
	return errs
}

// Auth is the account and session policy.
type Auth struct {
	PasswordMinLength int `koanf:"password_min_length"`
	MaxFailedLogins   int `koanf:"max_failed_logins"`
	// LockoutDuration is the first temporary lock of a username from one
	// source after MaxFailedLogins failures; each successive lock doubles
	// it, up to LockoutMax.
	LockoutDuration time.Duration `koanf:"lockout_duration"`
	LockoutMax      time.Duration `koanf:"lockout_max"`
	// Token buckets of failed logins, shared by every process through the
	// database: per source address and per username.
	ThrottleIPBurst       int           `koanf:"throttle_ip_burst"`
	ThrottleIPPerMinute   int           `koanf:"throttle_ip_per_minute"`
	ThrottleUserBurst     int           `koanf:"throttle_user_burst"`
	ThrottleUserPerMinute int           `koanf:"throttle_user_per_minute"`
	IdleTimeout           time.Duration `koanf:"idle_timeout"`
	AdminIdleTimeout      time.Duration `koanf:"admin_idle_timeout"`
	SessionLifetime       time.Duration `koanf:"session_lifetime"`
	Argon2                Argon2        `koanf:"argon2"`
	// TokenMaxLifetime caps a personal API token's lifetime;
	// AdminTokenMaxLifetime caps a token with the admin scope.
	TokenMaxLifetime      time.Duration `koanf:"token_max_lifetime"`
	AdminTokenMaxLifetime time.Duration `koanf:"admin_token_max_lifetime"`
	// PasswordClasses is how many of lower-case, capitals, digits and
	// symbols a password needs (1-4); PasswordHistory how many recent
	// passwords may not be reused; PasswordMaxAge how long one lasts (0: ever).
	PasswordClasses int           `koanf:"password_classes"`
	PasswordHistory int           `koanf:"password_history"`
	PasswordMaxAge  time.Duration `koanf:"password_max_age"`
	// DormantAfter disables accounts unused that long (0: never), checked
	// every DormantCheckInterval by a periodic job.
	DormantAfter         time.Duration `koanf:"dormant_after"`
	DormantCheckInterval time.Duration `koanf:"dormant_check_interval"`
}

// mfaRoles are the roles security.mfa_required_roles may name (user.Roles).
var mfaRoles = []string{"reporter", "editor", "managing_editor", "editor_in_chief", "producer", "admin"}

func (s Security) validateMFA() []error {
	var errs []error
	for _, r := range s.MFARequiredRoles {
		if !slices.Contains(mfaRoles, r) {
			errs = append(errs, fmt.Errorf("security.mfa_required_roles: unknown role %q (one of %s)", r, strings.Join(mfaRoles, ", ")))
		}
	}
	return errs
}

// Argon2 is the password hashing cost.
type Argon2 struct {
	MemoryKiB uint32 `koanf:"memory_kib"`
	Time      uint32 `koanf:"time"`
	Threads   uint8  `koanf:"threads"`
}

// MinAuditRetention is the shortest audit.retention allowed: 90 days.
const MinAuditRetention = 90 * 24 * time.Hour

// Audit tunes the audit log.
type Audit struct {
	// Retention is how long audit rows stay in the database; older ones are
	// exported to the object storage and deleted. At least 90 days.
	Retention time.Duration `koanf:"retention"`
	// ExportInterval is how often the retention job runs.
	ExportInterval time.Duration `koanf:"export_interval"`
}
