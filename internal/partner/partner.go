// Package partner manages the API keys that partners and apps use to read the
// content API: created by admins, shown once, stored hashed, revocable, with a
// per-key rate limit and a usage counter kept for billing.
package partner

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/textvi"
	"github.com/newsroom-vn/newsroom/internal/txn"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// KeyPrefix starts every partner key, so a leaked one is recognisable.
const KeyPrefix = "nrk_"

// Key is a partner API key (its secret is never stored, only its hash).
type Key struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // the first characters of the secret, to recognise it
	Hash       string     `json:"-"`
	RateLimit  int        `json:"rate_limit"` // requests per minute; 0 means the configured default
	UsageCount int64      `json:"usage_count"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

// NewKey is what an admin asks for.
type NewKey struct {
	Name      string `json:"name"`
	RateLimit int    `json:"rate_limit"`
}

// Repository persists partner keys.
type Repository interface {
	CreateKey(ctx context.Context, k *Key) error
	FindKeys(ctx context.Context) ([]Key, error) // newest first
	FindKeyByID(ctx context.Context, id string) (*Key, error)
	FindKeyByHash(ctx context.Context, hash string) (*Key, error)
	// RevokeKey sets revoked_at if not yet set; a missing key is NotFound.
	RevokeKey(ctx context.Context, id string, at time.Time) error
	// AddUsage adds n to the key's usage counter and sets last_used_at.
	AddUsage(ctx context.Context, id string, n int64, at time.Time) error
}

// Config tunes the service.
type Config struct {
	DefaultRateLimit int // requests per minute for a key without its own limit
}

// Service is the partner-key use cases.
type Service struct {
	repo  Repository
	audit audit.Repository
	tx    txn.Runner
	cfg   Config
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	usage   map[string]int64
	known   map[string]cachedKey // by hash
}

type bucket struct {
	tokens float64
	at     time.Time
}

type cachedKey struct {
	key Key
	at  time.Time
}

// keyCacheTTL bounds how long another process may accept a key revoked elsewhere.
const keyCacheTTL = 30 * time.Second

// NewService wires the partner-key service.
func NewService(repo Repository, auditRepo audit.Repository, tx txn.Runner, cfg Config) *Service {
	if cfg.DefaultRateLimit <= 0 {
		cfg.DefaultRateLimit = 600
	}
	return &Service{repo: repo, audit: auditRepo, tx: tx, cfg: cfg,
		now:     func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		buckets: map[string]*bucket{}, usage: map[string]int64{}, known: map[string]cachedKey{}}
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// HashKey is the stored form of a secret.
func HashKey(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

func requireAdmin(a user.Actor) error {
	if a.Role != user.RoleAdmin && !a.IsSystem() {
		return apperr.Forbidden("partner.keys_admin_only")
	}
	return nil
}

// CreateKey makes a key and returns it with its secret, which is shown this once.
func (s *Service) CreateKey(ctx context.Context, a user.Actor, in NewKey) (*Key, string, error) {
	if err := requireAdmin(a); err != nil {
		return nil, "", err
	}
	name := textvi.Clean(in.Name)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return nil, "", apperr.InvalidField("name", "partner.name_length")
	}
	if in.RateLimit < 0 || in.RateLimit > 1_000_000 {
		return nil, "", apperr.InvalidField("rate_limit", "partner.rate_limit_out_of_range")
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", fmt.Errorf("partner: random key: %w", err)
	}
	secret := KeyPrefix + base64.RawURLEncoding.EncodeToString(raw)
	k := &Key{ID: uuid.NewString(), Name: name, Prefix: secret[:len(KeyPrefix)+6], Hash: HashKey(secret),
		RateLimit: in.RateLimit, CreatedBy: a.UserID, CreatedAt: s.now()}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.CreateKey(ctx, k); err != nil {
			return err
		}
		return audit.Record(ctx, s.audit, a, audit.Event{At: k.CreatedAt, Action: "partner_key.create", TargetType: "partner_key", TargetID: k.ID,
			Details: map[string]any{"name": k.Name, "rate_limit": k.RateLimit}})
	})
	if err != nil {
		return nil, "", err
	}
	return k, secret, nil
}

// FindKeys lists every key, newest first, with usage counters (admin only).
func (s *Service) FindKeys(ctx context.Context, a user.Actor) ([]Key, error) {
	if err := requireAdmin(a); err != nil {
		return nil, err
	}
	if err := s.FlushUsage(ctx); err != nil {
		return nil, err
	}
	return s.repo.FindKeys(ctx)
}

// RevokeKey revokes a key at once (admin only).
func (s *Service) RevokeKey(ctx context.Context, a user.Actor, id string) error {
	if err := requireAdmin(a); err != nil {
		return err
	}
	if _, err := uuid.Parse(id); err != nil {
		return apperr.InvalidField("id", "partner.key_id_not_uuid")
	}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.RevokeKey(ctx, id, s.now()); err != nil {
			return err
		}
		return audit.Record(ctx, s.audit, a, audit.Event{At: s.now(), Action: "partner_key.revoke", TargetType: "partner_key", TargetID: id})
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	for h, c := range s.known {
		if c.key.ID == id {
			delete(s.known, h)
		}
	}
	s.mu.Unlock()
	return nil
}

// Authenticate returns the live key for a secret, or Unauthenticated.
func (s *Service) Authenticate(ctx context.Context, secret string) (*Key, error) {
	secret = strings.TrimSpace(secret)
	if secret == "" {
		return nil, apperr.Unauthenticated("partner.key_required")
	}
	bad := apperr.Unauthenticated("partner.key_invalid")
	if len(secret) > 200 {
		return nil, bad
	}
	h := HashKey(secret)
	now := s.now()
	s.mu.Lock()
	c, ok := s.known[h]
	s.mu.Unlock()
	if ok && now.Sub(c.at) < keyCacheTTL {
		k := c.key
		return &k, nil
	}
	k, err := s.repo.FindKeyByHash(ctx, h)
	if err != nil {
		return nil, apperr.IfNotFound(err, bad)
	}
	if k.RevokedAt != nil {
		return nil, bad
	}
	s.mu.Lock()
	if len(s.known) > 10000 {
		s.known = map[string]cachedKey{}
	}
	s.known[h] = cachedKey{key: *k, at: now}
	s.mu.Unlock()
	return k, nil
}

// Allow takes one request from the key's budget (a token bucket refilled at
// its per-minute limit) and counts it for billing. When the budget is spent
// it returns false and how long to wait.
func (s *Service) Allow(k *Key) (ok bool, retryAfter time.Duration) {
	limit := k.RateLimit
	if limit <= 0 {
		limit = s.cfg.DefaultRateLimit
	}
	perSec := float64(limit) / 60
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[k.ID]
	if b == nil {
		b = &bucket{tokens: float64(limit), at: now}
		s.buckets[k.ID] = b
	}
	b.tokens = math.Min(float64(limit), b.tokens+now.Sub(b.at).Seconds()*perSec)
	b.at = now
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) / perSec * float64(time.Second))
		return false, max(wait, time.Second)
	}
	b.tokens--
	s.usage[k.ID]++
	return true, 0
}

// FlushUsage writes the counted requests to the database (call it
// periodically and at shutdown; FindKeys calls it first).
func (s *Service) FlushUsage(ctx context.Context) error {
	s.mu.Lock()
	pending := s.usage
	s.usage = map[string]int64{}
	s.mu.Unlock()
	now := s.now()
	for id, n := range pending {
		if err := s.repo.AddUsage(ctx, id, n, now); err != nil {
			s.mu.Lock()
			for id2, n2 := range pending {
				s.usage[id2] += n2
			}
			s.mu.Unlock()
			return fmt.Errorf("partner: flush usage: %w", err)
		}
		delete(pending, id)
	}
	return nil
}
