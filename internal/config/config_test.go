package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func noEnv() []string { return nil }

func TestDefaultsAreValid(t *testing.T) {
	c, err := load("", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Addr != "127.0.0.1:8080" || c.Database.URL != "./data/newsroom.db" || c.Auth.IdleTimeout != 15*time.Minute {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestFileThenEnvironment(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte("http:\n  addr: 0.0.0.0:9000\nauth:\n  idle_timeout: 20m\n  argon2:\n    time: 4\n"), 0o600)
	env := func() []string {
		return []string{"NEWSROOM_HTTP_ADDR=127.0.0.1:9999", "NEWSROOM_DATABASE_URL=postgres://x@h/db",
			"NEWSROOM_HTTP_TRUSTED_PROXIES=10.0.0.1, 192.168.0.0/16", "NEWSROOM_AUTH_ARGON2_MEMORY_KIB=32768", "OTHER=1"}
	}
	c, err := load(path, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTP.Addr != "127.0.0.1:9999" {
		t.Errorf("env must override file: %s", c.HTTP.Addr)
	}
	if c.Auth.IdleTimeout != 20*time.Minute || c.Auth.Argon2.Time != 4 || c.Auth.Argon2.MemoryKiB != 32768 {
		t.Errorf("file/env values lost: %+v", c.Auth)
	}
	if c.Database.URL != "postgres://x@h/db" {
		t.Errorf("database url: %s", c.Database.URL)
	}
	if len(c.HTTP.TrustedProxies) != 2 || c.HTTP.TrustedProxies[1] != "192.168.0.0/16" {
		t.Errorf("list from env: %v", c.HTTP.TrustedProxies)
	}
}

func TestUnknownKeysAreRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte("http:\n  adr: 1\n"), 0o600)
	if _, err := load(path, noEnv); err == nil || !strings.Contains(err.Error(), `"http.adr"`) {
		t.Fatalf("want unknown key error, got %v", err)
	}
	_, err := load("", func() []string { return []string{"NEWSROOM_HTTP_ADR=x"} })
	if err == nil || !strings.Contains(err.Error(), "NEWSROOM_HTTP_ADR") {
		t.Fatalf("want unknown env error, got %v", err)
	}
}

func TestValidateExplains(t *testing.T) {
	_, err := load("", func() []string {
		return []string{"NEWSROOM_HTTP_ADDR=nope", "NEWSROOM_LOG_FORMAT=xml", "NEWSROOM_AUTH_IDLE_TIMEOUT=10s"}
	})
	if err == nil {
		t.Fatal("want error")
	}
	for _, want := range []string{"http.addr", "log.format", "auth.idle_timeout"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if _, err := load("", func() []string { return []string{"NEWSROOM_STORY_LOCK_TTL=soon"} }); err == nil {
		t.Error("a bad duration must be refused")
	}
}

// The documented example must load and must mention every key.
func TestExampleDocumentsEveryKey(t *testing.T) {
	path := filepath.Join("..", "..", "configs", "newsroom.yaml")
	c, err := load(path, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := load("", noEnv)
	if c.HTTP.Addr != def.HTTP.Addr || c.Auth.Argon2 != def.Auth.Argon2 || c.Story != def.Story {
		t.Errorf("configs/newsroom.yaml must show the defaults")
	}
	raw, _ := os.ReadFile(path)
	for _, k := range Keys() {
		leaf := k[strings.LastIndex(k, ".")+1:]
		if !strings.Contains(string(raw), leaf+":") {
			t.Errorf("configs/newsroom.yaml does not document %s", k)
		}
	}
}

func TestBroadcastPresenters(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte("broadcast:\n  words_per_minute: 170\n  presenters: [\"Thu Hà=150\"]\n"), 0o600)
	c, err := load(path, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Broadcast.PresenterWPM()
	if err != nil || c.Broadcast.WordsPerMinute != 170 || m["Thu Hà"] != 150 || len(m) != 1 {
		t.Fatalf("from file: %d %v %v", c.Broadcast.WordsPerMinute, m, err)
	}
	c, err = load("", func() []string { return []string{"NEWSROOM_BROADCAST_PRESENTERS=Thu Hà=150, Minh Đức = 175"} })
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := c.Broadcast.PresenterWPM(); m["Thu Hà"] != 150 || m["Minh Đức"] != 175 {
		t.Fatalf("from env: %v", m)
	}
	for _, bad := range []string{"NEWSROOM_BROADCAST_WORDS_PER_MINUTE=40", "NEWSROOM_BROADCAST_WORDS_PER_MINUTE=401",
		"NEWSROOM_BROADCAST_PRESENTERS=Thu Hà", "NEWSROOM_BROADCAST_PRESENTERS=Thu Hà=nhanh", "NEWSROOM_BROADCAST_PRESENTERS==150",
		"NEWSROOM_BROADCAST_PRESENTERS=Thu Hà=500"} {
		if _, err := load("", func() []string { return []string{bad} }); err == nil || !strings.Contains(err.Error(), "broadcast.") {
			t.Errorf("%s: want a broadcast.* error, got %v", bad, err)
		}
	}
}

// API tokens always have a maximum lifetime; the admin one is the shorter.
func TestTokenMaxLifetime(t *testing.T) {
	c, err := load("", noEnv)
	if err != nil || c.Auth.TokenMaxLifetime != 90*24*time.Hour || c.Auth.AdminTokenMaxLifetime != 24*time.Hour {
		t.Fatalf("defaults: %v %v %v", c.Auth.TokenMaxLifetime, c.Auth.AdminTokenMaxLifetime, err)
	}
	for bad, want := range map[string]string{
		"NEWSROOM_AUTH_TOKEN_MAX_LIFETIME=0":           "auth.token_max_lifetime",
		"NEWSROOM_AUTH_ADMIN_TOKEN_MAX_LIFETIME=0":     "auth.admin_token_max_lifetime",
		"NEWSROOM_AUTH_ADMIN_TOKEN_MAX_LIFETIME=2400h": "must not exceed auth.token_max_lifetime",
	} {
		if _, err := load("", func() []string { return []string{bad} }); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want an error naming %q, got %v", bad, want, err)
		}
	}
}

func TestSecurityAndTLSSettings(t *testing.T) {
	c, err := load("", func() []string {
		return []string{"NEWSROOM_SECURITY_ADMIN_ALLOW_CIDRS=10.20.0.0/16, 192.0.2.7,2001:db8::/32"}
	})
	if err != nil {
		t.Fatal(err)
	}
	nets, err := c.Security.AdminNets()
	if err != nil || len(nets) != 3 || nets[1].String() != "192.0.2.7/32" {
		t.Fatalf("admin nets = %v, %v", nets, err)
	}
	for _, tc := range []struct{ env, want string }{
		{"NEWSROOM_SECURITY_ADMIN_ALLOW_CIDRS=10.0.0.0/33", `security.admin_allow_cidrs: "10.0.0.0/33" is neither`},
		{"NEWSROOM_SECURITY_ADMIN_ALLOW_CIDRS=office", `"office" is neither a CIDR range`},
		{"NEWSROOM_HTTP_TLS_CERT=/etc/newsroom/cert.pem", "http.tls_cert and http.tls_key go together"},
		{"NEWSROOM_HTTP_REDIRECT_ADDR=:80", "http.redirect_addr \":80\" redirects to HTTPS, which needs http.tls_cert"},
	} {
		if _, err := load("", func() []string { return []string{tc.env} }); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.env, err, tc.want)
		}
	}
}

// The audit log keeps rows at least 90 days: a shorter audit.retention is refused at load.
func TestAuditRetention(t *testing.T) {
	c, err := load("", noEnv)
	if err != nil || c.Audit.Retention != 365*24*time.Hour {
		t.Fatalf("default: %v %v", c.Audit.Retention, err)
	}
	for env, ok := range map[string]bool{
		"NEWSROOM_AUDIT_RETENTION=2159h": false, "NEWSROOM_AUDIT_RETENTION=720h": false,
		"NEWSROOM_AUDIT_RETENTION=2160h": true, "NEWSROOM_AUDIT_RETENTION=87600h": true,
	} {
		_, err := load("", func() []string { return []string{env} })
		if ok && err != nil {
			t.Errorf("%s refused: %v", env, err)
		}
		if !ok && (err == nil || !strings.Contains(err.Error(), "audit.retention") || !strings.Contains(err.Error(), "90 days")) {
			t.Errorf("%s: want an error naming audit.retention and 90 days, got %v", env, err)
		}
	}
}

// TestMFARequiredRoles: admin and editor_in_chief by default; the
// environment gives a comma list, an empty value is allowed, and an unknown
// role stops the server naming it.
func TestMFARequiredRoles(t *testing.T) {
	c, err := load("", noEnv)
	if err != nil || !slices.Equal(c.Security.MFARequiredRoles, []string{"admin", "editor_in_chief"}) {
		t.Fatalf("default: %v %v", c.Security.MFARequiredRoles, err)
	}
	c, err = load("", func() []string { return []string{"NEWSROOM_SECURITY_MFA_REQUIRED_ROLES=admin, editor"} })
	if err != nil || !slices.Equal(c.Security.MFARequiredRoles, []string{"admin", "editor"}) {
		t.Fatalf("from env: %v %v", c.Security.MFARequiredRoles, err)
	}
	c, err = load("", func() []string { return []string{"NEWSROOM_SECURITY_MFA_REQUIRED_ROLES="} })
	if err != nil || len(c.Security.MFARequiredRoles) != 0 {
		t.Fatalf("empty: %v %v", c.Security.MFARequiredRoles, err)
	}
	_, err = load("", func() []string { return []string{"NEWSROOM_SECURITY_MFA_REQUIRED_ROLES=admin,boss"} })
	if err == nil || !strings.Contains(err.Error(), `security.mfa_required_roles: unknown role "boss"`) {
		t.Fatalf("unknown role: %v", err)
	}
}
