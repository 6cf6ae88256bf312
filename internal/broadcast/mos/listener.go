package mos

import (
	"context"
	"errors"
	"net"
	"slices"
	"sort"
	"time"
)

// accept serves the connections the device opens to the NCS ports.
func (c *Client) accept(ln net.Listener, name string) {
	for {
		nc, err := ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				c.log.Warn("mos: accept failed", "port", name, "err", err)
			}
			return
		}
		if !c.fromDevice(nc.RemoteAddr()) {
			c.log.Warn("mos: refused a connection that does not come from the MOS device (mos.host)", "port", name, "remote", nc.RemoteAddr().String())
			_ = nc.Close()
			continue
		}
		pc := newPeerConn(c, nc, name)
		c.mu.Lock()
		select {
		case <-c.stop:
			c.mu.Unlock()
			_ = nc.Close()
			return
		default:
		}
		c.incoming[pc] = true
		c.mu.Unlock()
		c.log.Info("mos: the device connected to the NCS port", "port", name, "remote", nc.RemoteAddr().String())
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			// A device heartbeats far more often than this; silence this long is a dead peer.
			pc.readLoop(max(5*time.Minute, 5*c.cfg.HeartbeatInterval))
			c.mu.Lock()
			delete(c.incoming, pc)
			c.mu.Unlock()
		}()
	}
}

// fromDevice accepts connections from the addresses of Config.Host only.
func (c *Client) fromDevice(addr net.Addr) bool {
	ta, ok := addr.(*net.TCPAddr)
	if !ok {
		return false
	}
	if ip := net.ParseIP(c.cfg.Host); ip != nil {
		return ip.Equal(ta.IP)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, c.cfg.Host)
	if err != nil {
		c.log.Warn("mos: cannot resolve mos.host to check a connection", "err", err)
		return false
	}
	return slices.ContainsFunc(ips, func(ip net.IPAddr) bool { return ip.IP.Equal(ta.IP) })
}

// handle answers a message the device sent of its own accord (on any
// connection). It returns the body of the answer, or "" for none.
func (c *Client) handle(p *peerConn, m *message) string {
	log := c.log.With("conn", p.name, "message", m.Kind)
	if m.MosID != c.cfg.MOSID || m.NCSID != c.cfg.NCSID {
		if !p.warnedIDs {
			p.warnedIDs = true // once per connection: a misconfigured device repeats itself
			log.Warn("mos: messages with another mosID/ncsID refused: check mos.mos_id and mos.ncs_id against the device's configuration",
				"their_mos_id", m.MosID, "their_ncs_id", m.NCSID)
		}
		if m.Kind == "roAck" || m.Kind == "mosAck" {
			return ""
		}
		return mosAckBody("0", "0", "NACK", "mosID/ncsID do not match this NCS's configuration")
	}
	now := time.Now()
	if (m.Kind == "roElementStat" && m.ROElementStat == nil) || (m.Kind == "mosObj" && m.MosObj == nil) ||
		(m.Kind == "mosListAll" && m.MosListAll == nil) || (m.Kind == "roReq" && m.ROReq == nil) {
		return mosAckBody("0", "0", "NACK", "cannot read "+m.Kind)
	}
	switch m.Kind {
	case "heartbeat":
		return heartbeatBody(now)
	case "reqMachInfo":
		return ncsMachInfoBody(c.cfg.NCSID, now)
	case "roElementStat":
		e := m.ROElementStat
		c.record(Status{Message: "roElementStat", Element: e.Element, ROID: e.ROID, StoryID: e.StoryID, ItemID: e.ItemID,
			ObjID: e.ObjID, Channel: e.ItemChannel, Status: e.Status, DeviceTime: e.Time, Received: now})
		log.Debug("mos: status from the device", "element", e.Element, "ro", e.ROID, "story", e.StoryID, "status", e.Status)
		return roAckBody(e.ROID, "OK")
	case "mosObj":
		c.recordObj(*m.MosObj, now)
		return mosAckBody(m.MosObj.ObjID, "0", "ACK", "")
	case "mosListAll":
		for _, o := range m.MosListAll.Objs {
			c.recordObj(o, now)
		}
		return mosAckBody("0", "0", "ACK", "")
	case "roReq":
		id := m.ROReq.ROID
		c.mu.Lock()
		st := c.ros[id]
		var ro RunningOrder
		if st != nil {
			ro = st.desired
		}
		c.mu.Unlock()
		if st == nil {
			return roAckBody(id, "NACK unknown running order")
		}
		return roMessage("roList", ro, c.cfg.MOSID)
	case "roReqAll":
		c.mu.Lock()
		ros := make([]RunningOrder, 0, len(c.ros))
		for _, st := range c.ros {
			ros = append(ros, st.desired)
		}
		c.mu.Unlock()
		sort.Slice(ros, func(i, j int) bool { return ros[i].ID < ros[j].ID })
		return roListAllBody(ros)
	case "roAck", "mosAck", "listMachInfo":
		// An answer nobody waits for any more (it came after the reply timeout).
		log.Debug("mos: late or unexpected answer ignored", "message_id", m.MessageID)
		return ""
	default:
		log.Warn("mos: unsupported message from the device")
		return mosAckBody("0", "0", "NACK", "unsupported message "+m.Kind)
	}
}

func (c *Client) recordObj(o xmlMosObj, now time.Time) {
	dt := o.Changed
	if dt == "" {
		dt = o.Created
	}
	c.record(Status{Message: "mosObj", ObjID: o.ObjID, Status: o.Status, ObjSlug: o.ObjSlug, ObjType: o.ObjType,
		ObjDur: o.ObjDur, ObjTB: o.ObjTB, DeviceTime: dt, Received: now})
}

func (c *Client) record(s Status) {
	c.mu.Lock()
	c.statuses = append(c.statuses, s)
	if len(c.statuses) > maxStatuses {
		c.statuses = slices.Delete(c.statuses, 0, len(c.statuses)-maxStatuses)
	}
	fn := c.onStatus
	c.mu.Unlock()
	if fn != nil {
		defer func() {
			if r := recover(); r != nil {
				c.log.Error("mos: OnStatus panicked", "panic", r)
			}
		}()
		fn(s)
	}
}
