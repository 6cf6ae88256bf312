package testutil

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/config"
)

// FailingReceiver starts a webhook receiver that answers every delivery
// 502 Bad Gateway with body, for tests that need a failed attempt whose
// error and answer they can recognise. It returns the receiver's base URL
// and the option that lets the SSRF guard through to it (its host:port in
// distribution.allow_hosts); it is closed when the test ends.
func FailingReceiver(t testing.TB, body string) (string, AppOption) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	hostPort := strings.TrimPrefix(srv.URL, "http://")
	return srv.URL, WithConfig(func(c *config.Config) { c.Distribution.AllowHosts = append(c.Distribution.AllowHosts, hostPort) })
}
