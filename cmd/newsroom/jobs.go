package main

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/feed"
	"github.com/newsroom-vn/newsroom/internal/jobs"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/txn"
)

// queue is the job queue (River) and the distribution it runs.
type queue struct {
	jobs *jobs.Client
	dist *distribution.Service
}

// collectors are the distribution and queue metrics for /metrics.
func (q *queue) collectors() []prometheus.Collector {
	return append(q.dist.Metrics().Collectors(), q.jobs.Collectors()...)
}

// openJobs builds the job queue on the app's database and the distribution
// service, and hooks them into the story workflow: publish, correct, kill
// and schedule enqueue their jobs (and record their deliveries) in the
// transition's transaction. Scheduled publishing is one River job per
// scheduled story (it replaced the polling scheduler).
func (a *app) openJobs(public *publicOutputs) (*queue, error) {
	key, err := distribution.ParseKey(a.cfg.Distribution.SecretKey)
	if err != nil {
		return nil, err
	}
	dist := distribution.NewService(store.NewDistributionRepository(a.db), a.stories, a.audit, txn.WithAfterCommit(a.db),
		feed.NewRenderer(public.site, feed.Site{Name: a.cfg.Site.Name, BaseURL: a.cfg.Site.BaseURL}), distribution.Config{SecretKey: key, RetryHorizon: a.cfg.Distribution.RetryHorizon,
			AllowHosts: a.cfg.Distribution.AllowHosts, OnWeb: public.site.Invalidate, Logger: a.log,
			ZaloVerifyTimeout: a.cfg.Distribution.ZaloVerifyTimeout})
	public.web.SetPullFeeds(dist)
	c, err := jobs.New(jobs.Deps{DB: a.db, Stories: a.stories, Fanout: dist}, jobs.Options{Logger: a.log, PublishPollInterval: a.cfg.Scheduler.Interval,
		StuckAfter: a.cfg.Distribution.StuckAfter})
	if err != nil {
		return nil, err
	}
	dist.SetEnqueuer(c)
	a.stories.OnTransition = c.TransitionHook(a.stories.OnTransition)
	return &queue{jobs: c, dist: dist}, nil
}
