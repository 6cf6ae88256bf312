package asset

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// AssetKeys is what `newsroom assets check` needs of an asset row.
type AssetKeys struct {
	ID         string
	Key        string
	Renditions []string
}

// CheckRepository lists the keys the database knows (store's asset repository implements it).
type CheckRepository interface {
	FindAssetKeys(ctx context.Context) ([]AssetKeys, error)
}

// CheckReport is what Check found (and, with fix, did).
type CheckReport struct {
	// OrphanObjects are stored objects no row refers to (a rendition counts
	// as referred to while its original's row exists).
	OrphanObjects []string `json:"orphan_objects"`
	// BrokenAssets are rows whose original object is missing.
	BrokenAssets []BrokenAsset `json:"broken_assets"`
	// Removed counts the objects and rows removed by fix.
	RemovedObjects int `json:"removed_objects"`
	RemovedAssets  int `json:"removed_assets"`
}

// BrokenAsset is a row without its object.
type BrokenAsset struct {
	ID  string `json:"id"`
	Key string `json:"key"`
	// UsedBy lists the stories that still use it; such rows are kept by fix
	// so that an editor replaces the file (the story keeps its caption).
	UsedBy []StoryRef `json:"used_by"`
}

// Check compares the stored objects with the asset rows. With fix it
// removes orphan objects (temporary ones included, but not the parts of a
// direct upload still in progress) and broken rows that no story uses.
func (s *Service) Check(ctx context.Context, fix bool) (*CheckReport, error) {
	cr, ok := s.repo.(CheckRepository)
	if !ok {
		return nil, fmt.Errorf("asset: check: the repository cannot list keys")
	}
	rows, err := cr.FindAssetKeys(ctx)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, r := range rows {
		known[r.Key] = true
		for _, k := range r.Renditions {
			known[k] = true
		}
	}
	keys, err := s.blobs.List(ctx, "")
	if err != nil {
		return nil, storageDown(err)
	}
	stored := map[string]bool{}
	live := map[string]bool{}
	if ups, ok := s.repo.(UploadRepository); ok {
		for _, k := range keys {
			if id, ok := strings.CutPrefix(k, "tmp/uploads/"); ok {
				if u, err := ups.FindUploadByID(ctx, id); err == nil && s.now().Before(u.ExpiresAt) {
					live[k] = true
				}
			}
		}
	}
	rep := &CheckReport{OrphanObjects: []string{}, BrokenAssets: []BrokenAsset{}}
	for _, k := range keys {
		stored[k] = true
		if known[k] || known[mediaBase(k)] || live[k] {
			continue
		}
		rep.OrphanObjects = append(rep.OrphanObjects, k)
	}
	for _, r := range rows {
		if stored[r.Key] {
			continue
		}
		used, err := s.repo.StoriesUsing(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		rep.BrokenAssets = append(rep.BrokenAssets, BrokenAsset{ID: r.ID, Key: r.Key, UsedBy: list(used)})
	}
	slices.Sort(rep.OrphanObjects)
	if !fix {
		return rep, nil
	}
	for _, k := range rep.OrphanObjects {
		if err := s.blobs.Delete(ctx, k); err != nil {
			return rep, storageDown(err)
		}
		rep.RemovedObjects++
	}
	for _, b := range rep.BrokenAssets {
		if len(b.UsedBy) > 0 {
			continue
		}
		if err := s.repo.DeleteAsset(ctx, b.ID); err != nil {
			return rep, err
		}
		rep.RemovedAssets++
	}
	return rep, nil
}

func list[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
