package main

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/broadcast"
	"github.com/newsroom-vn/newsroom/internal/broadcast/mos"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// startMOS links the newsroom to its MOS device when mos.enabled: the client
// dials the device (and listens on the NCS ports), and every change to a TV
// rundown, or to a story placed in one, is sent to it in the background
// (broadcast.MOSSync). The returned function closes the link.
func (a *app) startMOS(ctx context.Context) (func(), error) {
	m := a.cfg.MOS
	if !m.Enabled {
		return func() {}, nil
	}
	client, err := mos.NewClient(mos.Config{Enabled: true, Host: m.Host, LowerPort: m.LowerPort, UpperPort: m.UpperPort,
		NCSID: m.NCSID, MOSID: m.MOSID, ListenHost: m.ListenHost, NCSLowerPort: m.NCSLowerPort, NCSUpperPort: m.NCSUpperPort,
		HeartbeatInterval: m.HeartbeatInterval, ReplyTimeout: m.ReplyTimeout, ReconnectMin: m.ReconnectMin, ReconnectMax: m.ReconnectMax}, a.log)
	if err != nil {
		return nil, err
	}
	if err := client.Start(ctx); err != nil {
		return nil, err
	}
	sync := broadcast.NewMOSSync(a.broadcast, client, a.log)
	sync.Hook()
	a.stories.OnTransition = sync.StoryTransitionHook(a.stories.OnTransition)
	prevUpdate := a.stories.OnUpdate
	a.stories.OnUpdate = func(ctx context.Context, st *story.Story) {
		if prevUpdate != nil {
			prevUpdate(ctx, st)
		}
		sync.StoryChanged(st.ID)
	}
	go sync.Run(ctx)
	if err := sync.Resume(ctx); err != nil {
		a.log.Warn("mos: resend the current running orders", "err", err)
	}
	return func() { _ = client.Close() }, nil
}
