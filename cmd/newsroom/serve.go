package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsroom-vn/newsroom/internal/demo"
	"github.com/newsroom-vn/newsroom/internal/httpapi"
)

func serveCmd(configPath *string) *cobra.Command {
	var withDemo, autoMigrate bool
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the newsroom server",
		Long: `Run the newsroom server. With no configuration it uses embedded SQLite in
./data and listens on 127.0.0.1:8080. On first start it creates the account
"admin" and prints its one-time password (to be changed at first login).`,
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
	a, err := openApp(ctx, configPath, logOut)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.requireSchema(ctx, o.autoMigrate || a.cfg.Database.AutoMigrate); err != nil {
		return err
	}
	if name, pw, err := a.users.Bootstrap(ctx); err != nil {
		return fmt.Errorf("create first admin: %w", err)
	} else if pw != "" {
		fmt.Fprintf(out, "\n  Tài khoản quản trị đầu tiên / first admin account\n    username: %s\n    password: %s   (dùng một lần, phải đổi khi đăng nhập / one-time, must be changed at first login)\n\n", name, pw)
	}
	if o.demo {
		logins, err := demo.Load(ctx, a.users, a.stories)
		if err != nil {
			return err
		}
		if logins == nil {
			fmt.Fprintln(out, "  Dữ liệu mẫu đã có sẵn (demo data already loaded); its passwords were printed when it was loaded.")
		} else {
			fmt.Fprintln(out, "\n  Tài khoản mẫu / demo accounts:")
			for _, l := range logins {
				fmt.Fprintf(out, "    %-12s %-22s %s\n", l.Username, l.Password, l.Role.Label())
			}
			fmt.Fprintln(out)
		}
	}
	listen := a.cfg.HTTP.Addr
	if o.addr != "" {
		listen = o.addr
	}
	public, err := a.newPublic()
	if err != nil {
		return err
	}
	assets, err := a.openAssets(ctx)
	if err != nil {
		return err
	}
	waitRenditions := assets.Start(ctx)
	defer waitRenditions()
	router := httpapi.NewRouter(httpapi.Deps{
		Partners: public.partners, NotFound: public.web.NotFound,
		Users: a.users, Stories: a.stories, Audit: a.audit, Search: a.search, Ready: a.readyWithStorage(assets), Logger: a.log,
		Assets:  assets,
		Options: httpapi.Options{MaxBodyBytes: a.cfg.HTTP.MaxBodyBytes, TrustedProxies: a.cfg.HTTP.TrustedProxies, Version: version},
	})
	srv := &http.Server{Handler: router, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: a.cfg.HTTP.ReadTimeout,
		WriteTimeout: a.cfg.HTTP.WriteTimeout, IdleTimeout: 2 * time.Minute}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", listen, err)
	}
	public.web.Register(router)
	go public.flushUsage(ctx, a)
	go a.runScheduler(ctx)
	a.log.Info("newsroom listening", "addr", ln.Addr().String(), "database", a.db.Dialect, "version", version)
	fmt.Fprintf(out, "  newsroom đang chạy tại / listening on http://%s\n", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.HTTP.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// runScheduler publishes scheduled stories when their time comes. Running it
// in every process is safe: the version check publishes each story once.
func (a *app) runScheduler(ctx context.Context) {
	t := time.NewTicker(a.cfg.Scheduler.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := a.stories.PublishDue(ctx)
			if err != nil && ctx.Err() == nil {
				a.log.Error("scheduled publishing", "err", err)
			}
			if n > 0 {
				a.log.Info("published scheduled stories", "count", n)
			}
		}
	}
}
