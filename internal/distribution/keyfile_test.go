package distribution

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadOrCreateKeyCreatesThenReuses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", KeyFileName)
	first, created, err := LoadOrCreateKey(path)
	if err != nil || !created || first == nil {
		t.Fatalf("first start: sealer %v, created %v, err %v", first, created, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v (want permissions 0600)", fi, err)
	}
	raw, _ := os.ReadFile(path)
	if b, err := hex.DecodeString(strings.TrimSpace(string(raw))); err != nil || len(b) != 32 {
		t.Fatalf("key file holds %q, want 64 hex digits", raw)
	}
	sealed, err := first.Seal("whsec_bi-mat")
	if err != nil {
		t.Fatal(err)
	}

	second, created, err := LoadOrCreateKey(path)
	if err != nil || created {
		t.Fatalf("second start: created %v, err %v", created, err)
	}
	if got, err := second.Open(sealed); err != nil || got != "whsec_bi-mat" {
		t.Fatalf("a secret sealed before does not open: %q, %v", got, err)
	}
	if again, _ := os.ReadFile(path); string(again) != string(raw) {
		t.Fatal("the second start rewrote the key file")
	}
}

func TestLoadOrCreateKeyRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, content string
		perm          os.FileMode
		want          string
	}{
		{"world readable", strings.Repeat("ab", 32), 0o644, "chmod 600"},
		{"group readable", strings.Repeat("ab", 32), 0o640, "chmod 600"},
		{"malformed", "khong-phai-khoa", 0o600, "does not hold a key"},
		{"too short", strings.Repeat("ab", 16), 0o600, "does not hold a key"},
		{"empty", "", 0o600, "does not hold a key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), KeyFileName)
			if err := os.WriteFile(path, []byte(tc.content), tc.perm); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.perm); err != nil { // past the umask
				t.Fatal(err)
			}
			s, created, err := LoadOrCreateKey(path)
			if err == nil || s != nil || created || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("got %v, %v, %v; want an error naming %s and saying %q", s, created, err, path, tc.want)
			}
			if after, _ := os.ReadFile(path); string(after) != tc.content {
				t.Fatal("a refused key file was changed")
			}
		})
	}
}

func TestLoadOrCreateKeyAcceptsBase64(t *testing.T) {
	path := filepath.Join(t.TempDir(), KeyFileName)
	if err := os.WriteFile(path, []byte("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, created, err := LoadOrCreateKey(path)
	if err != nil || created || s == nil {
		t.Fatalf("got %v, %v, %v", s, created, err)
	}
}
