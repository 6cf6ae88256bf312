package store

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

type sectionRow struct {
	ID             string `gorm:"primaryKey"`
	Name           string
	Slug           string
	ApprovalLevels int
	LevelRoles     jsonCol[[][]user.Role]
	CreatedAt      dbTime `gorm:"autoCreateTime:false"`
	UpdatedAt      dbTime `gorm:"autoUpdateTime:false"`
}

func (sectionRow) TableName() string { return "sections" }

func sectionToRow(s *story.Section) sectionRow {
	lr := list(s.LevelRoles)
	for i := range lr {
		lr[i] = list(lr[i])
	}
	return sectionRow{ID: s.ID, Name: s.Name, Slug: s.Slug, ApprovalLevels: s.ApprovalLevels,
		LevelRoles: jsonCol[[][]user.Role]{V: lr}, CreatedAt: toDB(s.CreatedAt), UpdatedAt: toDB(s.UpdatedAt)}
}

func (r sectionRow) toDomain() story.Section {
	return story.Section{ID: r.ID, Name: r.Name, Slug: r.Slug, ApprovalLevels: r.ApprovalLevels,
		LevelRoles: list(r.LevelRoles.V), CreatedAt: r.CreatedAt.T, UpdatedAt: r.UpdatedAt.T}
}

// CreateSection inserts a desk; a taken slug is Conflict.
func (r *storyRepo) CreateSection(ctx context.Context, s *story.Section) error {
	s.CreatedAt, s.UpdatedAt = norm(s.CreatedAt), norm(s.UpdatedAt)
	row := sectionToRow(s)
	return wrap(r.db.conn(ctx).Create(&row).Error, "create section "+s.Slug)
}

// UpdateSection writes every field but id and created_at; a missing section is NotFound.
func (r *storyRepo) UpdateSection(ctx context.Context, s *story.Section) error {
	s.CreatedAt, s.UpdatedAt = norm(s.CreatedAt), norm(s.UpdatedAt)
	row := sectionToRow(s)
	res := r.db.conn(ctx).Model(&sectionRow{}).Where("id = ?", s.ID).Select("*").Omit("id", "created_at").Updates(&row)
	return touchedOne(res, "update section "+s.ID, "update section "+s.ID)
}

// FindSectionByID returns the section or NotFound.
func (r *storyRepo) FindSectionByID(ctx context.Context, id string) (*story.Section, error) {
	return findFirst[story.Section, sectionRow](r.db.conn(ctx).Where("id = ?", id), "find section "+id, "find section "+id)
}

// FindSections lists every section by name, ignoring (ASCII) case.
func (r *storyRepo) FindSections(ctx context.Context) ([]story.Section, error) {
	return findAll[story.Section, sectionRow](r.db.conn(ctx).Order("lower(name), id"), "find sections")
}
