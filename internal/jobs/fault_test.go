package jobs_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// TestReceiverDownThenBackGetsEverything: a webhook receiver on a fixed
// loopback port is down (connection refused) while several stories are
// published; every delivery keeps retrying, and once the receiver listens
// again on the same port everything queued in between is delivered, each
// webhook-id exactly once.
func TestReceiverDownThenBackGetsEverything(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		// Reserve a loopback port, then close it: nothing listens there.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		const secret = "bí-mật-đối-tác"
		e.target("Đối tác mất mạng", "http://"+addr+"/hook", secret)
		e.start()

		const n = 5
		ctx := context.Background()
		var published []*story.Story
		for i := range n {
			published = append(published, e.transition(e.approved(fmt.Sprintf("Tin mất mạng số %d", i+1)).ID, "publish", "", nil))
		}

		// Every target delivery fails at least twice while the receiver is down.
		targetDelivery := func(st *story.Story) distribution.Delivery {
			ds, err := e.dist.StoryDistribution(ctx, e.chief, st.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				if d.TargetID != "" {
					return d
				}
			}
			return distribution.Delivery{}
		}
		deadline := time.Now().Add(time.Minute)
		for _, st := range published {
			for {
				d := targetDelivery(st)
				if d.State == distribution.StateRetrying && d.Attempts >= 2 {
					break
				}
				if d.State == distribution.StateDelivered || d.State == distribution.StateDead {
					t.Fatalf("delivery %+v finished while the receiver was down", d)
				}
				if time.Now().After(deadline) {
					t.Fatalf("delivery %+v: want retrying after failed attempts", d)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}

		// The receiver comes back on the same port.
		var mu sync.Mutex
		got := map[string]int{}
		valid := true
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			raw, _ := io.ReadAll(r.Body)
			id := r.Header.Get("webhook-id")
			ok := distribution.Verify(secret, id, r.Header.Get("webhook-timestamp"), raw, r.Header.Get("webhook-signature"))
			mu.Lock()
			got[id]++
			valid = valid && ok
			mu.Unlock()
			_, _ = w.Write([]byte(`{"id":"ext-` + id + `"}`))
		})}
		var back net.Listener
		for try := 0; ; try++ {
			if back, err = net.Listen("tcp", addr); err == nil {
				break
			}
			if try == 50 {
				t.Fatalf("listen again on %s: %v", addr, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
		go func() { _ = srv.Serve(back) }()
		t.Cleanup(func() { _ = srv.Close() })

		for _, st := range published {
			e.waitDelivered(st.ID, st.Version, 4)
		}
		mu.Lock()
		defer mu.Unlock()
		if !valid {
			t.Errorf("a request had a bad signature")
		}
		for _, st := range published {
			d := targetDelivery(st)
			if d.State != distribution.StateDelivered || d.Attempts < 3 || d.ExternalID != "ext-"+d.IdempotencyKey {
				t.Errorf("delivery %+v: want delivered after the failed attempts, with the receiver's id", d)
			}
			if got[d.IdempotencyKey] != 1 {
				t.Errorf("webhook-id %s received %d times, want 1", d.IdempotencyKey, got[d.IdempotencyKey])
			}
			attempts, err := e.dist.FindAttempts(ctx, e.chief, d.ID)
			if err != nil || len(attempts) != d.Attempts {
				t.Fatalf("attempts %v, %v; want %d logged", attempts, err, d.Attempts)
			}
			for _, a := range attempts[:len(attempts)-1] {
				if a.StatusCode != 0 || a.Error == "" {
					t.Errorf("attempt while down: %+v, want a connection error", a)
				}
			}
			if last := attempts[len(attempts)-1]; last.StatusCode != 200 {
				t.Errorf("last attempt %+v, want 200", last)
			}
		}
		if len(got) != n {
			t.Errorf("receiver got %d webhook-ids, want %d: %v", len(got), n, got)
		}
	})
}
