package mos

import (
	"errors"
	"fmt"
	"time"
)

// Config is the link to one MOS device. The server fills it from the mos.*
// configuration keys (configs/newsroom.yaml).
type Config struct {
	// Enabled turns the link on; a client of a disabled config does nothing.
	Enabled bool
	// Host is the device's host name or IP address.
	Host string
	// LowerPort and UpperPort are the device's MOS ports (10540 and 10541).
	LowerPort int
	UpperPort int
	// NCSID is the newsroom's ID and MOSID the device's, as configured on the device.
	NCSID string
	MOSID string
	// ListenHost is the address the NCS ports listen on ("" = every interface).
	ListenHost string
	// NCSLowerPort and NCSUpperPort are the newsroom's own MOS ports, for the
	// connections the device opens back; 0 = do not listen.
	NCSLowerPort int
	NCSUpperPort int
	// HeartbeatInterval is how often each connection to the device is checked.
	HeartbeatInterval time.Duration
	// ReplyTimeout is how long the device has to answer a message (and how
	// long a message waits for a connection that is down).
	ReplyTimeout time.Duration
	// ReconnectMin and ReconnectMax bound the exponential backoff between dials.
	ReconnectMin time.Duration
	ReconnectMax time.Duration
}

// DefaultConfig is the MOS specification's ports and the newsroom's default timings; Enabled is false.
func DefaultConfig() Config {
	return Config{
		LowerPort: 10540, UpperPort: 10541, NCSID: "NEWSROOM",
		NCSLowerPort: 10540, NCSUpperPort: 10541,
		HeartbeatInterval: 10 * time.Second, ReplyTimeout: 10 * time.Second,
		ReconnectMin: time.Second, ReconnectMax: 30 * time.Second,
	}
}

// Validate explains what is wrong in words a system administrator understands.
// A disabled config is always valid.
func (c Config) Validate() error {
	if !c.Enabled {
		return nil
	}
	var errs []error
	if c.Host == "" {
		errs = append(errs, errors.New("mos.host must name the MOS device (host name or IP address)"))
	}
	for _, p := range []struct {
		name string
		v    int
		zero bool
	}{{"mos.lower_port", c.LowerPort, false}, {"mos.upper_port", c.UpperPort, false},
		{"mos.ncs_lower_port", c.NCSLowerPort, true}, {"mos.ncs_upper_port", c.NCSUpperPort, true}} {
		if p.v < 0 || p.v > 65535 || (p.v == 0 && !p.zero) {
			errs = append(errs, fmt.Errorf("%s must be a TCP port between 1 and 65535, got %d", p.name, p.v))
		}
	}
	for _, id := range []struct{ name, v string }{{"mos.ncs_id", c.NCSID}, {"mos.mos_id", c.MOSID}} {
		if err := checkID(id.v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", id.name, err))
		}
	}
	if c.HeartbeatInterval < 100*time.Millisecond || c.ReplyTimeout < 100*time.Millisecond {
		errs = append(errs, errors.New("mos.heartbeat_interval and mos.reply_timeout must be at least 100ms"))
	}
	if c.ReconnectMin < 10*time.Millisecond || c.ReconnectMax < c.ReconnectMin {
		errs = append(errs, errors.New("mos.reconnect_min must be at least 10ms and mos.reconnect_max at least mos.reconnect_min"))
	}
	if len(errs) > 0 {
		return fmt.Errorf("mos: %w", errors.Join(errs...))
	}
	return nil
}

// checkID accepts what MOS calls an ID: 1 to 128 printable ASCII characters.
func checkID(s string) error {
	if s == "" {
		return errors.New("must be set (the ID configured on the MOS device)")
	}
	if len(s) > 128 {
		return fmt.Errorf("%q is longer than 128 characters", s)
	}
	for _, r := range s {
		if r < 0x21 || r > 0x7e {
			return fmt.Errorf("%q must be printable ASCII without spaces", s)
		}
	}
	return nil
}
