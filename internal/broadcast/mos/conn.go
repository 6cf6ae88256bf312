package mos

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"
)

// peerConn is one TCP connection to or from the device. Its reader hands
// answers to the request waiting for them and every other message to the
// client's handler, whose answer it writes back with the same messageID.
type peerConn struct {
	nc   net.Conn
	name string // "lower", "upper", "ncs lower", "ncs upper"
	c    *Client

	writeMu sync.Mutex

	warnedIDs bool // only touched by the reader goroutine

	mu      sync.Mutex
	waitID  string        // messageID of the outstanding request ("" = none)
	waitFor string        // its message kind
	replies chan *message // the answer to it

	done     chan struct{} // closed when the reader stops
	closeErr error
	once     sync.Once
}

func newPeerConn(c *Client, nc net.Conn, name string) *peerConn {
	return &peerConn{nc: nc, name: name, c: c, replies: make(chan *message, 1), done: make(chan struct{})}
}

// send writes one whole message in one write: MOS peers decode each read on its own.
func (p *peerConn) send(messageID uint32, body string) error {
	return p.sendRaw(envelope(p.c.cfg.MOSID, p.c.cfg.NCSID, messageID, body))
}

func (p *peerConn) sendRaw(text string) error {
	b := encodeUTF16BE(text)
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	_ = p.nc.SetWriteDeadline(time.Now().Add(p.c.cfg.ReplyTimeout))
	_, err := p.nc.Write(b)
	return err
}

// reply answers a message from the device, echoing its messageID.
func (p *peerConn) reply(m *message, body string) error {
	var w xmlWriter
	w.WriteString("<mos>")
	w.el("mosID", p.c.cfg.MOSID)
	w.el("ncsID", p.c.cfg.NCSID)
	w.el("messageID", m.MessageID)
	w.WriteString(body)
	w.WriteString("</mos>")
	return p.sendRaw(w.String())
}

// expect arms the connection for the answer to messageID.
func (p *peerConn) expect(messageID, kind string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waitID, p.waitFor = messageID, kind
	select { // drop a late answer to an earlier request
	case <-p.replies:
	default:
	}
}

func (p *peerConn) disarm() {
	p.mu.Lock()
	p.waitID, p.waitFor = "", ""
	p.mu.Unlock()
}

// isAnswer tells whether m answers the outstanding request, and disarms it if so.
func (p *peerConn) isAnswer(m *message) bool {
	switch m.Kind {
	case "roAck", "mosAck", "heartbeat", "listMachInfo":
	default:
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.waitID == "" {
		return false
	}
	match := m.MessageID == p.waitID
	// MOS 2.8 peers may leave messageID out of heartbeat and listMachInfo answers.
	if m.MessageID == "" && ((p.waitFor == "heartbeat" && m.Kind == "heartbeat") || (p.waitFor == "reqMachInfo" && m.Kind == "listMachInfo")) {
		match = true
	}
	// A mosAck without messageID is how some devices NACK what they cannot route.
	if m.MessageID == "" && m.Kind == "mosAck" {
		match = true
	}
	if !match {
		return false
	}
	p.waitID, p.waitFor = "", ""
	select {
	case p.replies <- m:
	default:
	}
	return true
}

// close resets the connection; the first reason given is kept.
func (p *peerConn) close(reason error) {
	p.once.Do(func() {
		p.closeErr = reason
		_ = p.nc.Close()
	})
}

// readLoop runs until the connection fails; malformed data resets it.
func (p *peerConn) readLoop(idle time.Duration) {
	defer close(p.done)
	log := p.c.log.With("conn", p.name, "remote", p.nc.RemoteAddr().String())
	f := newFramer(p.nc)
	for {
		if idle > 0 {
			_ = p.nc.SetReadDeadline(time.Now().Add(idle))
		}
		text, err := f.next()
		if err != nil {
			switch {
			case errors.Is(err, errMalformed):
				log.Warn("mos: malformed data from the device, resetting the connection", "err", err)
			case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
				log.Debug("mos: connection closed", "err", err)
			default:
				log.Warn("mos: connection lost", "err", err)
			}
			p.close(err)
			return
		}
		m, err := decodeMessage(text)
		if err != nil {
			log.Warn("mos: malformed message from the device, resetting the connection", "err", err, "message", clip(text, 300))
			p.close(err)
			return
		}
		if p.isAnswer(m) {
			continue
		}
		body := p.c.handle(p, m)
		if body == "" {
			continue
		}
		if err := p.reply(m, body); err != nil {
			log.Warn("mos: cannot answer the device", "message", m.Kind, "err", err)
			p.close(err)
			return
		}
	}
}

// request sends body and waits for its answer at most timeout. A timeout resets the connection.
func (p *peerConn) request(kind, body string, timeout time.Duration, stop <-chan struct{}) (*message, error) {
	id := p.c.nextID()
	p.expect(fmt.Sprint(id), kind)
	if err := p.send(id, body); err != nil {
		p.disarm()
		p.close(err)
		return nil, fmt.Errorf("%w: sending %s: %v", ErrNotConnected, kind, err)
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case m := <-p.replies:
		return m, nil
	case <-p.done:
		p.disarm()
		return nil, fmt.Errorf("%w: connection lost waiting for the answer to %s", ErrNotConnected, kind)
	case <-t.C:
		p.disarm()
		err := fmt.Errorf("%w to %s within %s", ErrTimeout, kind, timeout)
		p.c.log.Warn("mos: the device did not answer, resetting the connection", "conn", p.name, "message", kind, "timeout", timeout)
		p.close(err)
		return nil, err
	case <-stop:
		p.disarm()
		return nil, errStopped
	}
}

var errStopped = errors.New("mos: request abandoned")

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// logAttrs is the common context of the client's log lines.
func logAttrs(cfg Config) []any {
	return []any{slog.String("component", "mos"), slog.String("device", net.JoinHostPort(cfg.Host, fmt.Sprint(cfg.UpperPort))), slog.String("mos_id", cfg.MOSID)}
}
