package distribution

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// ErrForbiddenAddress is returned (wrapped) when an outbound connection
// would reach a private, loopback, link-local, multicast or unspecified
// address that distribution.allow_hosts does not name.
var ErrForbiddenAddress = errors.New("distribution: address refused by the SSRF guard")

// Guard refuses outbound connections to internal addresses. The check runs
// at dial time on the resolved address (net.Dialer.Control), so a hostname
// that resolves to a public address when the target is saved and to an
// internal one later (DNS rebinding) is still refused.
type Guard struct {
	allow map[string]bool // host, host:port, ip or ip:port, lower case
}

// NewGuard builds a guard that lets through the hosts and host:port pairs
// listed (distribution.allow_hosts).
func NewGuard(allowHosts []string) *Guard {
	g := &Guard{allow: map[string]bool{}}
	for _, h := range allowHosts {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			g.allow[h] = true
		}
	}
	return g
}

func (g *Guard) allowed(host, port string) bool {
	host = strings.ToLower(strings.Trim(host, "[]"))
	return g.allow[host] || g.allow[net.JoinHostPort(host, port)] || g.allow[host+":"+port]
}

// Forbidden reports why ip may not be dialled, or "" when it may.
func Forbidden(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "link-local"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "multicast"
	case ip.IsUnspecified():
		return "unspecified"
	}
	// Carrier-grade NAT (100.64/10) is internal too.
	if ip.Is4() && netip.MustParsePrefix("100.64.0.0/10").Contains(ip) {
		return "shared (CGNAT)"
	}
	return ""
}

// control is net.Dialer.Control: address is the resolved ip:port.
func (g *Guard) control(_, address string, _ syscall.RawConn) error {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %s is not an IP address", ErrForbiddenAddress, address)
	}
	if why := Forbidden(ip); why != "" && !g.allowed(ip.Unmap().String(), port) {
		return fmt.Errorf("%w: %s is a %s address (add it to distribution.allow_hosts to allow it)", ErrForbiddenAddress, address, why)
	}
	return nil
}

// DialContext dials through the guard; a host named in allow_hosts (by
// name, or name:port) is dialled without the address check.
func (g *Guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if host, port, err := net.SplitHostPort(addr); err != nil || !g.allowed(host, port) {
		d.Control = g.control
	}
	return d.DialContext(ctx, network, addr)
}

// Client returns an HTTP client whose every connection goes through the
// guard; it ignores proxy settings (a proxy would dial for us) and does not
// follow redirects (a redirect is the receiver's answer, logged as such).
func (g *Guard) Client(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         g.DialContext,
			ForceAttemptHTTP2:   true,
			MaxIdleConnsPerHost: 16,
			IdleConnTimeout:     90 * time.Second,
			TLSHandshakeTimeout: 10 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
