package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// MetricsOff in metrics.addr (or an empty value) serves no metrics at all.
const MetricsOff = "off"

// Metrics is the Prometheus listener, apart from http.addr: its answers name
// delivery targets, listeners and login failures, so it listens on loopback
// by default and may require a bearer token.
type Metrics struct {
	// Addr is host:port of the metrics listener; "off" or empty: none.
	Addr string `koanf:"addr"`
	// Token, when set, is the bearer token a scrape must send. Never logged.
	Token string `koanf:"token"`
}

// defaultMetrics listens on loopback, on a port apart from Prometheus's own 9090.
func defaultMetrics() Metrics { return Metrics{Addr: "127.0.0.1:9180"} }

// Enabled reports whether the metrics listener runs.
func (m Metrics) Enabled() bool {
	a := strings.TrimSpace(m.Addr)
	return a != "" && !strings.EqualFold(a, MetricsOff)
}

// Loopback reports whether the listener's host is a loopback address or
// "localhost" (a wildcard or empty host listens on every interface).
func (m Metrics) Loopback() bool {
	host, _, err := net.SplitHostPort(m.Addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (m Metrics) validate() []error {
	var errs []error
	if m.Enabled() {
		host, port, err := net.SplitHostPort(m.Addr)
		n, perr := strconv.Atoi(port)
		if err != nil || perr != nil || n < 0 || n > 65535 || strings.ContainsAny(host, " /") {
			errs = append(errs, fmt.Errorf("metrics.addr %q must be host:port, e.g. 127.0.0.1:9180, or off (NEWSROOM_METRICS_ADDR)", m.Addr))
		}
	}
	if t := m.Token; t != "" && (len(t) < 16 || strings.ContainsAny(t, " \t\r\n")) {
		errs = append(errs, fmt.Errorf("metrics.token must be at least 16 characters without spaces, e.g. from `openssl rand -hex 32` (NEWSROOM_METRICS_TOKEN)"))
	}
	return errs
}
