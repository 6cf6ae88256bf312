package asset

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/keyset"
	"github.com/newsroom-vn/newsroom/internal/textvi"
	"github.com/newsroom-vn/newsroom/internal/user"
)

func cleanText(field, v string, max int) (string, error) {
	v = strings.TrimSpace(textvi.NFC(v))
	if !utf8.ValidString(v) {
		return "", apperr.InvalidField(field, "asset.field_not_utf8", field)
	}
	if n := utf8.RuneCountInString(v); n > max {
		return "", apperr.InvalidField(field, "asset.field_too_long", field, n, max)
	}
	return v, nil
}

// applyMeta validates m onto a.
func applyMeta(a *Asset, m Meta) error {
	for _, f := range []struct {
		name string
		in   *string
		out  *string
	}{{"title", m.Title, &a.Title}, {"caption", m.Caption, &a.Caption}, {"credit", m.Credit, &a.Credit},
		{"copyright", m.Copyright, &a.Copyright}, {"usage_terms", m.UsageTerms, &a.UsageTerms}, {"alt", m.Alt, &a.Alt}} {
		if f.in == nil {
			continue
		}
		v, err := cleanText(f.name, *f.in, MaxText)
		if err != nil {
			return err
		}
		*f.out = v
	}
	if m.Keywords != nil {
		if len(*m.Keywords) > MaxKeywords {
			return apperr.InvalidField("keywords", "asset.too_many_keywords", MaxKeywords)
		}
		kw := []string{}
		for _, k := range *m.Keywords {
			v, err := cleanText("keywords", k, 100)
			if err != nil {
				return err
			}
			if v != "" && !slices.Contains(kw, v) {
				kw = append(kw, v)
			}
		}
		a.Keywords = kw
	}
	if m.Source != nil {
		if !slices.Contains([]Source{SourceStaff, SourceAgency, SourceReader}, *m.Source) {
			return apperr.InvalidField("source", "asset.unknown_source", *m.Source)
		}
		a.Source = *m.Source
	}
	return nil
}

// FindAssetByID returns an asset to any staff member.
func (s *Service) FindAssetByID(ctx context.Context, a user.Actor, id string) (*Asset, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, apperr.InvalidField("id", "asset.id_not_uuid", id)
	}
	as, err := s.repo.FindAssetByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.withURLs(as), nil
}

// FindAssets lists assets, newest first, with the cursor of the next page.
func (s *Service) FindAssets(ctx context.Context, a user.Actor, f Filter) ([]Asset, *Cursor, error) {
	f.Query = strings.TrimSpace(textvi.NFC(f.Query))
	items, next, err := keyset.Page(f.Limit, 50, 200, func(limit int) ([]Asset, error) {
		f.Limit = limit
		return s.repo.FindAssets(ctx, f)
	}, func(last Asset) Cursor { return Cursor{CreatedAt: last.CreatedAt, ID: last.ID} })
	if err != nil {
		return nil, nil, err
	}
	for i := range items {
		s.withURLs(&items[i])
	}
	return items, next, nil
}

func canManage(a user.Actor, as *Asset) bool {
	return as.UploaderID == a.UserID || a.Role.IsEditorial()
}

// UpdateAsset changes an asset's description (its uploader or an editor).
func (s *Service) UpdateAsset(ctx context.Context, a user.Actor, id string, m Meta) (*Asset, error) {
	as, err := s.FindAssetByID(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !canManage(a, as) {
		return nil, apperr.Forbidden("asset.update_forbidden")
	}
	if m == (Meta{}) {
		return nil, apperr.Invalid("asset.no_field_to_change")
	}
	if err := applyMeta(as, m); err != nil {
		return nil, err
	}
	as.UpdatedAt = s.now()
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.repo.UpdateAsset(ctx, as); err != nil {
			return err
		}
		return s.emitChanged(ctx, as.ID)
	})
	if err != nil {
		return nil, err
	}
	return s.withURLs(as), nil
}

// DeleteAsset removes an asset's record, and its object when no other record
// uses it. An asset used by a published story cannot be deleted (409 names the stories).
func (s *Service) DeleteAsset(ctx context.Context, a user.Actor, id string) error {
	as, err := s.FindAssetByID(ctx, a, id)
	if err != nil {
		return err
	}
	if !canManage(a, as) {
		return apperr.Forbidden("asset.delete_forbidden")
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		refs, err := s.repo.StoriesUsing(ctx, id)
		if err != nil {
			return err
		}
		var published []StoryRef
		for _, r := range refs {
			if r.State == "published" {
				published = append(published, r)
			}
		}
		if len(published) > 0 {
			names := make([]string, len(published))
			for i, p := range published {
				names[i] = fmt.Sprintf("%q (%s)", p.Headline, p.ID)
			}
			return apperr.Conflict("asset.used_by_published_stories", strings.Join(names, ", ")).
				WithDetails(map[string]any{"stories": published})
		}
		if err := s.repo.DeleteAsset(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, a, "asset.delete", id, map[string]any{"filename": as.Filename, "kind": as.Kind, "sha256": as.SHA256})
	})
	if err != nil {
		return err
	}
	if n, err := s.repo.CountAssetsWithKey(ctx, as.Key); err == nil && n == 0 {
		keys, _ := s.blobs.List(ctx, as.Key)
		for _, k := range keys {
			if err := s.blobs.Delete(ctx, k); err != nil {
				s.log.Warn("asset: delete object", "key", k, "err", err)
			}
		}
	}
	return nil
}
