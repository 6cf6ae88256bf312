package broadcast

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/textvi"
	"github.com/newsroom-vn/newsroom/internal/txn"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// Service is the programme and rundown use cases; each change opens one
// transaction covering the change and its audit event.
type Service struct {
	repo    Repository
	stories Stories
	audit   audit.Repository
	tx      txn.Runner
	now     func() time.Time
	// listeners hear every committed change to a rundown (MOS running-order
	// sync, live prompters); see RundownListener.
	listeners RundownListeners
	// assets finds the assets behind recording_asset_id and the podcast
	// pages' audio and cover art; nil: recordings cannot be attached and
	// episodes have no audio.
	assets Assets
}

// Assets finds assets by id (asset.Repository implements it).
type Assets interface {
	FindAssetByID(ctx context.Context, id string) (*asset.Asset, error)
}

// Deps are what the service works with besides its repository.
type Deps struct {
	// Stories is read as it is now (story.Repository).
	Stories Stories
	Audit   audit.Repository
	Tx      txn.Runner
	// Assets (asset.Repository) finds recordings, podcast audio and cover
	// art; nil leaves them out.
	Assets Assets
	// Listeners hear every committed rundown change, in order.
	Listeners RundownListeners
}

// NewService wires the service.
func NewService(repo Repository, d Deps) *Service {
	// After-commit listeners need the wrapper; wrapping twice is harmless (nested joins).
	return &Service{repo: repo, stories: d.Stories, audit: d.Audit, tx: txn.WithAfterCommit(d.Tx), assets: d.Assets,
		listeners: d.Listeners, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// SetClock replaces the clock (tests).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

func (s *Service) record(ctx context.Context, a user.Actor, action, typ, id string, before, after int, details map[string]any) error {
	return audit.Record(ctx, s.audit, a, audit.Event{At: s.now(), Action: action, TargetType: typ, TargetID: id,
		BeforeVersion: before, AfterVersion: after, Details: details})
}

// changed tells the rundown listeners, in ctx's transaction, that the
// rundown changed: in-transaction ones can still abort the change,
// after-commit ones hear it once it is visible.
func (s *Service) changed(ctx context.Context, id string) error {
	return s.listeners.Emit(ctx, "rundown.changed", func(ctx context.Context, l RundownListener) error {
		return l.RundownChanged(context.WithoutCancel(ctx), id)
	})
}

// ProgrammeInput creates or changes a programme; nil fields are left as they are.
type ProgrammeInput struct {
	Name           *string   `json:"name"`
	Slug           *string   `json:"slug"`
	Channel        *string   `json:"channel"`
	Schedule       *Schedule `json:"schedule"`
	PlannedSeconds *int      `json:"planned_seconds"`
	Description    *string   `json:"description"`
	Podcast        *Podcast  `json:"podcast"`
}

func (in ProgrammeInput) isEmpty() bool {
	return in.Name == nil && in.Slug == nil && in.Channel == nil && in.Schedule == nil && in.PlannedSeconds == nil &&
		in.Description == nil && in.Podcast == nil
}

// checkSeconds refuses a duration that is negative or longer than a day.
func checkSeconds(field string, n, min int) error {
	if n < min || n > MaxSeconds {
		return apperr.InvalidField(field, "broadcast.seconds_out_of_range", field, min, MaxSeconds, n)
	}
	return nil
}

// checkText cleans a multi-line text and checks its length.
func checkText(field, v string, max int) (string, error) {
	v = strings.TrimSpace(textvi.NFC(strings.ReplaceAll(v, "\r\n", "\n")))
	if n := utf8.RuneCountInString(v); n > max {
		return "", apperr.InvalidField(field, "broadcast.field_too_long", field, n, max)
	}
	return v, nil
}

// checkLine cleans a single-line text and checks its length.
func checkLine(field, v string, max int) (string, error) {
	v = textvi.Clean(v)
	if n := utf8.RuneCountInString(v); n > max {
		return "", apperr.InvalidField(field, "broadcast.field_too_long", field, n, max)
	}
	return v, nil
}

// parseChannel accepts the broadcast channels.
func parseChannel(v string) (story.Channel, error) {
	switch ch := story.Channel(v); ch {
	case story.ChannelRadio, story.ChannelTV:
		return ch, nil
	}
	return "", apperr.InvalidField("channel", "broadcast.unknown_channel", v)
}

// checkSchedule validates and normalises a schedule.
func checkSchedule(sc Schedule) (Schedule, error) {
	days := []Weekday{}
	for _, d := range sc.Days {
		d = Weekday(strings.ToLower(strings.TrimSpace(string(d))))
		if !slices.Contains(Weekdays, d) {
			return sc, apperr.InvalidField("schedule.days", "broadcast.unknown_day", d)
		}
		if !slices.Contains(days, d) {
			days = append(days, d)
		}
	}
	slices.SortFunc(days, func(a, b Weekday) int { return slices.Index(Weekdays, a) - slices.Index(Weekdays, b) })
	start := strings.TrimSpace(sc.Start)
	if start == "" && len(days) > 0 {
		return sc, apperr.InvalidField("schedule.start", "broadcast.schedule_start_required")
	}
	if start != "" {
		if _, err := time.Parse("15:04", start); err != nil || len(start) != 5 {
			return sc, apperr.InvalidField("schedule.start", "broadcast.schedule_start_malformed", sc.Start)
		}
	}
	return Schedule{Days: days, Start: start}, nil
}

// checkPodcast validates the podcast fields.
func checkPodcast(p Podcast) (Podcast, error) {
	var err error
	if p.Author, err = checkLine("podcast.author", p.Author, MaxName); err != nil {
		return p, err
	}
	if p.Category, err = checkLine("podcast.category", p.Category, MaxName); err != nil {
		return p, err
	}
	p.OwnerEmail = strings.TrimSpace(p.OwnerEmail)
	if p.OwnerEmail != "" {
		addr, perr := mail.ParseAddress(p.OwnerEmail)
		if perr != nil || addr.Address != p.OwnerEmail {
			return p, apperr.InvalidField("podcast.owner_email", "broadcast.owner_email_invalid", p.OwnerEmail)
		}
	}
	p.ImageAssetID = strings.TrimSpace(p.ImageAssetID)
	if p.ImageAssetID != "" {
		if _, perr := uuid.Parse(p.ImageAssetID); perr != nil || len(p.ImageAssetID) != 36 {
			return p, apperr.InvalidField("podcast.image_asset_id", "broadcast.podcast_image_id_not_uuid")
		}
	}
	return p, nil
}

// applyProgramme validates in onto p.
func applyProgramme(p *Programme, in ProgrammeInput) error {
	var err error
	if in.Name != nil {
		if p.Name, err = checkLine("name", *in.Name, MaxName); err != nil {
			return err
		}
		if p.Name == "" {
			return apperr.InvalidField("name", "broadcast.name_empty")
		}
	}
	if in.Slug != nil {
		v := strings.TrimSpace(*in.Slug)
		if v == "" || textvi.Slugify(v) != v {
			return apperr.InvalidField("slug", "broadcast.slug_malformed", *in.Slug)
		}
		p.Slug = v
	}
	if in.Channel != nil {
		if p.Channel, err = parseChannel(*in.Channel); err != nil {
			return err
		}
	}
	if in.Schedule != nil {
		if p.Schedule, err = checkSchedule(*in.Schedule); err != nil {
			return err
		}
	}
	if in.PlannedSeconds != nil {
		if err := checkSeconds("planned_seconds", *in.PlannedSeconds, 1); err != nil {
			return err
		}
		p.PlannedSeconds = *in.PlannedSeconds
	}
	if in.Description != nil {
		if p.Description, err = checkText("description", *in.Description, MaxDescription); err != nil {
			return err
		}
	}
	if in.Podcast != nil {
		if p.Podcast, err = checkPodcast(*in.Podcast); err != nil {
			return err
		}
	}
	return nil
}

// NextAiring returns the first scheduled airing strictly after t, in UTC;
// false when the programme has no regular slot.
func (p Programme) NextAiring(t time.Time) (time.Time, bool) {
	if len(p.Schedule.Days) == 0 || p.Schedule.Start == "" {
		return time.Time{}, false
	}
	hm, err := time.Parse("15:04", p.Schedule.Start)
	if err != nil {
		return time.Time{}, false
	}
	local := t.In(vntime.Location)
	for i := 0; i <= 7; i++ {
		d := local.AddDate(0, 0, i)
		cand := time.Date(d.Year(), d.Month(), d.Day(), hm.Hour(), hm.Minute(), 0, 0, vntime.Location)
		wd := Weekdays[(int(cand.Weekday())+6)%7]
		if cand.After(t) && slices.Contains(p.Schedule.Days, wd) {
			return cand.UTC(), true
		}
	}
	return time.Time{}, false
}

// uniqueSlug finds a free slug from base (base, base-2, ...), ignoring the programme itself.
func (s *Service) uniqueSlug(ctx context.Context, base, selfID string) (string, error) {
	if base == "" {
		base = "chuong-trinh"
	}
	for _, cand := range textvi.SlugCandidates(base, 50) {
		p, err := s.repo.FindProgrammeBySlug(ctx, cand)
		if apperr.Is(err, apperr.CodeNotFound) || (err == nil && p.ID == selfID) {
			return cand, nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", apperr.Conflict("broadcast.no_free_slug", base)
}

// CreateProgramme adds a programme. Name, channel and planned_seconds are required.
func (s *Service) CreateProgramme(ctx context.Context, a user.Actor, in ProgrammeInput) (*Programme, error) {
	if err := requireProgrammes(a); err != nil {
		return nil, err
	}
	if in.Name == nil {
		return nil, apperr.InvalidField("name", "broadcast.name_required")
	}
	if in.Channel == nil {
		return nil, apperr.InvalidField("channel", "broadcast.channel_required")
	}
	if in.PlannedSeconds == nil {
		return nil, apperr.InvalidField("planned_seconds", "broadcast.planned_seconds_required")
	}
	now := s.now()
	p := &Programme{ID: uuid.NewString(), Schedule: Schedule{Days: []Weekday{}}, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := applyProgramme(p, in); err != nil {
		return nil, err
	}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if in.Slug == nil {
			slug, err := s.uniqueSlug(ctx, textvi.Slugify(p.Name), p.ID)
			if err != nil {
				return err
			}
			p.Slug = slug
		} else if err := s.slugFree(ctx, p); err != nil {
			return err
		}
		if err := s.repo.CreateProgramme(ctx, p); err != nil {
			return err
		}
		return s.record(ctx, a, "programme.create", "programme", p.ID, 0, p.Version, map[string]any{"name": p.Name, "channel": p.Channel})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// slugFree refuses a slug another programme holds.
func (s *Service) slugFree(ctx context.Context, p *Programme) error {
	other, err := s.repo.FindProgrammeBySlug(ctx, p.Slug)
	if apperr.Is(err, apperr.CodeNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if other.ID != p.ID {
		return apperr.Conflict("broadcast.slug_taken", p.Slug, other.Name).
			WithDetails(map[string]any{"field": "slug"})
	}
	return nil
}

func checkID(field, id string, what apperr.Phrase) error {
	if u, err := uuid.Parse(id); err != nil || len(id) != 36 || u.String() != strings.ToLower(id) {
		return apperr.InvalidField(field, "broadcast.id_not_uuid", what, id)
	}
	return nil
}

// FindProgrammeByID returns a programme.
func (s *Service) FindProgrammeByID(ctx context.Context, a user.Actor, id string) (*Programme, error) {
	if err := requireRead(a); err != nil {
		return nil, err
	}
	if err := checkID("id", id, apperr.T("broadcast.noun_programme")); err != nil {
		return nil, err
	}
	return s.findProgramme(ctx, id)
}

func (s *Service) findProgramme(ctx context.Context, id string) (*Programme, error) {
	p, err := s.repo.FindProgrammeByID(ctx, id)
	if apperr.Is(err, apperr.CodeNotFound) {
		return nil, fmt.Errorf("broadcast: %w", apperr.NotFound("broadcast.programme_not_found", id))
	}
	return p, err
}

// FindProgrammeBySlug returns the programme for a public URL
// (/podcasts/{slug}.xml); programmes are public, so no actor is needed.
func (s *Service) FindProgrammeBySlug(ctx context.Context, slug string) (*Programme, error) {
	p, err := s.repo.FindProgrammeBySlug(ctx, slug)
	if apperr.Is(err, apperr.CodeNotFound) {
		return nil, fmt.Errorf("broadcast: %w", apperr.NotFound("broadcast.programme_slug_not_found", slug))
	}
	return p, err
}

// FindProgrammes lists programmes by name; channel "" lists every channel.
func (s *Service) FindProgrammes(ctx context.Context, a user.Actor, channel string) ([]Programme, error) {
	if err := requireRead(a); err != nil {
		return nil, err
	}
	var ch story.Channel
	if channel != "" {
		var err error
		if ch, err = parseChannel(channel); err != nil {
			return nil, err
		}
	}
	return s.repo.FindProgrammes(ctx, ch)
}

// UpdateProgramme changes a programme still at ifVersion. Its channel cannot
// change once it has rundowns (their stories were placed for that channel).
func (s *Service) UpdateProgramme(ctx context.Context, a user.Actor, id string, in ProgrammeInput, ifVersion int) (*Programme, error) {
	if err := requireProgrammes(a); err != nil {
		return nil, err
	}
	if err := checkID("id", id, apperr.T("broadcast.noun_programme")); err != nil {
		return nil, err
	}
	var out *Programme
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		p, err := s.findProgramme(ctx, id)
		if err != nil {
			return err
		}
		if p.Version != ifVersion {
			return staleProgramme(p)
		}
		if in.isEmpty() {
			return apperr.Invalid("broadcast.no_field_to_change")
		}
		oldChannel := p.Channel
		if err := applyProgramme(p, in); err != nil {
			return err
		}
		if p.Channel != oldChannel {
			n, err := s.repo.CountRundowns(ctx, p.ID)
			if err != nil {
				return err
			}
			if n > 0 {
				return apperr.Conflict("broadcast.channel_fixed_by_rundowns", n).
					WithDetails(map[string]any{"field": "channel"})
			}
		}
		if in.Slug != nil {
			if err := s.slugFree(ctx, p); err != nil {
				return err
			}
		}
		p.Version = ifVersion + 1
		p.UpdatedAt = s.now()
		if err := s.repo.UpdateProgramme(ctx, p, ifVersion); err != nil {
			return err
		}
		out = p
		return s.record(ctx, a, "programme.update", "programme", p.ID, ifVersion, p.Version, map[string]any{"fields": audit.ChangedFields(in)})
	})
	return out, err
}

// DeleteProgramme removes a programme without rundowns.
func (s *Service) DeleteProgramme(ctx context.Context, a user.Actor, id string, ifVersion int) error {
	if err := requireProgrammes(a); err != nil {
		return err
	}
	if err := checkID("id", id, apperr.T("broadcast.noun_programme")); err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		p, err := s.findProgramme(ctx, id)
		if err != nil {
			return err
		}
		if p.Version != ifVersion {
			return staleProgramme(p)
		}
		n, err := s.repo.CountRundowns(ctx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return apperr.Conflict("broadcast.programme_has_rundowns", p.Name, n).
				WithDetails(map[string]any{"rundowns": n})
		}
		if err := s.repo.DeleteProgramme(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, a, "programme.delete", "programme", id, p.Version, 0, map[string]any{"name": p.Name})
	})
}

func staleProgramme(p *Programme) error {
	return apperr.PreconditionFailed("broadcast.programme_changed", p.Version).
		WithDetails(map[string]any{"current_version": p.Version})
}
