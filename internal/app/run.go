package app

import (
	"context"
	"time"

	"github.com/newsroom-vn/newsroom/internal/server"
)

// Start starts the background work: the metrics listener (metrics.addr,
// bound first so that a taken port stops start-up), the MOS link
// (mos.enabled), the sweep of abandoned uploads, the partner key usage flush
// and the job runner (scheduled publication, deliveries and asset
// renditions). The returned stop closes the metrics listener and waits for
// the rest, the job runner last, finishing the jobs in hand up to ctx's deadline.
func (a *App) Start(ctx context.Context) (stop func(ctx context.Context), err error) {
	if err := a.startMetrics(); err != nil {
		return nil, err
	}
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var waits []func()
	stopAll := func(sctx context.Context) {
		cancel()
		a.stopMetrics(sctx)
		for i := len(waits) - 1; i >= 0; i-- {
			waits[i]()
		}
		if err := a.Runner.Stop(sctx); err != nil {
			a.Log.Warn("stop job workers", "err", err)
		}
	}
	if a.mosClient != nil {
		if err := a.mosClient.Start(bg); err != nil {
			cancel()
			a.stopMetrics(context.Background())
			return nil, err
		}
		waits = append(waits, func() { _ = a.mosClient.Close() })
		go a.mosSync.Run(bg, a.Broadcast)
		if err := a.mosSync.Resume(bg, a.Broadcast); err != nil {
			a.Log.Warn("mos: resend the current running orders", "err", err)
		}
	}
	a.Assets.LogTools()
	go a.sweepUploads(bg)
	done := make(chan struct{})
	go func() { defer close(done); a.flushUsage(bg) }()
	waits = append(waits, func() { <-done })
	// The runner runs on a context of its own so that on shutdown it is
	// stopped after the HTTP server, finishing the jobs in hand.
	if err := a.Runner.Start(context.WithoutCancel(ctx)); err != nil {
		stopAll(context.Background())
		return nil, err
	}
	return stopAll, nil
}

// MetricsAddr is the address the metrics listener is bound to once Start
// has run, or "" when metrics.addr is off.
func (a *App) MetricsAddr() string {
	if a.metricsSrv == nil {
		return ""
	}
	return a.metricsSrv.Addr()
}

// startMetrics serves the engine's metrics on metrics.addr, with the bearer
// token metrics.token when set; never on http.addr.
func (a *App) startMetrics() error {
	m := a.Config.Metrics
	if !m.Enabled() {
		return nil
	}
	srv, err := server.ListenMetrics(m.Addr, m.Token, a.metrics, a.Log)
	if err != nil {
		return err
	}
	a.metricsSrv = srv
	a.Log.Info("metrics listening", "addr", srv.Addr(), "token", m.Token != "")
	if !m.Loopback() && m.Token == "" {
		a.Log.Warn("metrics.addr is not a loopback address and metrics.token is empty: anyone who reaches it reads the metrics", "addr", srv.Addr())
	}
	return nil
}

func (a *App) stopMetrics(ctx context.Context) {
	if a.metricsSrv == nil {
		return
	}
	if err := a.metricsSrv.Shutdown(ctx); err != nil {
		a.Log.Warn("stop metrics listener", "err", err)
	}
	a.metricsSrv = nil
}

// sweepUploads aborts expired direct uploads and removes temporary objects a
// crash left behind, at start and then every quarter of storage.upload_expiry
// (at most hourly). Running it in every process is safe: aborting twice is harmless.
func (a *App) sweepUploads(ctx context.Context) {
	every := min(a.Config.Storage.UploadExpiry/4, time.Hour)
	if every <= 0 {
		every = time.Hour
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := a.Assets.SweepUploads(ctx)
		if err != nil && ctx.Err() == nil {
			a.Log.Error("sweep abandoned uploads", "err", err)
		}
		if n > 0 {
			a.Log.Info("removed abandoned uploads and temporary objects", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// flushUsage writes partner key usage counters every 10 s and at shutdown.
func (a *App) flushUsage(ctx context.Context) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := a.Partners.FlushUsage(fctx); err != nil {
				a.Log.Warn("flush partner key usage", "err", err)
			}
			cancel()
			return
		case <-t.C:
			if err := a.Partners.FlushUsage(ctx); err != nil && ctx.Err() == nil {
				a.Log.Warn("flush partner key usage", "err", err)
			}
		}
	}
}
