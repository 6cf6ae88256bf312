package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// answer is one rendered public answer, as cached.
type answer struct {
	status   int
	ctype    string
	body     []byte
	modified time.Time
	location string // for redirects
	// private answers (a pull feed behind its target's token) may be kept by
	// the client but not by shared caches, so a revoked token stops at once.
	private bool
	// keyed answers (the content API's) are private too, for the same reason
	// and so that every request meets the partner key's rate limit, and vary
	// by the key and by Accept (JSON or ninjs) in the caches that keep them.
	keyed bool

	etag   string
	gzOnce sync.Once
	gz     []byte
}

// cache keeps rendered answers of one generation. A change of generation
// (publish, correction, kill) makes every older entry invisible at once; they
// are dropped lazily.
type cache struct {
	mu      sync.RWMutex
	max     int
	entries map[string]cacheEntry

	flightMu sync.Mutex
	flights  map[string]*flight
}

// flight is one build in progress: requests for the same key and generation
// wait for it instead of all querying the database at once.
type flight struct {
	done chan struct{}
	a    *answer
	err  error
}

type cacheEntry struct {
	gen uint64
	a   *answer
}

func newCache(max int) *cache {
	return &cache{max: max, entries: map[string]cacheEntry{}, flights: map[string]*flight{}}
}

// build runs fn once per key and generation at a time; concurrent callers share its result.
func (c *cache) build(key string, gen uint64, fn func() (*answer, error)) (*answer, error) {
	fk := strconv.FormatUint(gen, 10) + " " + key
	c.flightMu.Lock()
	if f, ok := c.flights[fk]; ok {
		c.flightMu.Unlock()
		<-f.done
		return f.a, f.err
	}
	f := &flight{done: make(chan struct{})}
	c.flights[fk] = f
	c.flightMu.Unlock()
	defer func() {
		c.flightMu.Lock()
		delete(c.flights, fk)
		c.flightMu.Unlock()
		close(f.done)
	}()
	f.a, f.err = fn()
	return f.a, f.err
}

func (c *cache) get(key string, gen uint64) *answer {
	if c.max <= 0 {
		return nil
	}
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok || e.gen != gen {
		return nil
	}
	return e.a
}

func (c *cache) put(key string, gen uint64, a *answer) {
	if c.max <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		// Drop the stale generations first; if still full, start over.
		for k, e := range c.entries {
			if e.gen != gen {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= c.max {
			c.entries = map[string]cacheEntry{}
		}
	}
	c.entries[key] = cacheEntry{gen: gen, a: a}
}

func (a *answer) finish() *answer {
	h := fnv.New64a()
	h.Write(a.body)
	a.etag = fmt.Sprintf(`"%x-%d"`, h.Sum64(), len(a.body))
	if !a.modified.IsZero() {
		a.modified = a.modified.UTC().Truncate(time.Second)
	}
	return a
}

func (a *answer) gzipped() []byte {
	a.gzOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		_, _ = zw.Write(a.body)
		_ = zw.Close()
		a.gz = buf.Bytes()
	})
	return a.gz
}

// builder renders an answer from the database.
type builder func(c *gin.Context) (*answer, error)

// serve answers from the cache or builds, stores and answers; a failed
// build is returned for the route's ErrorRenderer to answer.
func (h *Handler) serve(c *gin.Context, key string, build builder) error {
	gen := h.site.Generation()
	a := h.cache.get(key, gen)
	if a == nil {
		var err error
		build1 := func() (*answer, error) {
			a, err := build(c)
			if err != nil {
				return nil, err
			}
			a.finish()
			if a.status == http.StatusOK || a.status == http.StatusMovedPermanently {
				h.cache.put(key, gen, a)
			}
			return a, nil
		}
		if h.cache.max > 0 {
			a, err = h.cache.build(key, gen, build1)
		} else {
			a, err = build1()
		}
		if err != nil {
			return err
		}
	}
	h.write(c, a)
	return nil
}

// write sends an answer with validators, caching headers and gzip, or 304.
func (h *Handler) write(c *gin.Context, a *answer) {
	hd := c.Writer.Header()
	if a.location != "" {
		hd.Set("Location", a.location)
	}
	hd.Set("ETag", a.etag)
	if !a.modified.IsZero() {
		hd.Set("Last-Modified", a.modified.Format(http.TimeFormat))
	}
	scope, vary := "public", "Accept-Encoding"
	if a.private || a.keyed {
		scope = "private"
	}
	if a.keyed {
		vary = PartnerKeyHeader + ", Accept, Accept-Encoding"
	}
	hd.Set("Cache-Control", scope+", max-age="+strconv.Itoa(int(h.opts.CacheMaxAge/time.Second)))
	hd.Set("Vary", vary)
	if strings.HasPrefix(a.ctype, "text/html") {
		hd.Set("Content-Security-Policy", SiteCSP)
	}
	if a.status == http.StatusOK && notModified(c.Request, a) {
		c.Status(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	body := a.body
	if len(body) > 512 && strings.Contains(c.GetHeader("Accept-Encoding"), "gzip") {
		body = a.gzipped()
		hd.Set("Content-Encoding", "gzip")
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	c.Data(a.status, a.ctype, body)
}

func notModified(r *http.Request, a *answer) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == a.etag || t == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !a.modified.IsZero() {
		if t, err := http.ParseTime(ims); err == nil && !a.modified.After(t) {
			return true
		}
	}
	return false
}

// cacheKey is the request's path and query (the content API refuses a
// partner key in the query, so none is kept here).
func cacheKey(c *gin.Context, variant string) string {
	return variant + " " + c.Request.URL.Path + "?" + c.Request.URL.Query().Encode()
}
