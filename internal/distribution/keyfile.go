package distribution

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// KeyFileName is the key file kept next to the embedded SQLite database when
// distribution.secret_key is not set.
const KeyFileName = "distribution.key"

// LoadOrCreateKey reads the key sealing target secrets from the file at path
// (64 hex digits or base64, as distribution.secret_key) and returns its
// Sealer. When the file does not exist it is created with 32 random bytes in
// hex and permissions 0600, and created is true: the caller tells the
// operator to back it up with the database. A file that the group or others
// may read, or that does not hold a valid key, is refused: a key anyone on
// the machine can read protects nothing, and a guessed replacement would make
// every stored secret unreadable.
func LoadOrCreateKey(path string) (s *Sealer, created bool, err error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if created, err = createKeyFile(path); err != nil {
			return nil, false, err
		}
		raw, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, false, fmt.Errorf("distribution: read the key file %s: %w", path, err)
	}
	if err := checkKeyFileMode(path); err != nil {
		return nil, false, err
	}
	s, err = ParseKey(string(raw))
	if err == nil && s == nil {
		err = errors.New("empty")
	}
	if err != nil {
		return nil, false, fmt.Errorf("distribution: the key file %s does not hold a key (32 random bytes as 64 hex digits or base64): restore it from the backup taken with the database, or set distribution.secret_key", path)
	}
	return s, created, nil
}

// createKeyFile writes a new random key to path; it reports false when
// another process created the file first (that process's key is then used).
func createKeyFile(path string) (bool, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return false, fmt.Errorf("distribution: create the folder of the key file %s: %w", path, err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return false, fmt.Errorf("distribution: generate a key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("distribution: create the key file %s: %w", path, err)
	}
	_, err = f.WriteString(hex.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return false, fmt.Errorf("distribution: write the key file %s: %w", path, err)
	}
	return true, nil
}

// checkKeyFileMode refuses a key file the group or others may read or write.
func checkKeyFileMode(path string) error {
	if runtime.GOOS == "windows" {
		return nil // no Unix permission bits
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("distribution: the key file %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("distribution: the key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("distribution: the key file %s has permissions %04o: only its owner may read it; run `chmod 600 %s`", path, perm, path)
	}
	return nil
}
