package story

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/textvi"
)

// assignSlug gives st a slug from its headline, unique in its section, and
// records it; old slugs stay recorded so old URLs can redirect.
func (s *Service) assignSlug(ctx context.Context, st *Story) error {
	slug, isNew, err := s.pickSlug(ctx, st)
	if err != nil {
		return err
	}
	st.Slug = slug
	if isNew {
		return s.repo.AddSlug(ctx, st.ID, st.SectionID, slug, s.now())
	}
	return nil
}

// pickSlug finds the first free slug for the headline in the story's section;
// isNew is false when the story already holds it.
func (s *Service) pickSlug(ctx context.Context, st *Story) (slug string, isNew bool, err error) {
	base := textvi.Slugify(st.Headline)
	if base == "" {
		base = "bai-viet"
	}
	// The last resort is made unique by the story's id.
	cands := append(textvi.SlugCandidates(base, 49), base+"-"+st.ID[:8])
	for _, cand := range cands {
		owner, err := s.repo.SlugOwner(ctx, st.SectionID, cand)
		if err != nil {
			return "", false, err
		}
		if owner == "" || owner == st.ID {
			return cand, owner == "", nil
		}
	}
	return "", false, apperr.Conflict("story.no_free_slug")
}
