package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/newsroom-vn/newsroom/internal/app"
	"github.com/newsroom-vn/newsroom/internal/config"
	"github.com/newsroom-vn/newsroom/internal/demo"
	edge "github.com/newsroom-vn/newsroom/internal/server"
)

func serveCmd(configPath *string) *cobra.Command {
	var withDemo, autoMigrate bool
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the newsroom server",
		Long: `Run the newsroom server. With no configuration it uses embedded SQLite in
./data and listens on 127.0.0.1:8080. On first start it creates the account
"admin" and prints its one-time password (to be changed at first login), and,
unless distribution.secret_key is set, creates the key sealing distribution
targets' secrets in distribution.key next to the SQLite database (back it up
with the database).`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve(ctx, *configPath, serveOptions{demo: withDemo, autoMigrate: autoMigrate, addr: addr}, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().BoolVar(&withDemo, "demo", false, "load a Vietnamese demo newsroom (sections, one account per role, a dozen stories) and print the logins")
	cmd.Flags().BoolVar(&autoMigrate, "auto-migrate", false, "apply pending database migrations at start (same as database.auto_migrate)")
	cmd.Flags().StringVar(&addr, "addr", "", "listen address host:port (overrides http.addr)")
	return cmd
}

type serveOptions struct {
	demo, autoMigrate bool
	addr              string
}

func serve(ctx context.Context, configPath string, o serveOptions, out, logOut io.Writer) error {
	cfg, err := config.Load(configPath)
	if err != nil {
		return err
	}
	b, err := app.OpenBase(ctx, cfg, app.NewLogger(cfg, logOut))
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.RequireSchema(ctx, o.autoMigrate || cfg.Database.AutoMigrate); err != nil {
		return err
	}
	// The whole graph is built before anything can change a story, so every
	// change (demo data included) reaches every listener.
	a, err := app.NewWithBase(ctx, b, app.Options{Version: version})
	if err != nil {
		return err
	}
	if name, pw, err := a.Users.Bootstrap(ctx); err != nil {
		return fmt.Errorf("create first admin: %w", err)
	} else if pw != "" {
		fmt.Fprintf(out, "\n  Tài khoản quản trị đầu tiên / first admin account\n    username: %s\n    password: %s   (dùng một lần, phải đổi khi đăng nhập / one-time, must be changed at first login)\n\n", name, pw)
	}
	if a.KeyFileCreated != "" {
		fmt.Fprintf(out, "\n  Đã tạo khóa mã hóa secret của kênh phân phối / created the key sealing distribution secrets\n    %s\n"+
			"    Sao lưu tệp này cùng cơ sở dữ liệu: mất nó thì không đọc lại được secret đã lưu.\n"+
			"    Back this file up with the database: without it the stored secrets cannot be read.\n\n", a.KeyFileCreated)
	}
	if o.demo {
		if err := loadDemo(ctx, a, out); err != nil {
			return err
		}
	}
	listen := cfg.HTTP.Addr
	if o.addr != "" {
		listen = o.addr
	}
	stop, err := a.Start(ctx)
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), cfg.HTTP.ShutdownTimeout)
		defer cancel()
		stop(sctx)
	}()
	// Start-up garbage (user's argon2 timing hash alone is 64 MiB) would
	// otherwise stay resident until the heap doubles again: hand it back now.
	debug.FreeOSMemory()
	h := cfg.HTTP
	srv, err := edge.Listen(edge.ListenOptions{Addr: listen, TLSCert: h.TLSCert, TLSKey: h.TLSKey, RedirectAddr: h.RedirectAddr,
		ReadTimeout: h.ReadTimeout, WriteTimeout: h.WriteTimeout, Logger: a.Log}, a.Handler)
	if err != nil {
		return err
	}
	a.Log.Info("newsroom listening", "url", srv.URL(), "redirect", srv.RedirectURL(), "database", a.DB.Dialect, "version", version)
	if m := a.MetricsAddr(); m != "" {
		fmt.Fprintf(out, "  số liệu Prometheus / metrics on http://%s/metrics\n", m)
	}
	if r := srv.RedirectURL(); r != "" {
		fmt.Fprintf(out, "  chuyển HTTP sang HTTPS / redirecting %s to https\n", r)
	}
	fmt.Fprintf(out, "  newsroom đang chạy tại / listening on %s\n", srv.URL())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.HTTP.ShutdownTimeout)
	defer cancel()
	return srv.Shutdown(sctx)
}

// loadDemo loads the demo newsroom through the real services and prints its logins.
func loadDemo(ctx context.Context, a *app.App, out io.Writer) error {
	logins, err := demo.Load(ctx, a.Users, a.Stories)
	if err != nil {
		return err
	}
	if logins == nil {
		fmt.Fprintln(out, "  Dữ liệu mẫu đã có sẵn (demo data already loaded); its passwords were printed when it was loaded.")
		return nil
	}
	fmt.Fprintln(out, "\n  Tài khoản mẫu / demo accounts:")
	for _, l := range logins {
		fmt.Fprintf(out, "    %-12s %-22s %s\n", l.Username, l.Password, l.Role.Label())
	}
	fmt.Fprintln(out)
	return nil
}
