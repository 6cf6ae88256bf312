package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newsroom-vn/newsroom/internal/app"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

func migrateCmd(configPath *string) *cobra.Command {
	cmd := &cobra.Command{Use: "migrate", Short: "Apply, roll back or list database migrations"}
	cmd.AddCommand(&cobra.Command{
		Use:   "up",
		Short: "Apply every pending migration",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withBase(cmd, *configPath, func(a *app.Base) error {
				if err := a.DB.MigrateUp(cmd.Context()); err != nil {
					return err
				}
				if err := a.DB.MigrateRiver(cmd.Context()); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "database is up to date")
				return nil
			})
		},
	}, &cobra.Command{
		Use:   "down",
		Short: "Roll back the latest migration",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withBase(cmd, *configPath, func(a *app.Base) error {
				if err := a.DB.MigrateDown(cmd.Context()); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "rolled back one migration")
				return nil
			})
		},
	}, &cobra.Command{
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
