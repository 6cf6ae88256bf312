package mos

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"sync"
	"time"
)

// link is the newsroom's connection to one of the device's ports, dialled
// again with backoff whenever it drops. One request is outstanding at a time.
type link struct {
	c    *Client
	name string // lower or upper
	addr string

	sem chan struct{} // held by the request in flight

	mu   sync.Mutex
	conn *peerConn
	up   chan struct{} // closed while conn != nil
	gen  uint64        // counts connections; conn is number gen
	// onUp runs (in its own goroutine) each time the connection is made.
	onUp func(ctx context.Context, gen uint64)
}

func newLink(c *Client, name string, port int, onUp func(context.Context, uint64)) *link {
	return &link{c: c, name: name, addr: net.JoinHostPort(c.cfg.Host, strconv.Itoa(port)),
		sem: make(chan struct{}, 1), up: make(chan struct{}), onUp: onUp}
}

// current waits at most wait for a live connection and returns it with its number.
func (l *link) current(ctx context.Context, wait time.Duration) (*peerConn, uint64, error) {
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		l.mu.Lock()
		pc, up, gen := l.conn, l.up, l.gen
		l.mu.Unlock()
		if pc != nil {
			return pc, gen, nil
		}
		select {
		case <-up:
		case <-t.C:
			return nil, 0, fmt.Errorf("%w: %s port %s not reachable", ErrNotConnected, l.name, l.addr)
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-l.c.stop:
			return nil, 0, ErrClosed
		}
	}
}

// request sends one message and returns the device's answer. It waits for a
// connection and then for the answer, each at most the reply timeout.
func (l *link) request(ctx context.Context, kind, body string) (*message, error) {
	m, _, err := l.requestGen(ctx, kind, body)
	return m, err
}

// requestGen is request, also telling on which connection (see link.gen) it went.
func (l *link) requestGen(ctx context.Context, kind, body string) (*message, uint64, error) {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	case <-l.c.stop:
		return nil, 0, ErrClosed
	}
	defer func() { <-l.sem }()
	timeout := l.c.cfg.ReplyTimeout
	pc, gen, err := l.current(ctx, timeout)
	if err != nil {
		return nil, 0, err
	}
	stop, finished := make(chan struct{}), make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-ctx.Done():
			close(stop)
		case <-l.c.stop:
			close(stop)
		case <-finished:
		}
	}()
	m, err := pc.request(kind, body, timeout, stop)
	if errors.Is(err, errStopped) {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		return nil, 0, ErrClosed
	}
	if err != nil {
		return nil, 0, err
	}
	return m, gen, checkAck(kind, m)
}

// checkAck turns a refusal into a *NACKError.
func checkAck(kind string, m *message) error {
	switch {
	case m.MosAck != nil && !eqFold(m.MosAck.Status, "ACK"):
		return &NACKError{Message: kind, Status: m.MosAck.Status, Description: m.MosAck.StatusDescription}
	case m.ROAck != nil && !eqFold(m.ROAck.ROStatus, "OK") && !eqFold(m.ROAck.ROStatus, "ACK"):
		return &NACKError{Message: kind, Status: m.ROAck.ROStatus}
	case kind == "heartbeat" && m.Heartbeat == nil && m.MosAck == nil:
		return &NACKError{Message: kind, Status: "unexpected answer " + m.Kind}
	case kind == "reqMachInfo" && m.ListMachInfo == nil && m.MosAck == nil:
		return &NACKError{Message: kind, Status: "unexpected answer " + m.Kind}
	}
	return nil
}

func eqFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if 'a' <= y && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// run keeps the connection up until the client stops.
func (l *link) run(ctx context.Context) {
	log := l.c.log.With("conn", l.name, "addr", l.addr)
	backoff := l.c.cfg.ReconnectMin
	failures := 0
	for {
		d := net.Dialer{Timeout: l.c.cfg.ReplyTimeout}
		nc, err := d.DialContext(ctx, "tcp", l.addr)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			failures++
			if failures == 1 {
				log.Warn("mos: cannot reach the device, retrying with backoff", "err", err)
			} else {
				log.Debug("mos: cannot reach the device", "err", err, "attempt", failures)
			}
		} else {
			if failures > 0 {
				log.Info("mos: connected to the device", "after_attempts", failures)
			} else {
				log.Info("mos: connected to the device")
			}
			failures = 0
			if l.serve(ctx, nc) {
				backoff = l.c.cfg.ReconnectMin
			}
			if ctx.Err() != nil {
				return
			}
		}
		// Full jitter over the upper half keeps several newsroom processes from dialling in step.
		wait := backoff/2 + rand.N(backoff/2+1)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return
		}
		backoff = min(2*backoff, l.c.cfg.ReconnectMax)
	}
}

// serve runs one connection: reader, heartbeats, the onUp hook. It returns
// when the connection is gone, reporting whether the device ever answered.
func (l *link) serve(ctx context.Context, nc net.Conn) (answered bool) {
	pc := newPeerConn(l.c, nc, l.name)
	go pc.readLoop(0)
	l.mu.Lock()
	l.conn = pc
	l.gen++
	gen := l.gen
	close(l.up)
	l.mu.Unlock()
	defer func() {
		pc.close(errors.New("link down"))
		<-pc.done
		l.mu.Lock()
		l.conn = nil
		l.up = make(chan struct{})
		l.mu.Unlock()
	}()
	if l.onUp != nil {
		l.c.wg.Add(1)
		go func() {
			defer l.c.wg.Done()
			l.onUp(ctx, gen)
		}()
	}
	tick := time.NewTicker(l.c.cfg.HeartbeatInterval)
	defer tick.Stop()
	nackLogged := false
	for {
		_, err := l.request(ctx, "heartbeat", heartbeatBody(time.Now()))
		switch {
		case err == nil:
			answered = true
		case errors.Is(err, ErrNACK):
			answered = true
			if !nackLogged {
				nackLogged = true
				l.c.log.Warn("mos: the device refuses our heartbeat: check mos.mos_id and mos.ncs_id against the device's configuration", "conn", l.name, "err", err)
			}
		default:
			// Timeouts have reset the connection already; the reader's end closes pc.done.
			if ctx.Err() == nil {
				l.c.log.Warn("mos: heartbeat failed", "conn", l.name, "err", err)
			}
			pc.close(err)
		}
		select {
		case <-pc.done:
			return answered
		case <-ctx.Done():
			return answered
		case <-tick.C:
		}
	}
}
