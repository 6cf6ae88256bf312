package app

import (
	"context"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsroom-vn/newsroom/internal/clock"
	"github.com/newsroom-vn/newsroom/internal/event"
	"github.com/newsroom-vn/newsroom/internal/httpapi"
	"github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/web"
	"github.com/newsroom-vn/newsroom/internal/web/desk"
)

// buildHTTP mounts the three faces on one engine: the JSON API, the public
// site with its feeds and content API, and the desk. The engine's metrics are
// kept for the metrics listener (Start), never served on the engine.
func (a *App) buildHTTP() (http.Handler, error) {
	s := a.Config.Site
	pub, err := web.New(web.Deps{Site: a.Site, Partners: a.Partners, Search: a.Search, Podcasts: a.Broadcast, PullFeeds: a.Distribution,
		Logger: a.Log, Options: web.Options{
			Site: web.SiteInfo{Name: s.Name, BaseURL: s.BaseURL, Licence: s.Licence, LicenceDate: s.LicenceDate,
				EditorInChief: s.EditorInChief, Address: s.Address, Phone: s.Phone, Email: s.Email, LogoURL: s.LogoURL},
			RSSFullText: s.RSSFullText, CacheMaxAge: s.CacheMaxAge, CacheEntries: s.CacheEntries}})
	if err != nil {
		return nil, err
	}
	deskUI, err := desk.New(desk.Deps{Users: a.Users, Stories: a.Stories, StoryViews: a.StoryViews, Assets: a.Assets, Logger: a.Log, Partners: a.Partners,
		Distribution: a.Distribution, Search: a.Search, Broadcast: a.Broadcast, RundownEvents: a.RundownHub, SelfCheck: a.SelfCheck, Clock: a.clockReading, Audit: a.Audit})
	if err != nil {
		return nil, err
	}
	api := httpapi.New(httpapi.Deps{Users: a.Users, Stories: a.Stories, StoryViews: a.StoryViews, Audit: a.Audit, Search: a.Search, Partners: a.Partners,
		Assets: a.Assets, Distribution: a.Distribution, Broadcast: a.Broadcast, SelfCheck: a.SelfCheck, Ready: a.ready, Clock: a.clockReading, Version: a.opts.Version})
	collectors := append(a.Distribution.Metrics().Collectors(), a.Queue.Collectors()...)
	collectors = append(collectors, listenerFailures{})
	engine, metrics, err := server.New(server.Options{MaxBodyBytes: a.Config.HTTP.MaxBodyBytes, TrustedProxies: a.Config.HTTP.TrustedProxies,
		Logger: a.Log, Collectors: collectors}, api, pub, deskUI)
	if err != nil {
		return nil, err
	}
	a.metrics = metrics
	return engine, nil
}

// ready is the /readyz check: the database and the object storage.
func (a *App) ready(ctx context.Context) error {
	if err := a.DB.Ping(ctx); err != nil {
		return err
	}
	return a.Assets.Ping(ctx)
}

// clockReading compares this process's clock with the database server's
// (/readyz, the desk's admin pages); SQLite shares the process's clock.
func (a *App) clockReading(ctx context.Context) (clock.Reading, error) {
	off, err := a.DB.ClockOffset(ctx)
	return clock.Reading{Offset: off, SameHost: a.DB.Dialect == store.DialectSQLite}, err
}

// listenerFailures exports event.Failures as newsroom_listener_failures_total.
type listenerFailures struct{}

var listenerFailuresDesc = prometheus.NewDesc("newsroom_listener_failures_total",
	"After-commit listener runs that failed (logged; the change they followed stands).", []string{"listener"}, nil)

// Describe implements prometheus.Collector.
func (listenerFailures) Describe(ch chan<- *prometheus.Desc) { ch <- listenerFailuresDesc }

// Collect implements prometheus.Collector.
func (listenerFailures) Collect(ch chan<- prometheus.Metric) {
	for _, f := range event.Failures() {
		ch <- prometheus.MustNewConstMetric(listenerFailuresDesc, prometheus.CounterValue, float64(f.Count), f.Listener)
	}
}
