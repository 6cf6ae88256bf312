package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newsroom-vn/newsroom/internal/app"

	"github.com/newsroom-vn/newsroom/internal/user"
)

func userCmd(configPath *string) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage accounts from the command line (acts as the operator, audited as \"system\")"}
	cmd.AddCommand(userAddCmd(configPath), userPasswdCmd(configPath), userLockCmd(configPath, true), userLockCmd(configPath, false),
		userResetMFACmd(configPath))
	return cmd
}

// readPassword reads one line from r: the password for --password-stdin.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", fmt.Errorf("no password on standard input")
	}
	return pw, nil
}

func userAddCmd(configPath *string) *cobra.Command {
	var in user.NewUser
	var passwordStdin, mustChange bool
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Create an account",
		Long: `Create an account. With --password-stdin the password is read from standard
input and need not be changed at first login (unless --must-change). Without it
a one-time password is generated, printed, and must be changed at first login.`,
		Example: `  echo 'a long passphrase' | newsroom user add --username lan --role editor --password-stdin`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if passwordStdin {
				pw, err := readPassword(cmd.InOrStdin())
				if err != nil {
					return err
				}
				in.Password = pw
				in.MustChangePassword = &mustChange
			}
			return withSchema(cmd, *configPath, func(a *app.Base) error {
				u, oneTime, err := a.Users.CreateUser(cmd.Context(), user.System, in)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "created %s (%s, id %s)\n", u.Username, u.Role, u.ID)
				if oneTime != "" {
					fmt.Fprintf(cmd.OutOrStdout(), "one-time password: %s (must be changed at first login)\n", oneTime)
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Username, "username", "", "login name (a-z, 0-9, . _ -)")
	f.StringVar(&in.Role, "role", "", "reporter, editor, managing_editor, editor_in_chief, producer or admin")
	f.StringVar(&in.DisplayName, "name", "", "display name, e.g. \"Nguyễn Văn An\"")
	f.StringVar(&in.Email, "email", "", "e-mail address")
	f.StringSliceVar(&in.SectionIDs, "section", nil, "section id the user works on (repeatable; none: all sections)")
	f.BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input")
	f.BoolVar(&mustChange, "must-change", false, "with --password-stdin: require a change at first login")
	_ = cmd.MarkFlagRequired("username")
	_ = cmd.MarkFlagRequired("role")
	return cmd
}

func userPasswdCmd(configPath *string) *cobra.Command {
	var username string
	var mustChange bool
	cmd := &cobra.Command{
		Use:     "passwd",
		Short:   "Set an account's password (read from standard input)",
		Example: `  echo 'a new long passphrase' | newsroom user passwd --username lan`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pw, err := readPassword(cmd.InOrStdin())
			if err != nil {
				return err
			}
			return withSchema(cmd, *configPath, func(a *app.Base) error {
				if err := a.Users.SetPassword(cmd.Context(), username, pw, mustChange); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "password of %s changed; the account's sessions were ended\n", username)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&username, "username", "", "login name")
	cmd.Flags().BoolVar(&mustChange, "must-change", false, "require a change at next login")
	_ = cmd.MarkFlagRequired("username")
	return cmd
}

func userLockCmd(configPath *string, lock bool) *cobra.Command {
	use, short := "unlock", "Unlock an account (also resets its failed-login count and lifts its temporary login locks)"
	if lock {
		use, short = "lock", "Lock an account until unlocked and end its sessions"
	}
	return userActionCmd(configPath, use, short, use+"ed", func(ctx context.Context, a *app.Base, u *user.User) error {
		_, err := a.Users.UpdateUser(ctx, user.System, u.ID, user.UserUpdate{Locked: &lock})
		return err
	})
}

// userResetMFACmd removes an account's second factor: the way back for the
// last admin who lost both the authenticator and the recovery codes.
func userResetMFACmd(configPath *string) *cobra.Command {
	return userActionCmd(configPath, "reset-mfa", "Remove an account's two-factor authentication (it must enrol again if its role requires it) and end its sessions",
		"two-factor authentication reset", func(ctx context.Context, a *app.Base, u *user.User) error {
			return a.Users.ResetMFA(ctx, user.System, u.ID)
		})
}

// userActionCmd is a command that does act to the account named by
// --username (or the argument) and prints "username: done".
func userActionCmd(configPath *string, use, short, done string, act func(ctx context.Context, a *app.Base, u *user.User) error) *cobra.Command {
	var username string
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			if username == "" && len(args) == 1 {
				username = args[0]
			}
			if username == "" {
				return fmt.Errorf("--username is required")
			}
			return withSchema(cmd, *configPath, func(a *app.Base) error {
				u, err := a.Users.FindUserByUsername(cmd.Context(), username)
				if err != nil {
					return err
				}
				if err := act(cmd.Context(), a, u); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %s\n", username, done)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&username, "username", "", "login name")
	return cmd
}
