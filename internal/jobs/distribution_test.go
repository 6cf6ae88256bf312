package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// receiver is a webhook endpoint on 127.0.0.1 that records what it gets and
// answers 500 to the first failFirst requests.
type receiver struct {
	*httptest.Server
	secret    string
	failFirst int
	mu        sync.Mutex
	got       []received
}

type received struct {
	id, ts, sig string
	valid       bool
	body        map[string]any
	status      int
}

func newReceiver(t *testing.T, secret string, failFirst int) *receiver {
	r := &receiver{secret: secret, failFirst: failFirst}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		raw, _ := io.ReadAll(req.Body)
		rc := received{id: req.Header.Get("webhook-id"), ts: req.Header.Get("webhook-timestamp"), sig: req.Header.Get("webhook-signature")}
		rc.valid = distribution.Verify(r.secret, rc.id, rc.ts, raw, rc.sig)
		_ = json.Unmarshal(raw, &rc.body)
		r.mu.Lock()
		defer r.mu.Unlock()
		rc.status = http.StatusOK
		if len(r.got) < r.failFirst {
			rc.status = http.StatusInternalServerError
		}
		r.got = append(r.got, rc)
		w.WriteHeader(rc.status)
		if rc.status == http.StatusOK {
			_, _ = w.Write([]byte(`{"id":"ext-` + rc.id + `"}`))
		} else {
			_, _ = w.Write([]byte("tạm thời lỗi (temporarily down)"))
		}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func (e *env) target(name, url, secret string) *distribution.Target {
	e.t.Helper()
	return e.newTarget("webhook", name, url, secret)
}

// waitDelivered polls the story's distribution until every entry is
// finished at version, within a bound (a failure bound, not a timing check).
func (e *env) waitDelivered(id string, version, want int) []distribution.Delivery {
	e.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		ds, err := e.dist.StoryDistribution(context.Background(), e.chief, id)
		if err != nil {
			e.t.Fatal(err)
		}
		done := 0
		for _, d := range ds {
			if d.StoryVersion == version && (d.State == distribution.StateDelivered || d.State == distribution.StateDead) {
				done++
			}
		}
		if done == want && len(ds) == want {
			return ds
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("distribution of %s v%d not finished: %+v", id, version, ds)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestPublishReachesThreeWebhooksAndChannels(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		recv := []*receiver{newReceiver(t, "bí-mật-một", 0), newReceiver(t, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", 0), newReceiver(t, "bí-mật-ba", 0)}
		for i, r := range recv {
			e.target([]string{"Báo Mới", "Cổng tỉnh", "Đối tác"}[i], r.URL+"/hook", r.secret)
		}
		e.start()
		st := e.approved("Khánh thành cầu mới")
		st = e.transition(st.ID, "publish", "", nil)
		ds := e.waitDelivered(st.ID, st.Version, 6)
		channels := map[string]bool{}
		for _, d := range ds {
			if d.State != distribution.StateDelivered || d.Attempts != 1 {
				t.Errorf("delivery %+v: want delivered in 1 attempt", d)
			}
			if d.Channel != "" {
				channels[d.Channel] = true
			} else if d.ExternalID != "ext-"+d.IdempotencyKey {
				t.Errorf("external id %q, want the receiver's id", d.ExternalID)
			}
		}
		if len(channels) != 3 {
			t.Errorf("channels delivered: %v, want web, radio, tv", channels)
		}
		for i, r := range recv {
			got := r.requests()
			if len(got) != 1 || !got[0].valid || got[0].body["pubStatus"] != "usable" || got[0].body["version"] != "5" {
				t.Fatalf("receiver %d: %+v", i, got)
			}
		}

		// A correction sends the new version, a kill sends pubStatus canceled.
		head := "Khánh thành cầu mới (đã đính chính)"
		st = e.transition(st.ID, "correct", "Sửa tên cầu", &story.Content{Headline: &head})
		e.waitDelivered(st.ID, st.Version, 6)
		st = e.transition(st.ID, "kill", "Sai sự thật", nil)
		e.waitDelivered(st.ID, st.Version, 6)
		for i, r := range recv {
			got := r.requests()
			if len(got) != 3 {
				t.Fatalf("receiver %d got %d requests, want 3 (publish, correct, kill)", i, len(got))
			}
			ids := map[string]bool{}
			for _, g := range got {
				ids[g.id] = true
				if !g.valid {
					t.Errorf("receiver %d: bad signature on %s", i, g.id)
				}
			}
			if len(ids) != 3 {
				t.Errorf("receiver %d: webhook ids %v, want one per revision", i, ids)
			}
			heads := got[1].body["headlines"].([]any)
			if got[1].body["version"] != "6" || heads[0].(map[string]any)["value"] != head {
				t.Errorf("receiver %d: correction sent %v", i, got[1].body)
			}
			if got[2].body["pubStatus"] != "canceled" {
				t.Errorf("receiver %d: kill sent %v", i, got[2].body)
			}
		}
	})
}

func TestFailingReceiverGetsTheSameWebhookID(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		r := newReceiver(t, "bí-mật", 3)
		tg := e.target("Đối tác chập chờn", r.URL, r.secret)
		e.start()
		st := e.transition(e.approved("Tin bão số 3").ID, "publish", "", nil)
		d := targetDelivery(t, e.waitDelivered(st.ID, st.Version, 4), tg.ID)
		if d.State != distribution.StateDelivered || d.Attempts != 4 || d.LastError != "" {
			t.Fatalf("delivery %+v: want delivered after 4 attempts", d)
		}
		got := r.requests()
		if len(got) != 4 {
			t.Fatalf("%d requests, want 4", len(got))
		}
		ok := 0
		for _, g := range got {
			if g.id != d.IdempotencyKey || !g.valid {
				t.Errorf("request with webhook-id %q (valid %v), want %q every time", g.id, g.valid, d.IdempotencyKey)
			}
			if g.status == 200 {
				ok++
			}
		}
		if ok != 1 {
			t.Errorf("%d successful requests, want 1", ok)
		}
		attempts, err := e.dist.FindAttempts(context.Background(), e.chief, d.ID)
		if err != nil || len(attempts) != 4 {
			t.Fatalf("attempts %v, %v; want 4 logged", attempts, err)
		}
		for i, a := range attempts[:3] {
			if a.StatusCode != 500 || a.Response != "tạm thời lỗi (temporarily down)" || a.Error == "" {
				t.Errorf("attempt %d: %+v", i, a)
			}
		}
		if attempts[3].StatusCode != 200 {
			t.Errorf("last attempt %+v, want 200", attempts[3])
		}
	})
}

func TestDeadAfterHorizonThenManualRetry(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		r := newReceiver(t, "bí-mật", 1<<30)
		tg := e.target("Đối tác hỏng", r.URL, r.secret)
		e.start()
		st := e.transition(e.approved("Tin nông nghiệp").ID, "publish", "", nil)
		dead := targetDelivery(t, e.waitDelivered(st.ID, st.Version, 4), tg.ID)
		if dead.State != distribution.StateDead || dead.LastError == "" || dead.Attempts < 1 {
			t.Fatalf("delivery %+v: want dead with its last error", dead)
		}
		if _, err := e.dist.Retry(context.Background(), e.reporter, dead.ID); !apperr.Is(err, apperr.CodeForbidden) {
			t.Fatalf("reporter retry: %v, want forbidden", err)
		}
		r.mu.Lock()
		r.failFirst = 0
		r.mu.Unlock()
		if _, err := e.dist.Retry(context.Background(), e.chief, dead.ID); err != nil {
			t.Fatal(err)
		}
		for _, d := range e.waitDelivered(st.ID, st.Version, 4) {
			if d.ID == dead.ID && d.State != distribution.StateDelivered {
				t.Fatalf("after retry: %+v", d)
			}
		}
		got := r.requests()
		if got[len(got)-1].id != dead.IdempotencyKey || got[len(got)-1].status != 200 {
			t.Fatalf("manual retry sent %+v, want the same webhook-id", got[len(got)-1])
		}
		if _, err := e.dist.Retry(context.Background(), e.chief, "not-a-uuid"); !apperr.Is(err, apperr.CodeInvalid) {
			t.Fatalf("retry of a bad id: %v", err)
		}
	}, tuned(func(c *distribution.Config) { c.RetryHorizon = 150 * time.Millisecond }))
}

func TestTargetValidation(t *testing.T) {
	forEachEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		s := func(v string) *string { return &v }
		for _, c := range []struct {
			name  string
			in    distribution.TargetInput
			field string
		}{
			{"no kind", distribution.TargetInput{Name: s("A"), URL: s("https://example.vn/h")}, "kind"},
			{"bad kind", distribution.TargetInput{Name: s("A"), Kind: s("ftp"), URL: s("https://example.vn/h")}, "kind"},
			{"no name", distribution.TargetInput{Kind: s("webhook"), URL: s("https://example.vn/h")}, "name"},
			{"bad url", distribution.TargetInput{Name: s("A"), Kind: s("webhook"), URL: s("ftp://example.vn")}, "url"},
			{"private", distribution.TargetInput{Name: s("A"), Kind: s("webhook"), URL: s("http://10.1.2.3/h")}, "url"},
			{"metadata", distribution.TargetInput{Name: s("A"), Kind: s("webhook"), URL: s("http://169.254.169.254/latest")}, "url"},
			{"bad format", distribution.TargetInput{Name: s("A"), Kind: s("webhook"), URL: s("https://example.vn/h"), Format: s("xml")}, "format"},
			{"bad channel", distribution.TargetInput{Name: s("A"), Kind: s("webhook"), URL: s("https://example.vn/h"), Channels: &[]string{"fax"}}, "channels"},
		} {
			_, err := e.dist.CreateTarget(ctx, e.admin, c.in)
			ae, ok := apperr.As(err)
			if !ok || ae.Code != apperr.CodeInvalid || ae.Details["field"] != c.field {
				t.Errorf("%s: %v, want invalid %s", c.name, err, c.field)
			}
		}
		if _, err := e.dist.CreateTarget(ctx, e.chief, distribution.TargetInput{Name: s("A"), Kind: s("webhook"), URL: s("https://example.vn/h")}); !apperr.Is(err, apperr.CodeForbidden) {
			t.Errorf("non-admin create: %v", err)
		}
		noKey := newEnv(t, e.db.Dialect, tuned(func(c *distribution.Config) { c.SecretKey = nil }))
		_, err := noKey.dist.CreateTarget(ctx, noKey.admin, distribution.TargetInput{Name: s("A"), Kind: s("webhook"), URL: s("https://example.vn/h"), Secret: s("x")})
		if ae, ok := apperr.As(err); !ok || ae.Details["field"] != "secret" {
			t.Errorf("secret without a key: %v, want invalid secret", err)
		}
		if ts, _ := noKey.dist.FindTargets(ctx, noKey.admin); len(ts) != 0 {
			t.Errorf("targets after refusals: %v", ts)
		}
		tg, err := e.dist.CreateTarget(ctx, e.admin, distribution.TargetInput{Name: s("Báo Mới"), Kind: s("webhook"), URL: s("https://example.vn/h"), Secret: s("bí mật")})
		if err != nil || !tg.HasSecret {
			t.Fatalf("create: %+v, %v", tg, err)
		}
		var enc string
		if err := e.db.SQL.QueryRow("SELECT secret_enc FROM distribution_targets WHERE id = $1", tg.ID).Scan(&enc); err != nil || enc == "" || enc == "bí mật" {
			t.Fatalf("stored secret %q (%v): want it sealed", enc, err)
		}
		if _, err := e.dist.CreateTarget(ctx, e.admin, distribution.TargetInput{Name: s("Báo Mới"), Kind: s("webhook"), URL: s("https://example.vn/x")}); !apperr.Is(err, apperr.CodeConflict) {
			t.Errorf("duplicate name: %v", err)
		}
	})
}

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
