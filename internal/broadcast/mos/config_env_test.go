package mos_test

import (
	"strings"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/broadcast/mos"
	"github.com/newsroom-vn/newsroom/internal/config"
)

// fromConfig is how the server builds the client's config from mos.* keys.
func fromConfig(m config.MOS) mos.Config {
	return mos.Config{Enabled: m.Enabled, Host: m.Host, LowerPort: m.LowerPort, UpperPort: m.UpperPort,
		NCSID: m.NCSID, MOSID: m.MOSID, ListenHost: m.ListenHost, NCSLowerPort: m.NCSLowerPort, NCSUpperPort: m.NCSUpperPort,
		HeartbeatInterval: m.HeartbeatInterval, ReplyTimeout: m.ReplyTimeout, ReconnectMin: m.ReconnectMin, ReconnectMax: m.ReconnectMax}
}

// The contract's environment variables reach the MOS settings.
func TestConfigFromEnvironment(t *testing.T) {
	def := config.Default().MOS
	if got := fromConfig(def); got != mos.DefaultConfig() {
		t.Fatalf("config defaults %+v differ from mos.DefaultConfig %+v", got, mos.DefaultConfig())
	}
	for k, v := range map[string]string{
		"NEWSROOM_MOS_ENABLED": "true", "NEWSROOM_MOS_HOST": "playout.dai.local",
		"NEWSROOM_MOS_LOWER_PORT": "20540", "NEWSROOM_MOS_UPPER_PORT": "20541",
		"NEWSROOM_MOS_NCS_ID": "NEWSROOM.DAI", "NEWSROOM_MOS_MOS_ID": "PROMPTER.DAI",
		"NEWSROOM_MOS_NCS_LOWER_PORT": "0", "NEWSROOM_MOS_REPLY_TIMEOUT": "3s",
	} {
		t.Setenv(k, v)
	}
	c, err := config.Load("")
	if err != nil {
		t.Fatal(err)
	}
	m := fromConfig(c.MOS)
	want := mos.DefaultConfig()
	want.Enabled, want.Host, want.LowerPort, want.UpperPort = true, "playout.dai.local", 20540, 20541
	want.NCSID, want.MOSID, want.NCSLowerPort, want.ReplyTimeout = "NEWSROOM.DAI", "PROMPTER.DAI", 0, 3*time.Second
	if m != want {
		t.Fatalf("from the environment %+v, want %+v", m, want)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}

	t.Setenv("NEWSROOM_MOS_MOS_ID", "")
	t.Setenv("NEWSROOM_MOS_UPPER_PORT", "70000")
	_, err = config.Load("")
	if err == nil || !strings.Contains(err.Error(), "mos.mos_id") || !strings.Contains(err.Error(), "mos.upper_port") {
		t.Fatalf("bad MOS settings: %v", err)
	}
}
