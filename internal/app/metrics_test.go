package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

func get(t *testing.T, url string, hdr ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestMetricsAreNotOnHTTPAddr: /metrics names targets and counts failed
// logins, so the faces' engine answers it like any unknown path.
func TestMetricsAreNotOnHTTPAddr(t *testing.T) {
	srv := testutil.NewApp(t, store.DialectSQLite).Serve()
	for _, p := range []string{"/metrics", "/metrics/"} {
		code, body := get(t, srv.URL+p)
		if code != http.StatusNotFound || strings.Contains(body, "newsroom_") {
			t.Errorf("GET %s on http.addr = %d %.200s, want 404", p, code, body)
		}
	}
}

// TestMetricsListener: Start binds metrics.addr and serves the registry
// there (request, distribution, job and runtime metrics), with the bearer
// token when one is set; stop closes it.
func TestMetricsListener(t *testing.T) {
	const token = "0123456789abcdef-metrics"
	for _, tc := range []struct {
		name, token string
	}{{"open", ""}, {"token", token}} {
		t.Run(tc.name, func(t *testing.T) {
			a := testutil.NewApp(t, store.DialectSQLite, testutil.WithConfig(func(c *config.Config) {
				c.Metrics = config.Metrics{Addr: "127.0.0.1:0", Token: tc.token}
			}))
			main := a.Serve()
			if a.MetricsAddr() != "" {
				t.Fatalf("metrics listening before Start: %s", a.MetricsAddr())
			}
			stop, err := a.Start(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer stop(context.Background())
			url := "http://" + a.MetricsAddr() + "/metrics"
			get(t, main.URL+"/healthz")
			get(t, main.URL+"/metrics")

			if tc.token != "" {
				for _, auth := range []string{"", "Bearer", "Bearer wrong-token-0123456789", "Basic " + token, "Bearer " + token + "x"} {
					code, body := get(t, url, "Authorization", auth)
					if code != http.StatusUnauthorized || strings.Contains(body, "newsroom_") {
						t.Errorf("Authorization %q = %d %.100s, want 401", auth, code, body)
					}
				}
			}
			code, body := get(t, url, "Authorization", "Bearer "+tc.token)
			if code != http.StatusOK {
				t.Fatalf("GET metrics = %d %.200s", code, body)
			}
			for _, want := range []string{
				`newsroom_http_requests_total{code="200",method="GET",route="/healthz"}`,
				`newsroom_http_requests_total{code="404",method="GET",`,
				`newsroom_http_request_duration_seconds_bucket{method="GET",route="/healthz"`,
				"newsroom_jobs_queue_depth", "go_goroutines", "process_",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("metrics lack %s:\n%s", want, grepLines(body, "newsroom_http_requests_total"))
				}
			}
			if code, _ := get(t, "http://"+a.MetricsAddr()+"/healthz", "Authorization", "Bearer "+tc.token); code != http.StatusNotFound {
				t.Errorf("metrics listener serves /healthz: %d", code)
			}

			addr := a.MetricsAddr()
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			stop(sctx)
			if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
				c.Close()
				t.Errorf("metrics listener %s still open after stop", addr)
			}
		})
	}
}

// TestMetricsPortTakenStopsStart: a metrics.addr that cannot be bound stops
// start-up with a message naming the setting.
func TestMetricsPortTakenStopsStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	a := testutil.NewApp(t, store.DialectSQLite, testutil.WithConfig(func(c *config.Config) { c.Metrics.Addr = ln.Addr().String() }))
	stop, err := a.Start(context.Background())
	if err == nil {
		stop(context.Background())
		t.Fatal("Start succeeded on a taken metrics port")
	}
	if !strings.Contains(err.Error(), "metrics.addr") {
		t.Errorf("error does not name metrics.addr: %v", err)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
