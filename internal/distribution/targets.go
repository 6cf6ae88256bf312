package distribution

import (
	"context"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

func cleanList(field string, in []string, valid func(string) bool) ([]string, error) {
	if len(in) > MaxFilterItems {
		return nil, apperr.InvalidField(field, "distribution.too_many_values", MaxFilterItems)
	}
	out := []string{}
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v == "" || utf8.RuneCountInString(v) > 200 {
			return nil, apperr.InvalidField(field, "distribution.value_length")
		}
		if valid != nil && !valid(v) {
			return nil, apperr.InvalidField(field, "distribution.invalid_value", v)
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
		return apperr.InvalidField("url", "distribution.url_not_absolute", raw)
	}
	if u.User != nil {
		return apperr.InvalidField("url", "distribution.url_has_credentials")
	}
	if len(raw) > 2000 {
		return apperr.InvalidField("url", "distribution.url_too_long")
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil {
		if why := Forbidden(ip); why != "" && !s.guard.allowed(ip.Unmap().String(), port) {
			return apperr.InvalidField("url", "distribution.url_internal_address", u.Host, why)
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
			return apperr.InvalidField("name", "distribution.name_length", MaxTargetName)
		}
	}
	if in.Kind != nil {
		if !creating && Kind(*in.Kind) != t.Kind {
			return apperr.InvalidField("kind", "distribution.kind_immutable")
		}
		t.Kind = Kind(*in.Kind)
	}
	if !slices.Contains(Kinds, t.Kind) {
		return apperr.InvalidField("kind", "distribution.unknown_kind", t.Kind, Kinds)
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
			return apperr.InvalidField("format", "distribution.rss_format_invalid", t.Format)
		}
	} else {
		if t.Format == "" {
			t.Format = FormatNinjs
		}
		if t.Format != FormatNinjs && t.Format != FormatCompact {
			return apperr.InvalidField("format", "distribution.format_invalid", t.Format)
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
		return apperr.InvalidField("timeout_seconds", "distribution.timeout_out_of_range")
	}
	if in.MaxConcurrency != nil {
		t.MaxConcurrency = *in.MaxConcurrency
	}
	if t.MaxConcurrency < 1 || t.MaxConcurrency > 64 {
		return apperr.InvalidField("max_concurrency", "distribution.concurrency_out_of_range")
	}
	if in.Secret != nil {
		sec := *in.Secret
		switch {
		case sec == "":
			t.SecretEnc = ""
		case len(sec) > MaxSecretBytes:
			return apperr.InvalidField("secret", "distribution.secret_too_long", MaxSecretBytes)
		case s.cfg.SecretKey == nil:
			return apperr.InvalidField("secret", "distribution.no_secret_key")
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
		return apperr.InvalidField("secret", "distribution.zalo_secret_required")
	}
	return nil
}

// CreateTarget adds a target (admin).
func (s *Service) CreateTarget(ctx context.Context, a user.Actor, in TargetInput) (*Target, error) {
	if !canManage(a) {
		return nil, apperr.Forbidden("distribution.targets_admin_only")
	}
	now := s.now()
	t := &Target{ID: uuid.NewString(), Format: FormatNinjs, Active: true, TimeoutSeconds: 10, MaxConcurrency: 4,
		Sections: []string{}, Channels: []string{}, Tags: []string{}, CreatedAt: now, UpdatedAt: now}
	if in.Kind == nil {
		return nil, apperr.InvalidField("kind", "distribution.kind_required_one", Kinds)
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
		return nil, apperr.Forbidden("distribution.targets_admin_only")
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
		return apperr.Forbidden("distribution.targets_admin_only")
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
		return nil, apperr.Forbidden("distribution.targets_admin_only")
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
		return nil, apperr.Forbidden("distribution.targets_admin_only")
	}
	t, err := s.repo.FindTargetByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return withFeedURL(t), nil
}
