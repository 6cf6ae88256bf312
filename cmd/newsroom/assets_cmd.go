package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/newsroom-vn/newsroom/internal/app"
	"github.com/newsroom-vn/newsroom/internal/asset"
)

func assetsCmd(configPath *string) *cobra.Command {
	cmd := &cobra.Command{Use: "assets", Short: "Maintain stored media (photos, audio, video, documents)"}
	var fix, asJSON bool
	check := &cobra.Command{
		Use:   "check",
		Short: "Compare stored objects with asset records",
		Long: `Report objects in storage that no asset record refers to, and asset records
whose object is missing. With --fix, remove the orphan objects and the broken
records that no story uses (records still used by a story are kept and listed:
replace their file). Exit status 1 when problems remain.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withSchema(cmd, *configPath, func(a *app.Base) error {
				full, err := app.NewWithBase(cmd.Context(), a, app.Options{Version: version})
				if err != nil {
					return err
				}
				rep, err := full.Assets.Check(cmd.Context(), fix)
				if err != nil {
					return err
				}
				if err := printCheck(cmd.OutOrStdout(), rep, fix, asJSON); err != nil {
					return err
				}
				left := len(rep.OrphanObjects) + len(rep.BrokenAssets) - rep.RemovedObjects - rep.RemovedAssets
				if left > 0 {
					return fmt.Errorf("%d problem(s) remain", left)
				}
				return nil
			})
		},
	}
	check.Flags().BoolVar(&fix, "fix", false, "remove orphan objects and broken records no story uses")
	check.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.AddCommand(check)
	return cmd
}

func printCheck(w io.Writer, rep *asset.CheckReport, fix, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(w, "Tệp không có bản ghi (objects without records): %d\n", len(rep.OrphanObjects))
	for _, k := range rep.OrphanObjects {
		fmt.Fprintf(w, "  %s\n", k)
	}
	fmt.Fprintf(w, "Bản ghi mất tệp (records without objects): %d\n", len(rep.BrokenAssets))
	for _, b := range rep.BrokenAssets {
		fmt.Fprintf(w, "  %s  %s", b.ID, b.Key)
		if len(b.UsedBy) > 0 {
			fmt.Fprintf(w, "  (dùng trong %d bài / used by %d stories: giữ lại / kept)", len(b.UsedBy), len(b.UsedBy))
		}
		fmt.Fprintln(w)
	}
	if fix {
		fmt.Fprintf(w, "Đã xóa (removed): %d object(s), %d record(s)\n", rep.RemovedObjects, rep.RemovedAssets)
	}
	return nil
}
