package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newsroom-vn/newsroom/internal/app"
	"github.com/newsroom-vn/newsroom/internal/store"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

func migrateCmd(configPath *string) *cobra.Command {
	cmd := &cobra.Command{Use: "migrate", Short: "Apply, roll back or list database migrations"}
	cmd.AddCommand(
		migrateStep(configPath, "up", "Apply every pending migration", "database is up to date", func(ctx context.Context, db *store.DB) error {
			if err := db.MigrateUp(ctx); err != nil {
				return err
			}
			return db.MigrateRiver(ctx)
		}),
		migrateStep(configPath, "down", "Roll back the latest migration", "rolled back one migration", func(ctx context.Context, db *store.DB) error {
			return db.MigrateDown(ctx)
		}),
		&cobra.Command{
			Use:   "status",
			Short: "List migrations and whether each is applied",
			RunE: func(cmd *cobra.Command, _ []string) error {
				return withBase(cmd, *configPath, func(a *app.Base) error {
					return printMigrationStatus(cmd, a)
				})
			},
		})
	return cmd
}

// migrateStep is the migrate subcommand use, which runs step on the database
// and then says done.
func migrateStep(configPath *string, use, short, done string, step func(context.Context, *store.DB) error) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withBase(cmd, *configPath, func(a *app.Base) error {
				if err := step(cmd.Context(), a.DB); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), done)
				return nil
			})
		},
	}
}

// printMigrationStatus writes the table of migrations, then the state of
// River's job queue schema.
func printMigrationStatus(cmd *cobra.Command, a *app.Base) error {
	states, err := a.DB.MigrationStatus(cmd.Context())
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "VERSION\tNAME\tSTATE\tAPPLIED AT")
	for _, s := range states {
		state, at := "pending", ""
		if s.Applied {
			state = "applied"
			at = vntime.Format(s.AppliedAt)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", s.Version, s.Name, state, at)
	}
	cur, latest, err := a.DB.RiverVersion(cmd.Context())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "river\tjob queue schema %d of %d\t%s\t\n", cur, latest, map[bool]string{true: "applied", false: "pending"}[cur == latest])
	return w.Flush()
}
