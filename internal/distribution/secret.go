package distribution

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Sealer encrypts target secrets at rest with AES-256-GCM.
type Sealer struct{ aead cipher.AEAD }

// ParseKey reads distribution.secret_key: 32 bytes as standard base64 (e.g.
// `openssl rand -base64 32`) or 64 hex digits. An empty key gives a nil
// Sealer: targets without secrets still work.
func ParseKey(s string) (*Sealer, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var key []byte
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		key = b
	} else if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		key = b
	} else {
		return nil, errors.New("distribution: distribution.secret_key must be 32 random bytes, base64 (openssl rand -base64 32) or 64 hex digits")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("distribution: secret key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("distribution: secret key: %w", err)
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain; the nonce is stored in front of the ciphertext.
func (s *Sealer) Seal(plain string) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("distribution: seal: %w", err)
	}
	return base64.StdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(plain), []byte("newsroom-target-secret"))), nil
}

// Open decrypts what Seal wrote.
func (s *Sealer) Open(sealed string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", errors.New("distribution: open secret: malformed")
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, b[:n], b[n:], []byte("newsroom-target-secret"))
	if err != nil {
		return "", errors.New("distribution: open secret: wrong key or corrupted (was distribution.secret_key changed?)")
	}
	return string(plain), nil
}
