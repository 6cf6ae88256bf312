package main

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/partner"
	"github.com/newsroom-vn/newsroom/internal/search"
	"github.com/newsroom-vn/newsroom/internal/site"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/web"
)

// publicOutputs are the public site, feeds, sitemaps and content API.
type publicOutputs struct {
	site     *site.Service
	partners *partner.Service
	web      *web.Handler
}

// newPublic wires the public outputs and hooks their cache invalidation into
// the story workflow (after commit of a publish, correction or kill).
func (a *app) newPublic() (*publicOutputs, error) {
	p := &publicOutputs{
		site:     site.NewService(store.NewSiteRepository(a.db), store.NewStoryRepository(a.db)),
		partners: partner.NewService(store.NewPartnerRepository(a.db), a.audit, a.db, partner.Config{DefaultRateLimit: a.cfg.Content.RateLimit}),
	}
	a.stories.OnTransition = p.site.TransitionHook(a.stories.OnTransition)
	s := a.cfg.Site
	a.search.URLFor = search.PublicURL(s.BaseURL) // hits link to the public article pages
	h, err := web.New(web.Deps{Site: p.site, Partners: p.partners, Search: a.search, Podcasts: a.broadcast, Logger: a.log, Options: web.Options{
		Site: web.SiteInfo{Name: s.Name, BaseURL: s.BaseURL, Licence: s.Licence, LicenceDate: s.LicenceDate,
			EditorInChief: s.EditorInChief, Address: s.Address, Phone: s.Phone, Email: s.Email, LogoURL: s.LogoURL},
		RSSFullText: s.RSSFullText, CacheMaxAge: s.CacheMaxAge, CacheEntries: s.CacheEntries}})
	if err != nil {
		return nil, err
	}
	p.web = h
	return p, nil
}

// flushUsage writes partner key usage counters every 10 s and at shutdown.
func (p *publicOutputs) flushUsage(ctx context.Context, a *app) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := p.partners.FlushUsage(fctx); err != nil {
				a.log.Warn("flush partner key usage", "err", err)
			}
			cancel()
			return
		case <-t.C:
			if err := p.partners.FlushUsage(ctx); err != nil && ctx.Err() == nil {
				a.log.Warn("flush partner key usage", "err", err)
			}
		}
	}
}
