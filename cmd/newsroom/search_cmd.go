package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func searchCmd(configPath *string) *cobra.Command {
	cmd := &cobra.Command{Use: "search", Short: "Maintain the full-text search index"}
	cmd.AddCommand(&cobra.Command{
		Use:   "reindex",
		Short: "Fill the plain-text body of stories that lack it and refresh their index entries",
		Long: `Fill stories.body_text (the plain text of the body that search indexes) for
stories where it is empty, such as rows written before search existed or by a
bulk import; the database's search triggers refresh their index entries.
Running it again changes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := openBase(cmd.Context(), *configPath, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer a.Close()
			if err := a.RequireSchema(cmd.Context(), false); err != nil {
				return err
			}
			n, err := a.DB.ReindexSearch(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Đã lập chỉ mục lại %d bài (reindexed %d stories)\n", n, n)
			return nil
		},
	})
	return cmd
}
