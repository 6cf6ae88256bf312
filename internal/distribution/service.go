package distribution

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/txn"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Limits on targets.
const (
	MaxTargetName  = 200
	MaxFilterItems = 50
	MaxSecretBytes = 1024
	// ResponseLogBytes is how much of a receiver's answer an attempt keeps.
	ResponseLogBytes = 1024
)

// Config tunes the service.
type Config struct {
	// SecretKey seals target secrets; nil refuses targets with secrets.
	SecretKey *Sealer
	// RetryHorizon is how long a failing delivery is retried before it is
	// dead (default 24 h).
	RetryHorizon time.Duration
	// RetryBase is the first backoff; each retry doubles it, up to RetryMax,
	// with jitter (defaults 5 s and 1 h).
	RetryBase, RetryMax time.Duration
	// AllowHosts are the hosts (or host:port) the SSRF guard lets through.
	AllowHosts []string
	// OnWeb runs when the web channel receives a transition (drop the
	// public site's caches in this process).
	OnWeb func()
	// Logger receives delivery failures.
	Logger *slog.Logger
	// ZaloVerifyTimeout bounds how long one attempt at a Zalo delivery polls
	// the verify call after create or update (distribution.zalo_verify_timeout,
	// default 60 s); still processing then, the delivery is retried later
	// from the verify step with the same token.
	ZaloVerifyTimeout time.Duration
	// ZaloVerifyInterval is the first wait between two verify calls; it
	// doubles up to 10 s (default 1 s).
	ZaloVerifyInterval time.Duration
}

// Service is the distribution use cases.
type Service struct {
	repo     Repository
	stories  Stories
	audit    audit.Repository
	tx       txn.Runner
	render   Renderer
	cfg      Config
	guard    *Guard
	now      func() time.Time
	metrics  *Metrics
	log      *slog.Logger
	mu       sync.Mutex
	sems     map[string]chan struct{}
	clients  map[time.Duration]*http.Client
	enqueuer Enqueuer
	renders  renderCache
}

// NewService wires the service. SetEnqueuer must be called before Retry.
func NewService(repo Repository, stories Stories, auditRepo audit.Repository, tx txn.Runner, render Renderer, cfg Config) *Service {
	if cfg.RetryHorizon <= 0 {
		cfg.RetryHorizon = 24 * time.Hour
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = 5 * time.Second
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = time.Hour
	}
	if cfg.ZaloVerifyTimeout <= 0 {
		cfg.ZaloVerifyTimeout = time.Minute
	}
	if cfg.ZaloVerifyInterval <= 0 {
		cfg.ZaloVerifyInterval = time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Service{repo: repo, stories: stories, audit: auditRepo, tx: tx, render: render, cfg: cfg,
		guard: NewGuard(cfg.AllowHosts), now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		metrics: NewMetrics(), log: log, sems: map[string]chan struct{}{}, clients: map[time.Duration]*http.Client{}}
}

// SetEnqueuer sets who enqueues manual redeliveries (the jobs client, which
// itself needs this service: hence a setter).
func (s *Service) SetEnqueuer(e Enqueuer) { s.enqueuer = e }

// Metrics returns the service's Prometheus collectors.
func (s *Service) Metrics() *Metrics { return s.metrics }

// Guard returns the SSRF guard the service dials through.
func (s *Service) Guard() *Guard { return s.guard }

func canManage(a user.Actor) bool { return a.Role == user.RoleAdmin || a.IsSystem() }

// CanRedeliver reports whether the actor may send a delivery again
// (managing editors, editors-in-chief, admins): the desk shows the button
// only to them, and Retry refuses the others.
func CanRedeliver(a user.Actor) bool {
	return canManage(a) || a.Role == user.RoleManagingEditor || a.Role == user.RoleEditorInChief
}

func (s *Service) record(ctx context.Context, a user.Actor, action, id string, details map[string]any) error {
	e := audit.New(a, action, "distribution_target", id)
	e.At = s.now()
	e.Details = details
	return s.audit.RecordEvent(ctx, e)
}

func cleanList(field string, in []string, valid func(string) bool) ([]string, error) {
	if len(in) > MaxFilterItems {
		return nil, apperr.InvalidField(field, "Tối đa %d giá trị (at most %d values)", MaxFilterItems, MaxFilterItems)
	}
	out := []string{}
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v == "" || utf8.RuneCountInString(v) > 200 {
			return nil, apperr.InvalidField(field, "Giá trị rỗng hoặc dài quá 200 ký tự (empty or longer than 200 characters)")
		}
		if valid != nil && !valid(v) {
			return nil, apperr.InvalidField(field, "Giá trị %q không hợp lệ (invalid value)", v)
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// checkURL validates an outbound URL; an IP literal is checked against the
// guard at once so the admin hears about it now (names are checked at dial).
func (s *Service) checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return apperr.InvalidField("url", "Địa chỉ %q phải là URL http:// hoặc https:// đầy đủ (url must be an absolute http(s) URL)", raw)
	}
	if u.User != nil {
		return apperr.InvalidField("url", "Không đặt tên đăng nhập/mật khẩu trong URL; dùng secret (no credentials in the URL; use secret)")
	}
	if len(raw) > 2000 {
		return apperr.InvalidField("url", "URL dài quá 2000 ký tự (url too long)")
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil {
		if why := Forbidden(ip); why != "" && !s.guard.allowed(ip.Unmap().String(), port) {
			return apperr.InvalidField("url", "Địa chỉ %s là địa chỉ nội bộ (%s), bị chặn để chống SSRF; thêm vào distribution.allow_hosts nếu thật sự cần (internal address refused by the SSRF guard)", u.Host, why)
		}
	}
	return nil
}

func (s *Service) apply(t *Target, in TargetInput, creating bool) error {
	if in.Name != nil {
		t.Name = strings.TrimSpace(*in.Name)
	}
	if creating || in.Name != nil {
		if t.Name == "" || utf8.RuneCountInString(t.Name) > MaxTargetName {
			return apperr.InvalidField("name", "Tên đích phân phối bắt buộc, tối đa %d ký tự (name is required, at most %d characters)", MaxTargetName, MaxTargetName)
		}
	}
	if in.Kind != nil {
		if !creating && Kind(*in.Kind) != t.Kind {
			return apperr.InvalidField("kind", "Không đổi được loại đích; hãy tạo đích mới (kind cannot change; create a new target)")
		}
		t.Kind = Kind(*in.Kind)
	}
	if !slices.Contains(Kinds, t.Kind) {
		return apperr.InvalidField("kind", "Loại đích %q không hợp lệ (kind must be one of %v)", t.Kind, Kinds)
	}
	if in.URL != nil {
		t.URL = strings.TrimSpace(*in.URL)
	}
	if t.Kind == KindZalo && t.URL == "" {
		t.URL = DefaultZaloURL
	}
	if t.Kind != KindRSS || t.URL != "" {
		if err := s.checkURL(t.URL); err != nil {
			return err
		}
	}
	if in.Format != nil {
		t.Format = Format(*in.Format)
	}
	if t.Kind == KindRSS {
		if t.Format == "" || (creating && in.Format == nil) {
			t.Format = FormatSummary
		}
		if t.Format != FormatSummary && t.Format != FormatFull {
			return apperr.InvalidField("format", "Định dạng %q không hợp lệ cho đích rss (format of an rss target must be summary or full)", t.Format)
		}
	} else {
		if t.Format == "" {
			t.Format = FormatNinjs
		}
		if t.Format != FormatNinjs && t.Format != FormatCompact {
			return apperr.InvalidField("format", "Định dạng %q không hợp lệ (format must be ninjs or compact)", t.Format)
		}
	}
	var err error
	if in.Sections != nil {
		if t.Sections, err = cleanList("sections", *in.Sections, nil); err != nil {
			return err
		}
	}
	if in.Channels != nil {
		if t.Channels, err = cleanList("channels", *in.Channels, func(v string) bool { return slices.Contains(story.Channels, story.Channel(v)) }); err != nil {
			return err
		}
	}
	if in.Tags != nil {
		if t.Tags, err = cleanList("tags", *in.Tags, nil); err != nil {
			return err
		}
	}
	if in.Active != nil {
		t.Active = *in.Active
	}
	if in.TimeoutSeconds != nil {
		t.TimeoutSeconds = *in.TimeoutSeconds
	}
	if t.TimeoutSeconds < 1 || t.TimeoutSeconds > 120 {
		return apperr.InvalidField("timeout_seconds", "timeout_seconds phải từ 1 đến 120 (must be 1..120)")
	}
	if in.MaxConcurrency != nil {
		t.MaxConcurrency = *in.MaxConcurrency
	}
	if t.MaxConcurrency < 1 || t.MaxConcurrency > 64 {
		return apperr.InvalidField("max_concurrency", "max_concurrency phải từ 1 đến 64 (must be 1..64)")
	}
	if in.Secret != nil {
		sec := *in.Secret
		switch {
		case sec == "":
			t.SecretEnc = ""
		case len(sec) > MaxSecretBytes:
			return apperr.InvalidField("secret", "secret dài quá %d byte (secret too long)", MaxSecretBytes)
		case s.cfg.SecretKey == nil:
			return apperr.InvalidField("secret", "Máy chủ chưa có khóa mã hóa distribution.secret_key (NEWSROOM_DISTRIBUTION_SECRET_KEY) nên không thể lưu secret; nhờ quản trị hệ thống đặt khóa (no encryption key is configured, so the secret cannot be stored: set distribution.secret_key)")
		default:
			enc, err := s.cfg.SecretKey.Seal(sec)
			if err != nil {
				return err
			}
			t.SecretEnc = enc
		}
	}
	t.HasSecret = t.SecretEnc != ""
	if t.Kind == KindZalo && !t.HasSecret {
		return apperr.InvalidField("secret", "Đích Zalo cần access token của Official Account trong secret (a zalo target needs the OA access token as its secret)")
	}
	return nil
}

// CreateTarget adds a target (admin).
func (s *Service) CreateTarget(ctx context.Context, a user.Actor, in TargetInput) (*Target, error) {
	if !canManage(a) {
		return nil, apperr.Forbidden("Chỉ quản trị viên quản lý đích phân phối (only admins manage distribution targets)")
	}
	now := s.now()
	t := &Target{ID: uuid.NewString(), Format: FormatNinjs, Active: true, TimeoutSeconds: 10, MaxConcurrency: 4,
		Sections: []string{}, Channels: []string{}, Tags: []string{}, CreatedAt: now, UpdatedAt: now}
	if in.Kind == nil {
		return nil, apperr.InvalidField("kind", "Cần loại đích kind (kind is required: one of %v)", Kinds)
	}
	if err := s.apply(t, in, true); err != nil {
		return nil, err
	}
	token := ""
	if t.Kind == KindRSS {
		var err error
		if token, err = newFeedToken(); err != nil {
			return nil, err
		}
		t.FeedTokenHash = HashFeedToken(token)
	}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.CreateTarget(ctx, t); err != nil {
			return err
		}
		return s.record(ctx, a, "distribution.target.create", t.ID, map[string]any{"name": t.Name, "kind": t.Kind, "url": t.URL})
	})
	if err != nil {
		return nil, fmt.Errorf("distribution: create target: %w", err)
	}
	t.FeedToken = token
	return withFeedURL(t), nil
}

// UpdateTarget changes a target (admin).
func (s *Service) UpdateTarget(ctx context.Context, a user.Actor, id string, in TargetInput) (*Target, error) {
	if !canManage(a) {
		return nil, apperr.Forbidden("Chỉ quản trị viên quản lý đích phân phối (only admins manage distribution targets)")
	}
	var out *Target
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		t, err := s.repo.FindTargetByID(ctx, id)
		if err != nil {
			return err
		}
		if err := s.apply(t, in, false); err != nil {
			return err
		}
		t.UpdatedAt = s.now()
		if err := s.repo.UpdateTarget(ctx, t); err != nil {
			return err
		}
		out = t
		return s.record(ctx, a, "distribution.target.update", t.ID, map[string]any{"name": t.Name, "active": t.Active})
	})
	if err != nil {
		return nil, fmt.Errorf("distribution: update target %s: %w", id, err)
	}
	return withFeedURL(out), nil
}

// DeleteTarget removes a target (admin); its past deliveries stay.
func (s *Service) DeleteTarget(ctx context.Context, a user.Actor, id string) error {
	if !canManage(a) {
		return apperr.Forbidden("Chỉ quản trị viên quản lý đích phân phối (only admins manage distribution targets)")
	}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.DeleteTarget(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, a, "distribution.target.delete", id, nil)
	})
	if err != nil {
		return fmt.Errorf("distribution: delete target %s: %w", id, err)
	}
	return nil
}

// FindTargets lists the targets (admin).
func (s *Service) FindTargets(ctx context.Context, a user.Actor) ([]Target, error) {
	if !canManage(a) {
		return nil, apperr.Forbidden("Chỉ quản trị viên quản lý đích phân phối (only admins manage distribution targets)")
	}
	ts, err := s.repo.FindTargets(ctx)
	for i := range ts {
		withFeedURL(&ts[i])
	}
	return ts, err
}

// FindTargetByID returns a target (admin).
func (s *Service) FindTargetByID(ctx context.Context, a user.Actor, id string) (*Target, error) {
	if !canManage(a) {
		return nil, apperr.Forbidden("Chỉ quản trị viên quản lý đích phân phối (only admins manage distribution targets)")
	}
	t, err := s.repo.FindTargetByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return withFeedURL(t), nil
}

// PlanDeliveries records, in the transaction of ctx, one delivery per
// channel of the story and one per active target that wants it. An rss
// target's delivery makes no outbound call: it records that the pull feed
// serves the revision (see deliverRSS), so the story's distribution lists
// every target it went to. The jobs package calls it from the
// transition hook and enqueues one job per delivery in the same transaction.
func (s *Service) PlanDeliveries(ctx context.Context, st *story.Story, action workflow.Action) ([]Planned, error) {
	now := s.now()
	var ds []*Delivery
	mk := func(targetID, channel string) {
		id := uuid.NewString()
		ds = append(ds, &Delivery{ID: id, StoryID: st.ID, StoryVersion: st.Version, Action: action, TargetID: targetID, Channel: channel,
			State: StatePending, IdempotencyKey: "msg_" + strings.ReplaceAll(id, "-", ""), TransitionAt: now, WindowStart: now,
			CreatedAt: now, UpdatedAt: now})
	}
	for _, ch := range st.Channels {
		mk("", string(ch))
	}
	targets, err := s.repo.FindTargets(ctx)
	if err != nil {
		return nil, fmt.Errorf("distribution: plan: %w", err)
	}
	slug := ""
	for i := range targets {
		t := &targets[i]
		if !t.Active {
			continue
		}
		if len(t.Sections) > 0 && slug == "" {
			// Only a section filter needs the slug: one query per transition at most.
			if sec, err := s.stories.FindSectionByID(ctx, st.SectionID); err == nil {
				slug = sec.Slug
			}
		}
		if t.Matches(st, slug) {
			mk(t.ID, "")
		}
	}
	// One statement for all of them: the transition's transaction is on the
	// publishing desk's critical path.
	if err := s.repo.CreateDeliveries(ctx, ds); err != nil {
		return nil, fmt.Errorf("distribution: plan: %w", err)
	}
	out := make([]Planned, len(ds))
	for i, d := range ds {
		out[i] = Planned{ID: d.ID, Channel: d.Channel}
	}
	return out, nil
}

// StoryDistribution lists, for a story the actor may read, the latest
// delivery to each channel and target: one entry each.
func (s *Service) StoryDistribution(ctx context.Context, a user.Actor, storyID string) ([]Delivery, error) {
	if _, err := s.stories.FindStoryByID(ctx, a, storyID); err != nil {
		return nil, err
	}
	all, err := s.repo.FindDeliveriesByStory(ctx, storyID)
	if err != nil {
		return nil, err
	}
	targets, err := s.repo.FindTargets(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, t := range targets {
		names[t.ID] = t.Name
	}
	latest := map[string]int{}
	out := []Delivery{}
	for _, d := range all {
		d.TargetName = names[d.TargetID]
		key := d.TargetID + "|" + d.Channel
		if i, ok := latest[key]; ok {
			out[i] = d
			continue
		}
		latest[key] = len(out)
		out = append(out, d)
	}
	return out, nil
}

// FindAttempts lists a delivery's attempts (anyone who may read its story).
func (s *Service) FindAttempts(ctx context.Context, a user.Actor, deliveryID string) ([]Attempt, error) {
	d, err := s.repo.FindDeliveryByID(ctx, deliveryID)
	if err != nil {
		return nil, err
	}
	if _, err := s.stories.FindStoryByID(ctx, a, d.StoryID); err != nil {
		return nil, err
	}
	return s.repo.FindAttempts(ctx, deliveryID)
}

// Retry sends a dead (or delivered) delivery again, with the same
// idempotency key, and a fresh retry horizon.
func (s *Service) Retry(ctx context.Context, a user.Actor, id string) (*Delivery, error) {
	if !CanRedeliver(a) {
		return nil, apperr.Forbidden("Chỉ thư ký tòa soạn, tổng biên tập hoặc quản trị viên được gửi lại (only managing editors, editors-in-chief and admins may redeliver)")
	}
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.InvalidField("id", "Mã lượt phân phối %q không phải UUID (delivery id is not a UUID)", id)
	}
	if s.enqueuer == nil {
		return nil, apperr.Unavailable("Hàng đợi chưa sẵn sàng (the job queue is not available)")
	}
	var out *Delivery
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		d, err := s.repo.FindDeliveryByID(ctx, id)
		if err != nil {
			return err
		}
		if d.State != StateDead && d.State != StateDelivered {
			return apperr.Conflict("Lượt phân phối đang ở trạng thái %s, vẫn đang được gửi (the delivery is %s and still being attempted)", d.State, d.State).
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
		e := audit.New(a, "distribution.delivery.retry", "story", d.StoryID)
		e.At, e.Details = now, map[string]any{"delivery_id": d.ID, "target_id": d.TargetID, "channel": d.Channel}
		out = d
		return s.audit.RecordEvent(ctx, e)
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
	if d.Channel == string(story.ChannelWeb) && s.cfg.OnWeb != nil {
		s.cfg.OnWeb()
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
