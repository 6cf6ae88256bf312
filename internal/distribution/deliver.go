package distribution

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Retry sends a dead (or delivered) delivery again, with the same
// idempotency key, and a fresh retry horizon.
func (s *Service) Retry(ctx context.Context, a user.Actor, id string) (*Delivery, error) {
	if !CanRedeliver(a) {
		return nil, apperr.Forbidden("distribution.redeliver_forbidden")
	}
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.InvalidField("id", "distribution.delivery_id_not_uuid", id)
	}
	if s.enqueuer == nil {
		return nil, apperr.Unavailable("distribution.queue_unavailable")
	}
	var out *Delivery
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		d, err := s.repo.FindDeliveryByID(ctx, id)
		if err != nil {
			return err
		}
		if d.State != StateDead && d.State != StateDelivered {
			return apperr.Conflict("distribution.delivery_in_progress", d.State).
				WithDetails(map[string]any{"state": d.State})
		}
		now := s.now()
		d.State, d.NextAttemptAt, d.WindowStart, d.UpdatedAt = StatePending, nil, now, now
		if err := s.repo.UpdateDelivery(ctx, d); err != nil {
			return err
		}
		if err := s.enqueuer.EnqueueDelivery(ctx, d.ID, d.Channel); err != nil {
			return err
		}
		out = d
		return audit.Record(ctx, s.audit, a, audit.Event{At: now, Action: "distribution.delivery.retry", TargetType: "story", TargetID: d.StoryID,
			Details: map[string]any{"delivery_id": d.ID, "target_id": d.TargetID, "channel": d.Channel}})
	})
	if err != nil {
		return nil, fmt.Errorf("distribution: retry %s: %w", id, err)
	}
	return out, nil
}

// ErrRetryLater is returned (wrapped) by Deliver when the attempt failed and
// another should follow after the returned wait.
var ErrRetryLater = errors.New("distribution: retry later")

// Deliver makes one attempt at a delivery. It returns nil once the delivery
// is finished (delivered or dead), or ErrRetryLater with the backoff.
func (s *Service) Deliver(ctx context.Context, id string) (time.Duration, error) {
	d, err := s.repo.FindDeliveryByID(ctx, id)
	if apperr.Is(err, apperr.CodeNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if d.State == StateDelivered || d.State == StateDead {
		return 0, nil
	}
	if d.Channel != "" {
		return 0, s.deliverChannel(ctx, d)
	}
	t, err := s.repo.FindTargetByID(ctx, d.TargetID)
	if apperr.Is(err, apperr.CodeNotFound) {
		return 0, s.finish(ctx, d, nil, StateDead, "Đích phân phối đã bị xóa (target deleted)")
	}
	if err != nil {
		return 0, err
	}
	switch {
	case !t.Active:
		return 0, s.finish(ctx, d, t, StateDead, "Đích phân phối đã tắt (target inactive)")
	case t.Kind == KindZalo:
		return s.sendZalo(ctx, d, t)
	case t.Kind == KindRSS:
		return 0, s.deliverRSS(ctx, d, t)
	}
	return s.sendWebhook(ctx, d, t)
}

func (s *Service) deliverChannel(ctx context.Context, d *Delivery) error {
	// Radio and TV record the delivery; their consumers (rundowns, MOS) read it.
	if d.Channel == string(story.ChannelWeb) && s.web != nil {
		s.web.Invalidate()
	}
	d.Attempts++
	return s.finishAttempt(ctx, d, nil, StateDelivered, "", &Attempt{At: s.now(), Response: "recorded"})
}

// finish stores the final state of a delivery.
func (s *Service) finish(ctx context.Context, d *Delivery, t *Target, state State, lastErr string) error {
	return s.finishAttempt(ctx, d, t, state, lastErr, nil)
}

// finishAttempt stores the final state of a delivery and, when at is not
// nil, logs the attempt that led to it, together (SaveAttempt).
func (s *Service) finishAttempt(ctx context.Context, d *Delivery, t *Target, state State, lastErr string, at *Attempt) error {
	now := s.now()
	d.State, d.UpdatedAt, d.NextAttemptAt = state, now, nil
	if lastErr != "" {
		d.LastError = lastErr
	}
	if state == StateDelivered {
		d.DeliveredAt = &now
	}
	var err error
	if at != nil {
		err = s.repo.SaveAttempt(ctx, d, at)
	} else {
		err = s.repo.UpdateDelivery(ctx, d)
	}
	if err != nil {
		return err
	}
	label := d.Channel
	if t != nil {
		label = t.Name
	} else if label == "" {
		label = d.TargetID
	}
	s.metrics.deliveries.WithLabelValues(label, string(state)).Inc()
	if state == StateDelivered {
		kind := "channel"
		if d.TargetID != "" {
			kind = "target"
		}
		s.metrics.latency.WithLabelValues(kind).Observe(now.Sub(d.TransitionAt).Seconds())
	}
	return nil
}

func (s *Service) client(timeout time.Duration) *http.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clients[timeout]
	if !ok {
		c = s.guard.Client(timeout)
		s.clients[timeout] = c
	}
	return c
}

// acquire takes one of the target's concurrency slots, so that a slow
// receiver holds at most MaxConcurrency workers.
func (s *Service) acquire(ctx context.Context, t *Target) (func(), error) {
	key := t.ID + "/" + strconv.Itoa(t.MaxConcurrency)
	s.mu.Lock()
	sem, ok := s.sems[key]
	if !ok {
		sem = make(chan struct{}, t.MaxConcurrency)
		s.sems[key] = sem
	}
	s.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Backoff is the wait before retry n (1-based): RetryBase doubled each time,
// capped at RetryMax, with "equal jitter" (half fixed, half random).
func (s *Service) Backoff(n int) time.Duration {
	d := s.cfg.RetryBase
	for i := 1; i < n && d < s.cfg.RetryMax; i++ {
		d *= 2
	}
	d = min(d, s.cfg.RetryMax)
	return d/2 + rand.N(d/2+1)
}

func (s *Service) sendWebhook(ctx context.Context, d *Delivery, t *Target) (time.Duration, error) {
	body, err := s.renderShared(ctx, d, t.Format)
	if apperr.Is(err, apperr.CodeNotFound) {
		return 0, s.finish(ctx, d, t, StateDead, "Bài không còn công khai (story is no longer public)")
	}
	if err != nil {
		return 0, err
	}
	secret := ""
	if t.SecretEnc != "" {
		if s.cfg.SecretKey == nil {
			return s.failed(ctx, d, t, &Attempt{Error: "distribution.secret_key is not configured: cannot sign"})
		}
		if secret, err = s.cfg.SecretKey.Open(t.SecretEnc); err != nil {
			return s.failed(ctx, d, t, &Attempt{Error: err.Error()})
		}
	}
	release, err := s.acquire(ctx, t)
	if err != nil {
		return 0, err
	}
	defer release()
	ts := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err != nil {
		return s.failed(ctx, d, t, &Attempt{Error: err.Error()})
	}
	ctype := "application/json"
	if t.Format == FormatNinjs {
		ctype = "application/ninjs+json"
	}
	req.Header.Set("Content-Type", ctype+"; charset=utf-8")
	req.Header.Set("User-Agent", "newsroom-distribution/1")
	req.Header.Set(HeaderWebhookID, d.IdempotencyKey)
	req.Header.Set(HeaderWebhookTimestamp, strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set("Idempotency-Key", d.IdempotencyKey)
	if secret != "" {
		req.Header.Set(HeaderWebhookSignature, Sign(secret, d.IdempotencyKey, ts, body))
	}
	resp, err := s.client(time.Duration(t.TimeoutSeconds) * time.Second).Do(req)
	at := &Attempt{At: s.now(), LatencyMS: int(time.Since(ts).Milliseconds())}
	if err != nil {
		at.Error = err.Error()
		return s.failed(ctx, d, t, at)
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, ResponseLogBytes))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	at.StatusCode, at.Response = resp.StatusCode, strings.ToValidUTF8(string(head), "")
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		at.Error = "HTTP " + resp.Status
		return s.failed(ctx, d, t, at)
	}
	var ans struct {
		ID any `json:"id"`
	}
	if json.Unmarshal(head, &ans) == nil && ans.ID != nil {
		d.ExternalID = fmt.Sprint(ans.ID)
	}
	d.Attempts++
	d.LastError = ""
	return 0, s.finishAttempt(ctx, d, t, StateDelivered, "", at)
}

// failed logs a failed attempt and decides: retry after a backoff, or dead
// once the next try would fall beyond the horizon.
func (s *Service) failed(ctx context.Context, d *Delivery, t *Target, at *Attempt) (time.Duration, error) {
	d.Attempts++
	at.DeliveryID = d.ID
	if at.At.IsZero() {
		at.At = s.now()
	}
	d.LastError = at.Error
	wait := s.Backoff(d.Attempts)
	if at.At.Add(wait).After(d.WindowStart.Add(s.cfg.RetryHorizon)) {
		s.log.Warn("delivery dead", "delivery", d.ID, "target", t.Name, "attempts", d.Attempts, "err", at.Error)
		return 0, s.finishAttempt(ctx, d, t, StateDead, "", at)
	}
	next := at.At.Add(wait)
	d.State, d.NextAttemptAt, d.UpdatedAt = StateRetrying, &next, s.now()
	if err := s.repo.SaveAttempt(ctx, d, at); err != nil {
		return 0, err
	}
	s.metrics.deliveries.WithLabelValues(t.Name, "failed_attempt").Inc()
	return wait, fmt.Errorf("distribution: deliver %s to %s: %s: %w", d.ID, t.Name, at.Error, ErrRetryLater)
}
