package mos

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Client is the newsroom's side of the MOS link to one device. Create it with
// NewClient, set OnStatus if wanted, then Start it; Close stops it. Its
// methods are safe for concurrent use.
type Client struct {
	cfg Config
	log *slog.Logger

	lower, upper *link
	msgID        atomic.Uint32

	// roSem serialises the running-order work (Sync, Delete, resend after a reconnect).
	roSem chan struct{}

	mu        sync.Mutex
	ros       map[string]*roState
	deletes   map[string]bool // roDelete not yet acknowledged
	machInfo  *MachineInfo
	statuses  []Status
	onStatus  func(Status)
	listeners []net.Listener
	incoming  map[*peerConn]bool
	allowed   []net.IP

	started bool
	stop    chan struct{}
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// roState is what the client knows of one running order.
type roState struct {
	desired  RunningOrder
	onDevice bool              // the device acknowledged roCreate/roReplace
	gen      uint64            // the upper connection (link.gen) that carried the last acknowledged message
	sent     string            // roCreate body of what the device acknowledged
	scripts  map[string]string // storyID -> roStorySend body the device acknowledged
}

// maxStatuses bounds the statuses kept for Statuses.
const maxStatuses = 500

// NewClient checks cfg and returns a client that is not yet connected. A
// client of a disabled config accepts every call and does nothing.
func NewClient(cfg Config, logger *slog.Logger) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.Default()
	}
	c := &Client{cfg: cfg, log: logger.With(logAttrs(cfg)...), roSem: make(chan struct{}, 1),
		ros: map[string]*roState{}, deletes: map[string]bool{}, incoming: map[*peerConn]bool{},
		stop: make(chan struct{})}
	if cfg.Enabled {
		c.lower = newLink(c, "lower", cfg.LowerPort, c.lowerUp)
		c.upper = newLink(c, "upper", cfg.UpperPort, c.upperUp)
	}
	return c, nil
}

// OnStatus sets a function called with every roElementStat and mosObj the
// device sends. Set it before Start; it runs on the connection's reader, so it
// must return quickly.
func (c *Client) OnStatus(fn func(Status)) {
	c.mu.Lock()
	c.onStatus = fn
	c.mu.Unlock()
}

// Start opens the NCS ports and starts dialling the device; it returns once
// the ports listen (an error if they cannot). The connections live until
// Close or until ctx ends.
func (c *Client) Start(ctx context.Context) error {
	if !c.cfg.Enabled {
		return nil
	}
	c.mu.Lock()
	if c.started {
		c.mu.Unlock()
		return errors.New("mos: client already started")
	}
	c.started = true
	c.mu.Unlock()
	for _, p := range []struct {
		name string
		port int
	}{{"ncs lower", c.cfg.NCSLowerPort}, {"ncs upper", c.cfg.NCSUpperPort}} {
		if p.port == 0 {
			continue
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(c.cfg.ListenHost, strconv.Itoa(p.port)))
		if err != nil {
			c.closeListeners()
			return fmt.Errorf("mos: listen on the %s port (mos.listen_host, mos.ncs_lower_port/ncs_upper_port): %w", p.name, err)
		}
		c.mu.Lock()
		c.listeners = append(c.listeners, ln)
		c.mu.Unlock()
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.accept(ln, p.name)
		}()
	}
	ctx, c.cancel = context.WithCancel(ctx)
	go func() {
		select {
		case <-ctx.Done():
			c.shutdown()
		case <-c.stop:
		}
	}()
	for _, l := range []*link{c.lower, c.upper} {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			l.run(ctx)
		}()
	}
	c.log.Info("mos: started", "ncs_id", c.cfg.NCSID, "lower", c.lower.addr, "upper", c.upper.addr,
		"ncs_lower_port", c.cfg.NCSLowerPort, "ncs_upper_port", c.cfg.NCSUpperPort)
	return nil
}

// Close stops the client: connections and NCS ports are closed, pending calls return ErrClosed.
func (c *Client) Close() error {
	if !c.cfg.Enabled {
		return nil
	}
	c.shutdown()
	c.wg.Wait()
	return nil
}

func (c *Client) shutdown() {
	c.mu.Lock()
	select {
	case <-c.stop:
		c.mu.Unlock()
		return
	default:
	}
	close(c.stop)
	cancel := c.cancel
	c.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	c.closeListeners()
	c.mu.Lock()
	for pc := range c.incoming {
		pc.close(ErrClosed)
	}
	c.mu.Unlock()
}

func (c *Client) closeListeners() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ln := range c.listeners {
		_ = ln.Close()
	}
	c.listeners = nil
}

func (c *Client) nextID() uint32 {
	for {
		id := c.msgID.Add(1)
		if id < 1<<31-1 {
			return id
		}
		c.msgID.CompareAndSwap(id, 0)
	}
}

// Connected reports whether both connections to the device are up.
func (c *Client) Connected() bool {
	if !c.cfg.Enabled {
		return false
	}
	up := func(l *link) bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.conn != nil
	}
	return up(c.lower) && up(c.upper)
}

// MachineInfo is the device's last listMachInfo (asked on every lower-port connection), or nil.
func (c *Client) MachineInfo() *MachineInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.machInfo == nil {
		return nil
	}
	mi := *c.machInfo
	return &mi
}

// RequestMachineInfo asks the device for its listMachInfo (profile 0).
func (c *Client) RequestMachineInfo(ctx context.Context) (MachineInfo, error) {
	if !c.cfg.Enabled {
		return MachineInfo{}, nil
	}
	m, err := c.lower.request(ctx, "reqMachInfo", "<reqMachInfo/>")
	if err != nil {
		return MachineInfo{}, err
	}
	if m.ListMachInfo == nil {
		return MachineInfo{}, &NACKError{Message: "reqMachInfo", Status: "answered " + m.Kind}
	}
	c.mu.Lock()
	mi := *m.ListMachInfo
	c.machInfo = &mi
	c.mu.Unlock()
	return mi, nil
}

// Heartbeat sends one heartbeat on the lower port and waits for the answer.
func (c *Client) Heartbeat(ctx context.Context) error {
	if !c.cfg.Enabled {
		return nil
	}
	_, err := c.lower.request(ctx, "heartbeat", heartbeatBody(time.Now()))
	return err
}

// Statuses returns the last roElementStat and mosObj messages received, oldest first.
func (c *Client) Statuses() []Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.statuses)
}

func (c *Client) lowerUp(ctx context.Context, _ uint64) {
	if _, err := c.RequestMachineInfo(ctx); err != nil && ctx.Err() == nil {
		c.log.Warn("mos: reqMachInfo failed", "err", err)
	}
}

// upperUp resends every current running order after the upper connection
// number gen is made, except those already sent over it.
func (c *Client) upperUp(ctx context.Context, gen uint64) {
	if err := c.acquire(ctx); err != nil {
		return
	}
	defer c.release()
	c.mu.Lock()
	ids := make([]string, 0, len(c.ros))
	for id, st := range c.ros {
		if st.onDevice && st.gen == gen {
			continue // a Sync got there first on this connection
		}
		ids = append(ids, id)
		// A device that restarted forgot everything: send it all again.
		st.onDevice, st.sent, st.scripts = false, "", map[string]string{}
	}
	deletes := make([]string, 0, len(c.deletes))
	for id := range c.deletes {
		deletes = append(deletes, id)
	}
	c.mu.Unlock()
	slices.Sort(ids)
	slices.Sort(deletes)
	for _, id := range deletes {
		if err := c.sendDelete(ctx, id); err != nil {
			c.log.Warn("mos: roDelete after reconnect failed", "ro", id, "err", err)
		}
	}
	for _, id := range ids {
		c.mu.Lock()
		st := c.ros[id]
		c.mu.Unlock()
		if st == nil {
			continue
		}
		if err := c.push(ctx, st, true); err != nil {
			c.log.Warn("mos: resending a running order after reconnect failed", "ro", id, "err", err)
			if ctx.Err() != nil {
				return
			}
		} else {
			c.log.Info("mos: running order resent after reconnect", "ro", id)
		}
	}
}

func (c *Client) acquire(ctx context.Context) error {
	select {
	case c.roSem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.stop:
		return ErrClosed
	}
}

func (c *Client) release() { <-c.roSem }

// Sync makes the device hold ro as it is now: roCreate the first time,
// roReplace when its structure changed, roStorySend for every story whose
// script changed (see the package doc). The running order is kept even when
// sending fails, and sent again once the device answers. It returns the
// first failure: an error wrapping ErrInvalid, ErrNotConnected, ErrTimeout,
// ErrNACK (*NACKError) or the context's error.
func (c *Client) Sync(ctx context.Context, ro RunningOrder) error {
	if err := ro.validate(); err != nil {
		return err
	}
	if !c.cfg.Enabled {
		return nil
	}
	ro = cloneRO(ro)
	if err := c.acquire(ctx); err != nil {
		return err
	}
	defer c.release()
	c.mu.Lock()
	st := c.ros[ro.ID]
	if st == nil {
		st = &roState{scripts: map[string]string{}}
		c.ros[ro.ID] = st
	}
	st.desired = ro
	delete(c.deletes, ro.ID)
	c.mu.Unlock()
	return c.push(ctx, st, false)
}

// push sends what the device lacks of st.desired. A refused roCreate is
// retried as roReplace, for a device that kept the running order.
func (c *Client) push(ctx context.Context, st *roState, resend bool) error {
	c.mu.Lock()
	ro := st.desired
	onDevice, sent := st.onDevice, st.sent
	c.mu.Unlock()
	mosID := c.cfg.MOSID
	body := roMessage("roCreate", ro, mosID)
	var gen uint64
	switch {
	case !onDevice:
		_, g, err := c.upper.requestGen(ctx, "roCreate", body)
		if err != nil && errors.Is(err, ErrNACK) {
			// The device may still hold this roID (the link, or the newsroom,
			// restarted; not the device): replace it instead.
			c.log.Info("mos: the device refused roCreate, sending roReplace", "ro", ro.ID, "err", err, "after_reconnect", resend)
			if _, g2, errReplace := c.upper.requestGen(ctx, "roReplace", roMessage("roReplace", ro, mosID)); errReplace == nil {
				err, g = nil, g2
			}
		}
		gen = g
		if err != nil {
			c.log.Warn("mos: roCreate failed", "ro", ro.ID, "err", err)
			return fmt.Errorf("mos: roCreate %s: %w", ro.ID, err)
		}
		c.log.Info("mos: running order created on the device", "ro", ro.ID, "stories", len(ro.Stories))
	case sent != body:
		_, g, err := c.upper.requestGen(ctx, "roReplace", roMessage("roReplace", ro, mosID))
		if err != nil {
			c.log.Warn("mos: roReplace failed", "ro", ro.ID, "err", err)
			return fmt.Errorf("mos: roReplace %s: %w", ro.ID, err)
		}
		gen = g
		c.log.Info("mos: running order replaced on the device", "ro", ro.ID, "stories", len(ro.Stories))
	}
	c.mu.Lock()
	st.onDevice, st.sent = true, body
	if gen != 0 {
		st.gen = gen
	}
	keep := map[string]bool{}
	for _, s := range ro.Stories {
		keep[s.ID] = true
	}
	for id := range st.scripts {
		if !keep[id] {
			delete(st.scripts, id)
		}
	}
	c.mu.Unlock()
	var firstErr error
	for _, s := range ro.Stories {
		b := storySendBody(ro.ID, s, mosID)
		c.mu.Lock()
		prev, known := st.scripts[s.ID]
		c.mu.Unlock()
		if prev == b || (!known && !hasScript(s)) {
			continue
		}
		if _, err := c.upper.request(ctx, "roStorySend", b); err != nil {
			c.log.Warn("mos: roStorySend failed", "ro", ro.ID, "story", s.ID, "err", err)
			if firstErr == nil {
				firstErr = fmt.Errorf("mos: roStorySend %s/%s: %w", ro.ID, s.ID, err)
			}
			if !errors.Is(err, ErrNACK) {
				break // the connection is gone; the rest waits for the next Sync or the reconnect
			}
			continue
		}
		c.mu.Lock()
		st.scripts[s.ID] = b
		c.mu.Unlock()
	}
	return firstErr
}

// Delete forgets the running order and sends roDelete. If the device does
// not acknowledge it, roDelete is sent again after the next reconnect.
func (c *Client) Delete(ctx context.Context, roID string) error {
	if err := checkElementID(roID); err != nil {
		return fmt.Errorf("%w: running order ID: %v", ErrInvalid, err)
	}
	if !c.cfg.Enabled {
		return nil
	}
	if err := c.acquire(ctx); err != nil {
		return err
	}
	defer c.release()
	c.mu.Lock()
	delete(c.ros, roID)
	c.deletes[roID] = true
	c.mu.Unlock()
	return c.sendDelete(ctx, roID)
}

func (c *Client) sendDelete(ctx context.Context, roID string) error {
	_, err := c.upper.request(ctx, "roDelete", roDeleteBody(roID))
	if err != nil && !errors.Is(err, ErrNACK) {
		c.log.Warn("mos: roDelete failed, will retry after reconnect", "ro", roID, "err", err)
		return fmt.Errorf("mos: roDelete %s: %w", roID, err)
	}
	// A NACK means the device does not hold it (any more): nothing to retry.
	c.mu.Lock()
	delete(c.deletes, roID)
	c.mu.Unlock()
	if err != nil {
		c.log.Warn("mos: the device refused roDelete", "ro", roID, "err", err)
		return fmt.Errorf("mos: roDelete %s: %w", roID, err)
	}
	c.log.Info("mos: running order deleted on the device", "ro", roID)
	return nil
}

// ReadyToAir tells the device the running order is (or is no longer) ready to air (roReadyToAir).
func (c *Client) ReadyToAir(ctx context.Context, roID string, ready bool) error {
	if err := checkElementID(roID); err != nil {
		return fmt.Errorf("%w: running order ID: %v", ErrInvalid, err)
	}
	if !c.cfg.Enabled {
		return nil
	}
	if _, err := c.upper.request(ctx, "roReadyToAir", roReadyToAirBody(roID, ready)); err != nil {
		return fmt.Errorf("mos: roReadyToAir %s: %w", roID, err)
	}
	return nil
}

func cloneRO(ro RunningOrder) RunningOrder {
	ro.Stories = slices.Clone(ro.Stories)
	for i := range ro.Stories {
		ro.Stories[i].Script = slices.Clone(ro.Stories[i].Script)
		ro.Stories[i].Items = slices.Clone(ro.Stories[i].Items)
	}
	return ro
}
