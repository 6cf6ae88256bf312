package main

import (
	"context"
	"io"

	"github.com/newsroom-vn/newsroom/internal/app"
	"github.com/newsroom-vn/newsroom/internal/config"
)

// openBase loads the configuration and opens the database (without
// migrating it), logging to logOut: what the account and database commands need.
func openBase(ctx context.Context, configPath string, logOut io.Writer) (*app.Base, error) {
	cfg, err := config.Load(configPath)
	if err != nil {
		return nil, err
	}
	return app.OpenBase(ctx, cfg, app.NewLogger(cfg, logOut))
}
