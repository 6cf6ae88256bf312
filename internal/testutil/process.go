package testutil

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/app"
)

// OtherProcess builds a second app on a's database, storage and
// configuration, as a second `newsroom serve` behind the same load balancer:
// its own services, page cache and engine, and no listener of a's. It starts
// nothing. (Added by the facetests helper for the site's cross-process
// freshness tests.)
func (a *App) OtherProcess() *App {
	a.t.Helper()
	b, err := app.NewWithBase(context.Background(), app.BaseOn(a.DB, a.Config, a.Log), app.Options{Version: "test"})
	if err != nil {
		a.t.Fatalf("testutil: build the other process: %v", err)
	}
	return &App{App: b, t: a.t}
}
