package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ListenOptions are the main listener's settings (http.*).
type ListenOptions struct {
	Addr string
	// TLSCert and TLSKey are PEM files; with both the listener serves HTTPS.
	TLSCert, TLSKey string
	// RedirectAddr, with TLS, is a plain-HTTP listener answering 308 to https.
	RedirectAddr              string
	ReadTimeout, WriteTimeout time.Duration
	// Logger receives the servers' own errors (failed TLS handshakes, at
	// debug level: scanners make many); nil is slog.Default().
	Logger *slog.Logger
}

// Listening is the main server, plain or TLS, and the optional redirect server.
type Listening struct {
	main, redirect *http.Server
	ln, rln        net.Listener
	tls            bool
}

// TLSConfig loads the certificate chain and key for native TLS: TLS 1.2 at
// least, and for 1.2 only suites with forward secrecy and AEAD (TLS 1.3's
// are all such); HTTP/2 is offered.
func TLSConfig(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" || keyFile == "" {
		return nil, fmt.Errorf("native TLS needs both http.tls_cert and http.tls_key (got tls_cert %q, tls_key %q)", certFile, keyFile)
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("native TLS: cannot load the certificate http.tls_cert %s with the key http.tls_key %s (both PEM, the key matching the certificate): %w", certFile, keyFile, err)
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{cert},
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
		},
		NextProtos: []string{"h2", "http/1.1"},
	}, nil
}

// Listen binds the main listener (and the redirect one when asked), with
// TLS when o names a certificate; a certificate that does not load, or a
// redirect without TLS, is refused here, before anything is served.
func Listen(o ListenOptions, h http.Handler) (*Listening, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	errLog := slog.NewLogLogger(o.Logger.Handler(), slog.LevelDebug)
	l := &Listening{main: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: o.ReadTimeout,
		WriteTimeout: o.WriteTimeout, IdleTimeout: 2 * time.Minute, ErrorLog: errLog}}
	if o.TLSCert != "" || o.TLSKey != "" {
		cfg, err := TLSConfig(o.TLSCert, o.TLSKey)
		if err != nil {
			return nil, err
		}
		l.main.TLSConfig, l.tls = cfg, true
	} else if o.RedirectAddr != "" {
		return nil, fmt.Errorf("http.redirect_addr %s redirects to HTTPS, which needs http.tls_cert and http.tls_key", o.RedirectAddr)
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", o.Addr, err)
	}
	l.ln = ln
	if o.RedirectAddr != "" {
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		rln, err := net.Listen("tcp", o.RedirectAddr)
		if err != nil {
			_ = ln.Close()
			return nil, fmt.Errorf("listen on http.redirect_addr %s: %w", o.RedirectAddr, err)
		}
		l.rln = rln
		l.redirect = &http.Server{Handler: RedirectToHTTPS(port), ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, IdleTimeout: time.Minute, ErrorLog: errLog}
	}
	return l, nil
}

// URL is the main listener's base URL, http:// or https://.
func (l *Listening) URL() string {
	if l.tls {
		return "https://" + l.ln.Addr().String()
	}
	return "http://" + l.ln.Addr().String()
}

// RedirectURL is the redirect listener's base URL, or "" when there is none.
func (l *Listening) RedirectURL() string {
	if l.rln == nil {
		return ""
	}
	return "http://" + l.rln.Addr().String()
}

// Serve serves until Shutdown; it returns the first listener's failure.
func (l *Listening) Serve() error {
	errc := make(chan error, 2)
	if l.redirect != nil {
		go func() { errc <- l.redirect.Serve(l.rln) }()
	}
	go func() {
		if l.tls {
			errc <- l.main.ServeTLS(l.ln, "", "")
			return
		}
		errc <- l.main.Serve(l.ln)
	}()
	err := <-errc
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops both listeners, letting running requests finish up to ctx's deadline.
func (l *Listening) Shutdown(ctx context.Context) error {
	var errs []error
	if l.redirect != nil {
		errs = append(errs, l.redirect.Shutdown(ctx))
	}
	errs = append(errs, l.main.Shutdown(ctx))
	return errors.Join(errs...)
}

// RedirectToHTTPS answers every request with 308 Permanent Redirect to the
// same host, path and query on https at port (left out when 443); a request
// without a usable Host gets 400.
func RedirectToHTTPS(port string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.Trim(host, "[]")
		if host == "" || strings.ContainsAny(host, "/\\@ ?#%") {
			http.Error(w, "Bad Request: no usable Host header", http.StatusBadRequest)
			return
		}
		if port != "443" {
			host = net.JoinHostPort(host, port)
		} else if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		u := url.URL{Scheme: "https", Host: host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
		http.Redirect(w, r, u.String(), http.StatusPermanentRedirect)
	})
}
