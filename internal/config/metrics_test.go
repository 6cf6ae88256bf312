package config

import (
	"strings"
	"testing"
)

func TestMetricsSettings(t *testing.T) {
	def, err := load("", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if !def.Metrics.Enabled() || !def.Metrics.Loopback() || def.Metrics.Token != "" {
		t.Errorf("default metrics = %+v, want a loopback listener without token", def.Metrics)
	}
	for _, off := range []string{"off", "OFF", ""} {
		c, err := load("", func() []string { return []string{"NEWSROOM_METRICS_ADDR=" + off} })
		if err != nil || c.Metrics.Enabled() {
			t.Errorf("metrics.addr %q: enabled=%v err=%v, want off", off, c.Metrics.Enabled(), err)
		}
	}
	c, err := load("", func() []string {
		return []string{"NEWSROOM_METRICS_ADDR=0.0.0.0:9180", "NEWSROOM_METRICS_TOKEN=0123456789abcdef0123"}
	})
	if err != nil || c.Metrics.Token != "0123456789abcdef0123" || c.Metrics.Loopback() {
		t.Errorf("from the environment: %+v %v", c.Metrics, err)
	}
	for _, bad := range []string{"NEWSROOM_METRICS_ADDR=9180", "NEWSROOM_METRICS_ADDR=127.0.0.1:http-alt",
		"NEWSROOM_METRICS_ADDR=127.0.0.1:70000", "NEWSROOM_METRICS_TOKEN=short", "NEWSROOM_METRICS_TOKEN=has a space in it ok"} {
		_, err := load("", func() []string { return []string{bad} })
		if err == nil || !strings.Contains(err.Error(), "metrics.") {
			t.Errorf("%s accepted: %v", bad, err)
		}
		if err != nil && strings.Contains(bad, "TOKEN") && strings.Contains(err.Error(), strings.TrimPrefix(bad, "NEWSROOM_METRICS_TOKEN=")) {
			t.Errorf("the error repeats the token: %v", err)
		}
	}
}
