package config

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

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
