package server

import (
	"net"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/respond"
)

// hstsValue is the Strict-Transport-Security header of every HTTPS answer:
// one year, the newsroom's own host only (no includeSubDomains, no preload,
// which would bind hosts the newsroom does not run).
const hstsValue = "max-age=31536000"

// proxyNets parses the trusted proxies as gin does for ClientIP: a bare
// address is a /32 (or /128) network. Options.Validate has checked them.
func proxyNets(proxies []string) []*net.IPNet {
	var nets []*net.IPNet
	for _, p := range proxies {
		if !strings.Contains(p, "/") {
			if ip := net.ParseIP(p); ip.To4() != nil {
				p += "/32"
			} else {
				p += "/128"
			}
		}
		if _, n, err := net.ParseCIDR(p); err == nil {
			nets = append(nets, n)
		}
	}
	return nets
}

// scheme decides whether the request came over HTTPS: TLS on the connection,
// or X-Forwarded-Proto: https sent by a trusted proxy (the same set whose
// X-Forwarded-For gives the client IP; anyone else's header is ignored). It
// records the answer for the faces (respond.Secure, for Secure cookies;
// respond.ViaTrustedProxy, for the security self-check) and
// sends Strict-Transport-Security on HTTPS answers only.
func scheme(trusted []*net.IPNet) gin.HandlerFunc {
	return func(c *gin.Context) {
		viaProxy := len(trusted) > 0 && fromTrusted(c.RemoteIP(), trusted)
		secure := c.Request.TLS != nil || (viaProxy && forwardedHTTPS(c.GetHeader("X-Forwarded-Proto")))
		respond.SetSecure(c, secure)
		respond.SetViaTrustedProxy(c, viaProxy)
		if secure {
			c.Header("Strict-Transport-Security", hstsValue)
		}
		c.Next()
	}
}

// forwardedHTTPS reads the first (client-side) value of X-Forwarded-Proto.
func forwardedHTTPS(v string) bool {
	first, _, _ := strings.Cut(v, ",")
	return strings.EqualFold(strings.TrimSpace(first), "https")
}

func fromTrusted(remote string, trusted []*net.IPNet) bool {
	ip := net.ParseIP(remote)
	if ip == nil {
		return false
	}
	for _, n := range trusted {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}
