package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

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

// withBase runs fn on the opened database of the command's configuration,
// whatever its schema, and closes it afterwards: the migrate commands.
func withBase(cmd *cobra.Command, configPath string, fn func(a *app.Base) error) error {
	a, err := openBase(cmd.Context(), configPath, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a)
}

// withSchema runs fn on the opened database of the command's configuration,
// refusing a database whose schema is behind, and closes it afterwards.
func withSchema(cmd *cobra.Command, configPath string, fn func(a *app.Base) error) error {
	return withBase(cmd, configPath, func(a *app.Base) error {
		if err := a.RequireSchema(cmd.Context(), false); err != nil {
			return err
		}
		return fn(a)
	})
}
