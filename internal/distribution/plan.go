package distribution

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

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
// delivery to each channel and target: one entry each, as the actor may
// see them (ViewFor: without errors and receivers' ids for those who may
// not redeliver).
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
	return ViewFor(a, out), nil
}

// FindAttempts lists a delivery's attempts, for those who see delivery
// detail (SeesDeliveryDetail) and may read its story; the others are
// refused before the delivery is looked up, so the refusal says nothing of
// whether it exists.
func (s *Service) FindAttempts(ctx context.Context, a user.Actor, deliveryID string) ([]Attempt, error) {
	if !SeesDeliveryDetail(a) {
		return nil, errAttemptsForbidden()
	}
	d, err := s.repo.FindDeliveryByID(ctx, deliveryID)
	if err != nil {
		return nil, err
	}
	if _, err := s.stories.FindStoryByID(ctx, a, d.StoryID); err != nil {
		return nil, err
	}
	return s.repo.FindAttempts(ctx, deliveryID)
}
