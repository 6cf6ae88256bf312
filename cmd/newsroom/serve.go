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
	"runtime/debug"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/newsroom-vn/newsroom/internal/demo"
	"github.com/newsroom-vn/newsroom/internal/httpapi"
	httpserver "github.com/newsroom-vn/newsroom/internal/server"
	"github.com/newsroom-vn/newsroom/internal/web/desk"
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
	public, err := a.newPublic()
	if err != nil {
		return err
	}
	// The job queue is wired before anything can change a story, so every
	// transition (demo data included) enqueues its jobs in its transaction.
	queue, err := a.openJobs(public)
	if err != nil {
		return err
	}
	closeMOS, err := a.startMOS(ctx) // TV rundowns to the MOS device (mos.enabled)
	if err != nil {
		return err
	}
	defer closeMOS()
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
	assets, err := a.openAssets(ctx)
	if err != nil {
		return err
	}
	assets.OnUpdate = public.site.AssetChanged           // a caption change shows on the public site at once
	assets.OnPublicRenditions = public.site.MediaChanged // renditions finished after publishing show at once
	waitRenditions := assets.Start(ctx)
	defer waitRenditions()
	go a.sweepUploads(ctx, assets)
	// Start-up garbage (user's argon2 timing hash alone is 64 MiB) would
	// otherwise stay resident until the heap doubles again: hand it back now.
	debug.FreeOSMemory()
	deskUI, err := desk.New(desk.Deps{Users: a.users, Stories: a.stories, Assets: assets, Logger: a.log,
		Partners: public.partners, Distribution: queue.dist, Search: a.search, Broadcast: a.broadcast})
	if err != nil {
		return err
	}
	// Three faces as peers: the JSON API, the public site and the desk (/desk).
	router, err := httpserver.New(httpserver.Options{MaxBodyBytes: a.cfg.HTTP.MaxBodyBytes, TrustedProxies: a.cfg.HTTP.TrustedProxies,
		Logger: a.log, Collectors: queue.collectors()},
		httpapi.New(httpapi.Deps{Partners: public.partners,
			Users: a.users, Stories: a.stories, Audit: a.audit, Search: a.search, Ready: a.readyWithStorage(assets),
			Assets: assets, Distribution: queue.dist, Broadcast: a.broadcast, Version: version}),
		public.web, deskUI)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: router, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: a.cfg.HTTP.ReadTimeout,
		WriteTimeout: a.cfg.HTTP.WriteTimeout, IdleTimeout: 2 * time.Minute}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", listen, err)
	}
	// Live prompters and rundown pages hear every rundown change (chained: MOS hangs on the same hook).
	if prev := a.broadcast.OnRundownChange; prev != nil {
		a.broadcast.OnRundownChange = func(ctx context.Context, id string) { prev(ctx, id); deskUI.NotifyRundownChange(ctx, id) }
	} else {
		a.broadcast.OnRundownChange = deskUI.NotifyRundownChange
	}
	go public.flushUsage(ctx, a)
	// Workers run on a context of their own so that on SIGTERM they are
	// stopped after the HTTP server, finishing the jobs in hand.
	if err := queue.jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), a.cfg.HTTP.ShutdownTimeout)
		defer cancel()
		if err := queue.jobs.Stop(sctx); err != nil {
			a.log.Warn("stop job workers", "err", err)
		}
	}()
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
