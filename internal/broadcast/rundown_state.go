package broadcast

import (
	"context"
	"slices"
	"strings"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// placeableStates are the story states whose channel versions may go on air.
var placeableStates = []workflow.State{workflow.Approved, workflow.Scheduled, workflow.Published}

func canMove(from, to State) bool { return slices.Contains(transitions[from], to) }

// ParseState validates a rundown state name.
func ParseState(s string) (State, bool) {
	st := State(s)
	return st, slices.Contains(States, st)
}

// TransitionRundown moves a rundown to another state (planned → ready →
// on_air → done; ready → planned to rework it). Going ready or on air is
// refused while a placed story is killed, unapproved or without its version.
func (s *Service) TransitionRundown(ctx context.Context, a user.Actor, id, to string, ifVersion int) (*RundownView, error) {
	target, ok := ParseState(to)
	if !ok {
		return nil, apperr.InvalidField("to", "broadcast.unknown_state", to)
	}
	return s.change(ctx, a, id, ifVersion, false, "transition."+string(target), func(ctx context.Context, r *Rundown, p *Programme) (map[string]any, error) {
		if !canMove(r.State, target) {
			return nil, apperr.Conflict("broadcast.rundown_transition_impossible", apperr.ByLang(r.State.Label(), r.State), apperr.ByLang(target.Label(), target)).
				WithDetails(map[string]any{"state": r.State, "allowed": transitions[r.State]})
		}
		if target == Ready || target == OnAir {
			v, err := s.view(ctx, r, p)
			if err != nil {
				return nil, err
			}
			var bad []string
			for _, it := range v.Items {
				if it.Flag == FlagKilled || it.Flag == FlagNotApproved || it.Flag == FlagNoVersion || it.Flag == FlagMissing {
					bad = append(bad, it.Title)
				}
			}
			if len(bad) > 0 {
				return nil, apperr.Conflict("broadcast.rundown_holds_unairable_stories", strings.Join(bad, "; ")).WithDetails(map[string]any{"titles": bad})
			}
		}
		d := map[string]any{"from": r.State, "to": target}
		r.State = target
		return d, nil
	})
}
