package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/newsroom-vn/newsroom/internal/app"
	"github.com/newsroom-vn/newsroom/internal/backup"
	"github.com/newsroom-vn/newsroom/internal/config"
)

func backupCmd(configPath *string) *cobra.Command {
	var to string
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Back up the database, the media objects and the key file into a folder or s3://bucket/prefix",
		Long: `Write one consistent, checksummed backup into a new folder
newsroom-YYYYMMDDTHHMMSSZ of the destination (--to, default backup.to) and
print its path. Media objects already held by an earlier backup in the same
destination (same key and ETag) are referenced, not copied again. The oldest
backups beyond backup.keep are removed. PostgreSQL needs pg_dump on PATH.
See docs/operations.md#backup-and-restore.`,
		Example: `  newsroom backup --to /var/backups/newsroom
  newsroom backup --to s3://newsroom-backup/daily
  newsroom backup verify /var/backups/newsroom/newsroom-20261203T181500Z`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withBase(cmd, *configPath, func(a *app.Base) error {
				// A database never set up holds nothing to back up: do not create its schema.
				if fresh, err := a.DB.NeverMigrated(cmd.Context()); err != nil || fresh {
					return errors.Join(err, fmt.Errorf("the database %s has never been set up (no migrations): nothing to back up", a.DB.Dialect))
				}
				if err := a.RequireSchema(cmd.Context(), false); err != nil {
					return err
				}
				svc, err := app.NewBackup(cmd.Context(), a, version)
				if err != nil {
					return err
				}
				dest := to
				if dest == "" {
					dest = a.Config.Backup.To
				}
				p, err := svc.Backup(cmd.Context(), dest)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), p)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "destination folder or s3://bucket/prefix (default backup.to)")
	cmd.AddCommand(&cobra.Command{
		Use:   "verify PATH",
		Short: "Check every file and media object of a backup against its manifest's checksums",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := config.Load(*configPath)
			if err != nil {
				return err
			}
			sum, err := app.NewBackupVerifier(cfg, app.NewLogger(cfg, cmd.ErrOrStderr())).Verify(cmd.Context(), args[0])
			if err != nil {
				return fmt.Errorf("backup verify: %w", err)
			}
			printSummary(cmd, "backup verified", sum)
			return nil
		},
	})
	return cmd
}

func restoreCmd(configPath *string) *cobra.Command {
	var from string
	cmd := &cobra.Command{
		Use:   "restore",
		Short: "Restore a backup into the configured empty database and media storage",
		Long: `Verify the backup's checksums, then restore it into the configured
database (database.url) and media storage (storage.*). Both must be empty: a
database with accounts or stories, or a storage with objects, is refused.
Stop every newsroom process of the target first. PostgreSQL needs pg_restore
on PATH. See docs/operations.md#backup-and-restore.`,
		Example: `  NEWSROOM_DATABASE_URL=postgres://newsroom@db/newsroom_new newsroom restore --from /var/backups/newsroom/newsroom-20261203T181500Z`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(*configPath)
			if err != nil {
				return err
			}
			svc, err := app.NewRestore(cmd.Context(), cfg, app.NewLogger(cfg, cmd.ErrOrStderr()))
			if err != nil {
				return err
			}
			sum, err := svc.Restore(cmd.Context(), from)
			if err != nil {
				return fmt.Errorf("restore: %w", err)
			}
			printSummary(cmd, "restored", sum)
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the backup: its folder or s3:// path (…/newsroom-YYYYMMDDTHHMMSSZ)")
	_ = cmd.MarkFlagRequired("from")
	return cmd
}

func printSummary(cmd *cobra.Command, what string, s *backup.Summary) {
	fmt.Fprintf(cmd.OutOrStdout(), "%s: %s (%s, schema %d, newsroom %s, taken %s; %d file(s), %d media object(s), %d bytes)\n",
		what, s.Path, s.Dialect, s.SchemaVersion, s.NewsroomVersion, s.CreatedAt.Format("2006-01-02T15:04:05Z"), s.Files, s.Objects, s.Bytes)
}
