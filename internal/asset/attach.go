package asset

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// ReplaceStoryAssets implements story.Attachments: it checks the references
// and makes them the story's attachments (inside the story's transaction).
func (s *Service) ReplaceStoryAssets(ctx context.Context, storyID string, refs []story.AssetRef) error {
	if len(refs) > 200 {
		return apperr.InvalidField("assets", "asset.too_many_attachments")
	}
	out := make([]Attachment, 0, len(refs))
	featured := 0
	seen := map[string]bool{}
	for i, r := range refs {
		field := fmt.Sprintf("assets[%d]", i)
		if _, err := uuid.Parse(r.AssetID); err != nil {
			return apperr.InvalidField(field+".asset_id", "asset.attachment_id_not_uuid", r.AssetID)
		}
		role := Role(r.Role)
		if !slices.Contains(Roles, role) {
			return apperr.InvalidField(field+".role", "asset.unknown_role", r.Role, Roles)
		}
		if seen[r.AssetID+"/"+r.Role] {
			return apperr.InvalidField(field, "asset.attached_twice", r.AssetID, r.Role)
		}
		seen[r.AssetID+"/"+r.Role] = true
		as, err := s.repo.FindAssetByID(ctx, r.AssetID)
		if err != nil {
			return apperr.IfNotFound(err, apperr.InvalidField(field+".asset_id", "asset.asset_does_not_exist", r.AssetID))
		}
		want := map[Role]Kind{RoleFeatured: KindImage, RoleRadioAudio: KindAudio, RoleTVVideo: KindVideo}[role]
		if want != "" && as.Kind != want {
			return apperr.InvalidField(field+".role", "asset.role_needs_kind", role, want, as.Kind)
		}
		if role == RoleFeatured {
			if featured++; featured > 1 {
				return apperr.InvalidField(field+".role", "asset.one_featured_image")
			}
		}
		out = append(out, Attachment{StoryID: storyID, AssetID: r.AssetID, Role: role, Position: i})
	}
	return s.repo.ReplaceAttachments(ctx, storyID, out)
}

// MediaInfo implements story.Attachments: the kind of an asset and its
// duration in seconds (0 while ffprobe has not measured it), for the radio
// and TV versions of stories. An unknown asset is NotFound.
func (s *Service) MediaInfo(ctx context.Context, assetID string) (kind string, seconds float64, err error) {
	as, err := s.repo.FindAssetByID(ctx, assetID)
	if err != nil {
		return "", 0, err
	}
	return string(as.Kind), as.Duration, nil
}

// CheckPublishable implements story.Attachments: the featured image needs alt text and a credit.
func (s *Service) CheckPublishable(ctx context.Context, storyID string) error {
	atts, err := s.repo.FindAttachments(ctx, storyID)
	if err != nil {
		return err
	}
	for _, at := range atts {
		if at.Role != RoleFeatured || at.Asset == nil {
			continue
		}
		var missing []string
		if at.Asset.Alt == "" {
			missing = append(missing, "alt")
		}
		if at.Asset.Credit == "" {
			missing = append(missing, "credit")
		}
		if len(missing) > 0 {
			return apperr.Conflict("asset.featured_image_incomplete", strings.Join(missing, ", ")).
				WithReason("featured_image_incomplete").WithDetails(map[string]any{"asset_id": at.AssetID, "missing": missing})
		}
	}
	return nil
}

// FindStoryAssets lists a story's attachments with their assets (the caller may read the story).
func (s *Service) FindStoryAssets(ctx context.Context, storyID string) ([]Attachment, error) {
	atts, err := s.repo.FindAttachments(ctx, storyID)
	if err != nil {
		return nil, err
	}
	for i := range atts {
		if atts[i].Asset != nil {
			s.withURLs(atts[i].Asset)
		}
	}
	return atts, nil
}
