package story

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/textvi"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// SectionInput creates or changes a section; nil fields keep their value
// (on create: defaults of 1 level and DefaultLevelRoles).
type SectionInput struct {
	Name           *string        `json:"name"`
	Slug           *string        `json:"slug"`
	ApprovalLevels *int           `json:"approval_levels"`
	LevelRoles     *[][]user.Role `json:"level_roles"`
}

func (s *Service) applySection(sec *Section, in SectionInput) error {
	if in.Name != nil {
		n := textvi.Clean(*in.Name)
		if n == "" || utf8.RuneCountInString(n) > 100 {
			return apperr.InvalidField("name", "story.section_name_length")
		}
		sec.Name = n
		if in.Slug == nil && sec.Slug == "" {
			sec.Slug = textvi.Slugify(n)
		}
	}
	if in.Slug != nil {
		sl := strings.TrimSpace(*in.Slug)
		if sl != textvi.Slugify(sl) || sl == "" {
			return apperr.InvalidField("slug", "story.section_slug_malformed", textvi.Slugify(sl))
		}
		sec.Slug = sl
	}
	if in.ApprovalLevels != nil {
		if *in.ApprovalLevels < 1 || *in.ApprovalLevels > 3 {
			return apperr.InvalidField("approval_levels", "story.approval_levels_out_of_range")
		}
		sec.ApprovalLevels = *in.ApprovalLevels
	}
	if in.LevelRoles != nil {
		lr := *in.LevelRoles
		if len(lr) < 1 || len(lr) > 3 {
			return apperr.InvalidField("level_roles", "story.level_roles_count")
		}
		for i, roles := range lr {
			if len(roles) == 0 {
				return apperr.InvalidField("level_roles", "story.level_needs_role", i+1)
			}
			for _, r := range roles {
				if !r.IsEditorial() {
					return apperr.InvalidField("level_roles", "story.role_may_not_sign", r)
				}
			}
		}
		sec.LevelRoles = lr
	}
	// Keep a role list for every level in use.
	for len(sec.LevelRoles) < sec.ApprovalLevels {
		sec.LevelRoles = append(sec.LevelRoles, slices.Clone(DefaultLevelRoles[len(sec.LevelRoles)]))
	}
	return nil
}

// CreateSection adds a desk (admin only).
func (s *Service) CreateSection(ctx context.Context, a user.Actor, in SectionInput) (*Section, error) {
	if a.Role != user.RoleAdmin && !a.IsSystem() {
		return nil, apperr.Forbidden("story.create_section_forbidden")
	}
	if in.Name == nil {
		return nil, apperr.InvalidField("name", "story.section_name_required")
	}
	now := s.now()
	sec := &Section{ID: uuid.NewString(), ApprovalLevels: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.applySection(sec, in); err != nil {
		return nil, err
	}
	if sec.Slug == "" {
		return nil, apperr.InvalidField("name", "story.section_name_needs_letters")
	}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.checkSectionSlug(ctx, sec); err != nil {
			return err
		}
		if err := s.repo.CreateSection(ctx, sec); err != nil {
			return err
		}
		return s.record(ctx, a, "section.create", "section", sec.ID, 0, 0, map[string]any{"name": sec.Name, "approval_levels": sec.ApprovalLevels})
	})
	if err != nil {
		return nil, err
	}
	return sec, nil
}

func (s *Service) checkSectionSlug(ctx context.Context, sec *Section) error {
	all, err := s.repo.FindSections(ctx)
	if err != nil {
		return err
	}
	for _, o := range all {
		if o.ID != sec.ID && o.Slug == sec.Slug {
			return apperr.Conflict("story.section_slug_taken", sec.Slug, o.Name).WithDetails(map[string]any{"field": "slug"})
		}
	}
	return nil
}

// UpdateSection changes a desk's name or approval rule (admin only). Stories
// already approved keep their signatures; stories in edit follow the new rule.
func (s *Service) UpdateSection(ctx context.Context, a user.Actor, id string, in SectionInput) (*Section, error) {
	if a.Role != user.RoleAdmin {
		return nil, apperr.Forbidden("story.change_section_forbidden")
	}
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.InvalidField("id", "story.section_id_not_uuid")
	}
	var out *Section
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		sec, err := s.repo.FindSectionByID(ctx, id)
		if err != nil {
			return err
		}
		if err := s.applySection(sec, in); err != nil {
			return err
		}
		if err := s.checkSectionSlug(ctx, sec); err != nil {
			return err
		}
		sec.UpdatedAt = s.now()
		if err := s.repo.UpdateSection(ctx, sec); err != nil {
			return err
		}
		out = sec
		return s.record(ctx, a, "section.update", "section", sec.ID, 0, 0, map[string]any{"name": sec.Name, "approval_levels": sec.ApprovalLevels, "level_roles": sec.LevelRoles})
	})
	return out, err
}

// FindSections lists every section.
func (s *Service) FindSections(ctx context.Context) ([]Section, error) {
	return s.repo.FindSections(ctx)
}

// FindSectionByID returns one section.
func (r *Reader) FindSectionByID(ctx context.Context, id string) (*Section, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.InvalidField("id", "story.section_id_not_uuid")
	}
	return r.repo.FindSectionByID(ctx, id)
}
