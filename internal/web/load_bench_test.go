package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/testutil"
	"github.com/newsroom-vn/newsroom/internal/web"
)

// BenchmarkPublicLoad seeds published stories (in bulk, see seedPublished), serves the real router on
// loopback and drives it with 32 keep-alive connections: article page, home
// page, article JSON (content API), RSS, and a bare net/http handler writing a
// fixed 30 KB page as the ceiling. Run it alone:
//
//	NEWSROOM_TEST_DB=postgres NEWSROOM_BENCH_STORIES=10000 CGO_ENABLED=0 \
//	  go test -run '^$' -bench PublicLoad -benchtime 1x ./internal/web/
//
// NEWSROOM_BENCH_SECONDS sets the time per target (default 5). When wrk is on
// the PATH it drives the load (2 threads, 32 connections, --latency) as a
// separate process; NEWSROOM_BENCH_WRK=0 uses the in-process Go generator.
func BenchmarkPublicLoad(b *testing.B) {
	dialect := testutil.Dialects()[0]
	n := envInt("NEWSROOM_BENCH_STORIES", 10000)
	dur := time.Duration(envInt("NEWSROOM_BENCH_SECONDS", 5)) * time.Second
	e := newEnv(b, dialect, testutil.WithConfig(func(c *config.Config) { c.Site.RSSFullText = false })) // the default: sapo only
	var last *story.Story
	body := strings.Repeat("<p>Đoạn văn của bài viết với dấu tiếng Việt đầy đủ, đủ dài để giống một bài báo thật.</p>", 40)
	start := time.Now()
	// All but the last story are inserted in batches straight through the
	// store (seedPublished); the last one, the page measured, goes through
	// the whole workflow.
	seedPublished(b, e, n-1, 500, body)
	last = e.publish(fmt.Sprintf("Bài thử số %d về kinh tế tỉnh", n-1), "Sapo của bài thử", body, []string{"Kinh tế"})
	seed := time.Since(start)
	_, key := e.apiKey(1_000_000)
	srv := e.srv
	page := strings.Repeat("x", 30*1024)
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, page)
	}))
	defer bare.Close()

	targets := []struct{ name, url, key string }{
		{"ceiling: bare net/http 30 KB", bare.URL + "/", ""},
		{"article page", srv.URL + story.PublicPath("thoi-su", last.Slug, last.ID), ""},
		{"home page", srv.URL + "/", ""},
		{"article JSON (content API)", srv.URL + "/api/content/v1/articles/" + last.ID, key},
		{"RSS /rss.xml", srv.URL + "/rss.xml", ""},
	}
	b.ResetTimer()
	var ceiling float64
	b.Logf("%s, %d published stories (seeded in %s), 32 connections, %s per target, GOMAXPROCS=%s",
		dialect, n, seed.Round(time.Second), dur, os.Getenv("GOMAXPROCS"))
	gen := "Go load generator (in process)"
	wrk, _ := exec.LookPath("wrk")
	if os.Getenv("NEWSROOM_BENCH_WRK") == "0" {
		wrk = ""
	}
	if wrk != "" {
		gen = "wrk -t2 -c32 (separate process)"
	}
	b.Logf("load generator: %s", gen)
	for _, tg := range targets {
		var rps float64
		var p50, p99 time.Duration
		var bytes int
		// One request first: the measured run starts with a warm cache (page,
		// partner key), as a long-running server has.
		if resp, err := http.DefaultClient.Do(benchRequest(tg.url, tg.key)); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		if wrk != "" {
			rps, p50, p99, bytes = loadWrk(b, wrk, tg.url, tg.key, 32, dur)
		} else {
			rps, p50, p99, bytes = load(b, tg.url, tg.key, 32, dur)
		}
		if ceiling == 0 {
			ceiling = rps
		}
		b.Logf("%-30s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  %6d B  %5.1f%% of ceiling",
			tg.name, rps, ms(p50), ms(p99), bytes, 100*rps/ceiling)
		b.ReportMetric(rps, strings.ReplaceAll(strings.Fields(tg.name)[0], ":", "")+"_req/s")
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// load runs conns keep-alive clients against url for d; it returns
// requests per second, p50 and p99 latency and the answer size.
// benchRequest is a GET of url, with the partner key in its header when there is one.
func benchRequest(url, key string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if key != "" {
		req.Header.Set(web.PartnerKeyHeader, key)
	}
	return req
}

func load(b *testing.B, url, key string, conns int, d time.Duration) (float64, time.Duration, time.Duration, int) {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var mu sync.Mutex
	var lat []time.Duration
	size := 0
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	began := time.Now()
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for ctx.Err() == nil {
				t0 := time.Now()
				resp, err := client.Do(benchRequest(url, key))
				if err != nil {
					continue
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("GET %s: %d", url, resp.StatusCode)
					return
				}
				mine = append(mine, time.Since(t0))
				mu.Lock()
				size = int(n)
				mu.Unlock()
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(began)
	if len(lat) == 0 {
		return 0, 0, 0, 0
	}
	slices.Sort(lat)
	return float64(len(lat)) / el.Seconds(), lat[len(lat)/2], lat[len(lat)*99/100], size
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\b`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
	wrkUnitDur = map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}
)

// loadWrk runs wrk against url and reads its requests/s and latency percentiles.
func loadWrk(b *testing.B, wrk, url, key string, conns int, d time.Duration) (float64, time.Duration, time.Duration, int) {
	args := []string{"-t2", "-c" + strconv.Itoa(conns), "-d" + strconv.Itoa(int(d/time.Second)) + "s", "--latency"}
	if key != "" {
		args = append(args, "-H", web.PartnerKeyHeader+": "+key)
	}
	out, err := exec.Command(wrk, append(args, url)...).CombinedOutput()
	if err != nil {
		b.Fatalf("wrk %s: %v\n%s", url, err, out)
	}
	if m := wrkNon2xx.FindSubmatch(out); m != nil {
		b.Errorf("wrk %s: %s non-2xx answers", url, m[1])
	}
	m := wrkRPS.FindSubmatch(out)
	if m == nil {
		b.Fatalf("wrk output without Requests/sec:\n%s", out)
	}
	rps, _ := strconv.ParseFloat(string(m[1]), 64)
	var p50, p99 time.Duration
	for _, pm := range wrkPct.FindAllSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(string(pm[2]), 64)
		dd := time.Duration(v * float64(wrkUnitDur[string(pm[3])]))
		if string(pm[1]) == "50" {
			p50 = dd
		} else {
			p99 = dd
		}
	}
	resp, err := http.DefaultClient.Do(benchRequest(url, key))
	size := 0
	if err == nil {
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		size = int(n)
	}
	return rps, p50, p99, size
}
