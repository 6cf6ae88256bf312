package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/newsroom-vn/newsroom/internal/app"
)

func auditCmd(configPath *string) *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Check the audit log"}
	cmd.AddCommand(&cobra.Command{
		Use:   "verify",
		Short: "Recompute the audit log's hash chain; exit 1 naming the first broken row",
		Long: `Walk the audit log in order (seq) and recompute each row's SHA-256 chain hash
over the previous row's hash and the row's content. Prints "audit chain holds:
N rows" and exits 0 when every row matches; otherwise exits 1 and names the
first broken row (id, seq, time, action) and why: a row changed or deleted by
hand, or rows missing at the end. After the retention job pruned old rows, the
chain starts from the hash its export recorded.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withSchema(cmd, *configPath, func(a *app.Base) error {
				rows, broken, err := a.Audit.Verify(cmd.Context())
				if err != nil {
					return err
				}
				if broken != "" {
					return errors.New("audit chain broken at " + broken)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "audit chain holds: %d rows\n", rows)
				return nil
			})
		},
	})
	return cmd
}
