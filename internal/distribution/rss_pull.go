package distribution

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// FeedTokenPrefix starts every feed token, so a leaked one is recognisable.
const FeedTokenPrefix = "nrf_"

// FeedPath is the public path of an rss target's pull feed; the token goes
// in ?token=.
func FeedPath(targetID string) string { return "/feeds/" + targetID + ".rss" }

// HashFeedToken is the stored form of a feed token (SHA-256, hex), as for
// partner API keys: a random 256-bit token needs no slow hash.
func HashFeedToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func newFeedToken() (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("distribution: random feed token: %w", err)
	}
	return FeedTokenPrefix + base64.RawURLEncoding.EncodeToString(raw), nil
}

func withFeedURL(t *Target) *Target {
	if t != nil && t.Kind == KindRSS {
		t.FeedURL = FeedPath(t.ID)
	}
	return t
}

// RotateFeedToken gives an rss target a new feed token (admin); the old one
// stops working at once. The answer carries the new token, shown this once.
func (s *Service) RotateFeedToken(ctx context.Context, a user.Actor, id string) (*Target, error) {
	if !canManage(a) {
		return nil, apperr.Forbidden("distribution.targets_admin_only")
	}
	token, err := newFeedToken()
	if err != nil {
		return nil, err
	}
	var out *Target
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		t, err := s.repo.FindTargetByID(ctx, id)
		if err != nil {
			return err
		}
		if t.Kind != KindRSS {
			return apperr.Conflict("distribution.feed_token_rss_only", t.Kind)
		}
		t.FeedTokenHash, t.UpdatedAt = HashFeedToken(token), s.now()
		if err := s.repo.UpdateTarget(ctx, t); err != nil {
			return err
		}
		out = t
		return s.record(ctx, a, "distribution.target.rotate_feed_token", t.ID, map[string]any{"name": t.Name})
	})
	if err != nil {
		return nil, fmt.Errorf("distribution: rotate feed token of %s: %w", id, err)
	}
	out.FeedToken = token
	return withFeedURL(out), nil
}

// FeedTarget authenticates a pull of /feeds/{id}.rss: a missing token is
// Unauthenticated; an unknown target, a target of another kind and a wrong
// token are the same NotFound (the answer never tells whether the target
// exists); an inactive target with the right token is Gone.
func (s *Service) FeedTarget(ctx context.Context, id, token string) (*Target, error) {
	if token == "" {
		return nil, apperr.Unauthenticated("distribution.feed_token_required")
	}
	notFound := apperr.NotFound("distribution.feed_not_found")
	if _, err := uuid.Parse(id); err != nil {
		return nil, notFound
	}
	t, err := s.repo.FindTargetByID(ctx, id)
	if err != nil {
		return nil, apperr.IfNotFound(err, notFound)
	}
	want := HashFeedToken(token)
	if t.Kind != KindRSS || t.FeedTokenHash == "" || subtle.ConstantTimeCompare([]byte(want), []byte(t.FeedTokenHash)) != 1 {
		return nil, notFound
	}
	if !t.Active {
		return nil, apperr.Gone("distribution.feed_off")
	}
	return withFeedURL(t), nil
}

// deliverRSS records the delivery of a revision to an rss target. The feed
// is read live (through the public site's cache, keyed on the generation
// that publish, correction and kill bump in their transaction), and this job
// runs after that transaction committed: from now on the feed serves the
// revision, or, for a kill, no longer lists the story. No outbound call is
// made; the attempt says what the feed now does.
func (s *Service) deliverRSS(ctx context.Context, d *Delivery, t *Target) error {
	what := fmt.Sprintf("Nguồn tin %s phục vụ phiên bản %d (the pull feed serves revision %d)", FeedPath(t.ID), d.StoryVersion, d.StoryVersion)
	if d.Action == workflow.Kill {
		what = fmt.Sprintf("Đã gỡ khỏi nguồn tin %s (removed from the pull feed)", FeedPath(t.ID))
	}
	d.Attempts++
	d.LastError = ""
	return s.finishAttempt(ctx, d, t, StateDelivered, "", &Attempt{At: s.now(), Response: what})
}
