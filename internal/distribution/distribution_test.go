package distribution

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The example of the Standard Webhooks specification.
func TestSignStandardWebhooksVector(t *testing.T) {
	got := Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	if !Verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", []byte(`{"test": 2432232314}`), "v1,bad "+got) {
		t.Fatal("Verify refuses a list holding the right signature")
	}
	if Verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", []byte(`{"test": 1}`), got) {
		t.Fatal("Verify accepts a changed body")
	}
}

func TestSealRoundTrip(t *testing.T) {
	s, err := ParseKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	if err != nil || s == nil {
		t.Fatal(err)
	}
	enc, err := s.Seal("bí mật")
	if err != nil || strings.Contains(enc, "bí") {
		t.Fatalf("%q %v", enc, err)
	}
	if got, err := s.Open(enc); err != nil || got != "bí mật" {
		t.Fatalf("open: %q %v", got, err)
	}
	other, _ := ParseKey(strings.Repeat("ab", 32))
	if _, err := other.Open(enc); err == nil {
		t.Fatal("another key opened the secret")
	}
	for _, bad := range []string{"short", strings.Repeat("a", 63), "AAEC"} {
		if _, err := ParseKey(bad); err == nil || !strings.Contains(err.Error(), "distribution.secret_key") {
			t.Errorf("ParseKey(%q) = %v, want an error naming the key", bad, err)
		}
	}
	if s, err := ParseKey(" "); s != nil || err != nil {
		t.Errorf("empty key: %v %v, want nil, nil", s, err)
	}
}

func FuzzParseKeyAndVerify(f *testing.F) {
	f.Add("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "1614265330", "v1,abc")
	f.Add("", "x", "")
	f.Fuzz(func(t *testing.T, key, ts, sig string) {
		s, err := ParseKey(key)
		if err == nil && s != nil {
			enc, err := s.Seal(key)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := s.Open(enc); err != nil || got != key {
				t.Fatalf("round trip: %q %v", got, err)
			}
			_, _ = s.Open(sig)
		}
		_ = Verify(key, "id", ts, []byte(sig), sig)
	})
}

func TestGuardRefusesInternalAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	post := func(g *Guard, url string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
		resp, err := g.Client(5 * time.Second).Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	closed := NewGuard(nil)
	for _, url := range []string{
		srv.URL,                          // 127.0.0.1 not allowed
		"http://localhost:" + port + "/", // a name resolving to loopback
		"http://10.0.0.1/",               // private
		"http://169.254.169.254/latest/meta-data", // link-local (cloud metadata)
		"http://[::1]:" + port + "/",              // IPv6 loopback
		"http://0.0.0.0:" + port + "/",            // unspecified
	} {
		if err := post(closed, url); !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("POST %s: %v, want refused by the guard", url, err)
		}
	}
	for _, allow := range []string{"127.0.0.1", "127.0.0.1:" + port} {
		if err := post(NewGuard([]string{allow}), srv.URL); err != nil {
			t.Errorf("allow %s: %v", allow, err)
		}
	}
	if err := post(NewGuard([]string{"127.0.0.1:1"}), srv.URL); !errors.Is(err, ErrForbiddenAddress) {
		t.Errorf("allowing another port let %s through: %v", srv.URL, err)
	}
}

func TestBackoffGrowsWithJitterUpToMax(t *testing.T) {
	s := NewService(nil, Deps{}, Config{RetryBase: time.Second, RetryMax: time.Minute})
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 5: 16 * time.Second, 10: time.Minute, 50: time.Minute} {
		for range 20 {
			if got := s.Backoff(n); got < want/2 || got > want {
				t.Fatalf("Backoff(%d) = %s, want in [%s, %s]", n, got, want/2, want)
			}
		}
	}
}
