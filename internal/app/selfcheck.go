package app

import (
	"path/filepath"
	"strings"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/selfcheck"
	"github.com/newsroom-vn/newsroom/internal/store"
)

// selfCheck builds the security self-check on the configuration and the
// services of the base. Backups (backup.Service) are not in the base: serve
// (App) sets them with SetBackups; the backup control fails without.
func (b *Base) selfCheck() *selfcheck.Service {
	cfg := b.Config
	set := selfcheck.Settings{
		Password: &selfcheck.PasswordPolicy{MinLength: cfg.Auth.PasswordMinLength, Classes: cfg.Auth.PasswordClasses,
			CommonList: true, History: cfg.Auth.PasswordHistory, MaxAge: cfg.Auth.PasswordMaxAge},
		IdleTimeout:        cfg.Auth.IdleTimeout,
		AdminIdleTimeout:   cfg.Auth.AdminIdleTimeout,
		TrustedProxies:     cfg.HTTP.TrustedProxies,
		Dialect:            b.DB.Dialect,
		StorageKind:        cfg.Storage.Kind,
		MetricsLoopback:    cfg.Metrics.Loopback(),
		MetricsToken:       cfg.Metrics.Token != "",
		DistributionKeySet: strings.TrimSpace(cfg.Distribution.SecretKey) != "",
		AdminAllowCIDRs:    cfg.Security.AdminAllowCIDRs,
		AdminAllowKnown:    true,
	}
	if cfg.Metrics.Enabled() {
		set.MetricsAddr = cfg.Metrics.Addr
	}
	if !set.DistributionKeySet && b.DB.Dialect == store.DialectSQLite {
		set.KeyFile, _ = keyFilePath(cfg.Database.URL)
	}
	return selfcheck.New(set, selfcheck.Sources{AuditLog: b.AuditLog, Clock: b.DB, Lockout: b.Users, Dormant: b.Users, MFA: b.Users, AuditChain: b.Audit, AuditRetention: b.Audit})
}

// keyFilePath is the distribution key file of the embedded default: in the
// folder of the SQLite database.
func keyFilePath(databaseURL string) (string, error) {
	return filepath.Abs(filepath.Join(filepath.Dir(strings.TrimPrefix(databaseURL, "sqlite://")), distribution.KeyFileName))
}
