package user

import (
	"context"
	"net/netip"
	"slices"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// ErrAdminAddressRefused answers an admin route or page asked from outside
// security.admin_allow_cidrs.
var ErrAdminAddressRefused = apperr.Forbidden("user.admin_address_refused").WithReason("admin_address_refused")

// AdminAddressAllowed reports whether ip (the client address, as worked out
// through the trusted proxies) may reach the administration: always when
// Config.AdminNets is empty, otherwise only from one of those networks. An
// address that does not parse is refused.
func (s *Service) AdminAddressAllowed(ip string) bool {
	if len(s.cfg.AdminNets) == 0 {
		return true
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	return slices.ContainsFunc(s.cfg.AdminNets, func(p netip.Prefix) bool { return p.Contains(addr) })
}

// CheckAdminAddress lets a request for an administration route (path) through
// when the actor's address may reach it; otherwise it records
// security.admin_refused (ip, path) and answers ErrAdminAddressRefused (403).
func (s *Service) CheckAdminAddress(ctx context.Context, a Actor, path string) error {
	if s.AdminAddressAllowed(a.IP) {
		return nil
	}
	if err := s.tx.InTx(ctx, func(ctx context.Context) error {
		return s.audit(ctx, a, "security.admin_refused", "route", path, map[string]any{"ip": a.IP, "path": path})
	}); err != nil {
		return err
	}
	return ErrAdminAddressRefused
}
