package app_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// selfSigned writes a certificate for 127.0.0.1 and its key as PEM files and
// returns their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "newsroom test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestNativeTLS: with http.tls_cert and http.tls_key the app is served over
// HTTPS (TLS 1.2 at least): answers carry HSTS and desk cookies are Secure;
// the redirect listener answers 308 to the same host, path and query on
// https at the main listener's port; a pair that does not load is refused.
func TestNativeTLS(t *testing.T) {
	a := testutil.NewApp(t, store.DialectSQLite)
	certFile, keyFile, pool := selfSigned(t)
	l, err := server.Listen(server.ListenOptions{Addr: "127.0.0.1:0", TLSCert: certFile, TLSKey: keyFile, RedirectAddr: "127.0.0.1:0",
		ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}, a.Handler)
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- l.Serve() }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := l.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	if !strings.HasPrefix(l.URL(), "https://127.0.0.1:") || !strings.HasPrefix(l.RedirectURL(), "http://127.0.0.1:") {
		t.Fatalf("urls %s %s", l.URL(), l.RedirectURL())
	}
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(l.URL() + "/desk/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.TLS == nil || res.TLS.Version < tls.VersionTLS12 {
		t.Fatalf("GET /desk/login over TLS: %d %+v", res.StatusCode, res.TLS)
	}
	if got := res.Header.Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Errorf("HSTS = %q", got)
	}
	if len(res.Cookies()) == 0 {
		t.Fatal("the login page set no cookie")
	}
	for _, ck := range res.Cookies() {
		if !ck.Secure || !ck.HttpOnly {
			t.Errorf("cookie %s: Secure %v HttpOnly %v", ck.Name, ck.Secure, ck.HttpOnly)
		}
	}
	old := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MaxVersion: tls.VersionTLS11}}}
	if res, err := old.Get(l.URL() + "/healthz"); err == nil {
		res.Body.Close()
		t.Error("TLS 1.1 was accepted")
	}

	_, port, _ := net.SplitHostPort(strings.TrimPrefix(l.URL(), "https://"))
	for _, method := range []string{"GET", "POST"} {
		req, _ := http.NewRequest(method, l.RedirectURL()+"/desk/login?next=%2Fdesk%2Fqueue", strings.NewReader("a=1"))
		req.Host = "bao.example.vn:80"
		res, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if want := "https://bao.example.vn:" + port + "/desk/login?next=%2Fdesk%2Fqueue"; res.StatusCode != http.StatusPermanentRedirect || res.Header.Get("Location") != want {
			t.Errorf("%s on the redirect listener: %d Location %q, want 308 %q", method, res.StatusCode, res.Header.Get("Location"), want)
		}
		if res.Header.Get("Strict-Transport-Security") != "" {
			t.Error("HSTS over plain HTTP")
		}
	}

	for name, o := range map[string]server.ListenOptions{
		"cert only":         {Addr: "127.0.0.1:0", TLSCert: certFile},
		"key for the cert":  {Addr: "127.0.0.1:0", TLSCert: keyFile, TLSKey: keyFile},
		"missing file":      {Addr: "127.0.0.1:0", TLSCert: certFile, TLSKey: filepath.Join(t.TempDir(), "none.pem")},
		"redirect, no cert": {Addr: "127.0.0.1:0", RedirectAddr: "127.0.0.1:0"},
	} {
		if _, err := server.Listen(o, a.Handler); err == nil || !strings.Contains(err.Error(), "http.tls_") {
			t.Errorf("%s: err = %v, want a message naming http.tls_cert/http.tls_key", name, err)
		}
	}
}

// TestRedirectToHTTPS: the port is left out for 443, IPv6 hosts keep their
// brackets, and a request without a usable Host gets 400.
func TestRedirectToHTTPS(t *testing.T) {
	for _, tc := range []struct{ port, host, path, want string }{
		{"443", "bao.example.vn", "/a?b=1", "https://bao.example.vn/a?b=1"},
		{"443", "[2001:db8::1]:80", "/", "https://[2001:db8::1]/"},
		{"8443", "[2001:db8::1]", "/x", "https://[2001:db8::1]:8443/x"},
		{"443", "", "/", ""},
		{"443", "evil.example/x", "/", ""},
	} {
		req, _ := http.NewRequest("GET", "http://placeholder"+tc.path, nil)
		req.Host = tc.host
		w := httptest.NewRecorder()
		server.RedirectToHTTPS(tc.port).ServeHTTP(w, req)
		if tc.want == "" && w.Code != 400 || tc.want != "" && (w.Code != 308 || w.Header().Get("Location") != tc.want) {
			t.Errorf("port %s host %q: %d %q, want %q", tc.port, tc.host, w.Code, w.Header().Get("Location"), tc.want)
		}
	}
}
