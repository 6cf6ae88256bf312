package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/newsroom-vn/newsroom/internal/app"
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
			return withSchema(cmd, *configPath, func(a *app.Base) error {
				n, err := a.DB.ReindexSearch(cmd.Context())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Đã lập chỉ mục lại %d bài (reindexed %d stories)\n", n, n)
				return nil
			})
		},
	})
	return cmd
}
