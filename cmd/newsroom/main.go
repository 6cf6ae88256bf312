// Command newsroom is the converged-newsroom server and its operator tools.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "newsroom:", err)
		os.Exit(1)
	}
}

func rootCmd() *cobra.Command {
	var configPath string
	root := &cobra.Command{
		Use:           "newsroom",
		Short:         "Converged newsroom: stories, approval workflow, web, radio and TV outputs",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&configPath, "config", "", "configuration file (YAML; see configs/newsroom.yaml)")
	root.AddCommand(serveCmd(&configPath), migrateCmd(&configPath), userCmd(&configPath), versionCmd(), assetsCmd(&configPath), searchCmd(&configPath), auditCmd(&configPath),
		backupCmd(&configPath), restoreCmd(&configPath))
	return root
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "newsroom", version)
		},
	}
}
