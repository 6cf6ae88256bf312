package app

import (
	"strings"

	"github.com/newsroom-vn/newsroom/internal/backup"
	"github.com/newsroom-vn/newsroom/internal/selfcheck"
	"github.com/newsroom-vn/newsroom/internal/store"
)

// selfCheck builds the security self-check on the configuration, the
// services of the base and the backups.
func (b *Base) selfCheck(backups *backup.Service) *selfcheck.Service {
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
		set.KeyFile, _ = keyFilePath(cfg, b.DB.Dialect)
	}
	return selfcheck.New(set, selfcheck.Sources{AuditLog: b.AuditLog, Clock: b.DB, Lockout: b.Users, Dormant: b.Users, MFA: b.Users, AuditChain: b.Audit, AuditRetention: b.Audit,
		Backups: backups})
}
