package mos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsroom-vn/newsroom/internal/broadcast/mos/mosdevice"
	"github.com/newsroom-vn/newsroom/internal/testutil/testenv"
)

// These tests drive a real MOS device: @mos-connection/connector 4.1.1
// (testdata/mos-device/device.js) under Node.js, and check what it received.

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return discardLogger()
}

// setup is one test's ports and IDs.
type setup struct {
	mosLower, mosUpper, mosQuery int
	ncsLower, ncsUpper           int
	mosID, ncsID                 string
}

func newSetup(t *testing.T) setup {
	p := mosdevice.FreePorts(t)
	return setup{mosLower: p.MOSLower, mosUpper: p.MOSUpper, mosQuery: p.MOSQuery, ncsLower: p.NCSLower, ncsUpper: p.NCSUpper, mosID: "PROMPTER.MOS", ncsID: "NEWSROOM"}
}

func (s setup) config() Config {
	c := DefaultConfig()
	c.Enabled, c.Host, c.LowerPort, c.UpperPort = true, "127.0.0.1", s.mosLower, s.mosUpper
	c.MOSID, c.NCSID = s.mosID, s.ncsID
	c.ListenHost, c.NCSLowerPort, c.NCSUpperPort = "127.0.0.1", s.ncsLower, s.ncsUpper
	c.HeartbeatInterval, c.ReplyTimeout = 500*time.Millisecond, 3*time.Second
	c.ReconnectMin, c.ReconnectMax = 50*time.Millisecond, 400*time.Millisecond
	return c
}

// startDevice runs the real device (mosdevice) on the setup's ports as mosID.
func startDevice(t *testing.T, s setup, mosID string) *mosdevice.Device {
	t.Helper()
	return mosdevice.Start(t, mosdevice.Ports{MOSLower: s.mosLower, MOSUpper: s.mosUpper, MOSQuery: s.mosQuery,
		NCSLower: s.ncsLower, NCSUpper: s.ncsUpper}, mosID, s.ncsID)
}

// waitConnected waits until the device's connections to the NCS ports carry
// answered heartbeats: before that the library refuses to send anything.
func waitConnected(t *testing.T, d *mosdevice.Device) {
	t.Helper()
	testenv.Eventually(t, 15*time.Second, "the device to see the NCS connected", func() bool {
		evs := d.Events("connectionChange")
		return len(evs) > 0 && decode[struct{ PrimaryConnected bool }](t, evs[len(evs)-1]).PrimaryConnected
	})
}

// Shapes of the device's JSON (the library's parsed objects, made plain by device.js).
type loggedRO struct {
	ID                string  `json:"ID"`
	Slug              string  `json:"Slug"`
	EditorialStart    int64   `json:"EditorialStart"`
	EditorialDuration float64 `json:"EditorialDuration"`
	Stories           []struct {
		ID    string `json:"ID"`
		Slug  string `json:"Slug"`
		Items []struct {
			ID                string  `json:"ID"`
			ObjectID          string  `json:"ObjectID"`
			MOSID             string  `json:"MOSID"`
			EditorialDuration float64 `json:"EditorialDuration"`
		} `json:"Items"`
	} `json:"Stories"`
}

func (r loggedRO) storyIDs() []string {
	var ids []string
	for _, s := range r.Stories {
		ids = append(ids, s.ID)
	}
	return ids
}

type loggedStory struct {
	ID             string `json:"ID"`
	RunningOrderId string `json:"RunningOrderId"`
	Body           []struct {
		Type    string          `json:"Type"`
		Content json.RawMessage `json:"Content"`
	} `json:"Body"`
}

// paragraphs are the texts of the <p> elements, in order.
func (s loggedStory) paragraphs() []string {
	var ps []string
	for _, b := range s.Body {
		if b.Type != "p" {
			continue
		}
		var c struct {
			Text any `json:"text"`
		}
		_ = json.Unmarshal(b.Content, &c)
		ps = append(ps, fmt.Sprint(c.Text))
	}
	return ps
}

func decode[T any](t *testing.T, e mosdevice.Event) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(e.Data, &v); err != nil {
		t.Fatalf("device event %s: %v: %s", e.Type, err, e.Data)
	}
	return v
}

func startClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := NewClient(cfg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

func newsRO() RunningOrder {
	return RunningOrder{
		ID: "ro-thoisu-toi", Slug: "Thời sự tối 25/11/2026",
		EditorialStart:    time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		EditorialDuration: 30 * time.Minute,
		Stories: []Story{
			{ID: "st-a", Slug: "Đường về Hưng Yên", Presenter: "Thu Hà",
				Script: []string{"Kính chào quý vị.", "Đường về Hưng Yên hôm nay đã thông xe."},
				Items:  []Item{{ID: "it-1", ObjID: "clip-hungyen", Slug: "VO cầu mới", Duration: 40 * time.Second}}},
			{ID: "st-b", Slug: "Giá lúa tăng", Script: []string{"Giá lúa tại Đồng Tháp tăng mạnh.", "Nông dân phấn khởi."}},
			{ID: "st-c", Slug: "Thời tiết"},
		},
	}
}

func TestProfile0HeartbeatAndMachineInfo(t *testing.T) {
	s := newSetup(t)
	d := startDevice(t, s, s.mosID)
	c := startClient(t, s.config())

	if err := c.Heartbeat(ctxTimeout(t, 10*time.Second)); err != nil {
		t.Fatalf("heartbeat: %v", err)
	}
	mi, err := c.RequestMachineInfo(ctxTimeout(t, 10*time.Second))
	if err != nil {
		t.Fatalf("reqMachInfo: %v", err)
	}
	if mi.Model != "newsroom test device" || mi.MOSRev != "2.8.5" || mi.ID != s.mosID {
		t.Fatalf("listMachInfo = %+v", mi)
	}
	d.WaitN("reqMachInfo", 1)
	var heartbeats int
	for _, e := range d.Events("raw") {
		x := decode[struct{ XML string }](t, e).XML
		if strings.Contains(x, "<heartbeat>") && strings.Contains(x, "<mosID>PROMPTER.MOS</mosID>") && strings.Contains(x, "<ncsID>NEWSROOM</ncsID>") {
			heartbeats++
		}
	}
	if heartbeats == 0 {
		t.Fatal("the device logged no heartbeat with our mosID/ncsID")
	}
	// The device's own connections to the NCS ports get their heartbeats answered.
	waitConnected(t, d)
	if !c.Connected() {
		t.Fatal("Connected() = false with a device answering")
	}
}

func TestRunningOrderLifecycle(t *testing.T) {
	s := newSetup(t)
	d := startDevice(t, s, s.mosID)
	c := startClient(t, s.config())
	var mu sync.Mutex
	var seen []Status
	c.OnStatus(func(st Status) { mu.Lock(); seen = append(seen, st); mu.Unlock() })
	ctx := ctxTimeout(t, 60*time.Second)
	ro := newsRO()

	// Create: three stories in order, then the scripts of the two that have one.
	if err := c.Sync(ctx, ro); err != nil {
		t.Fatalf("Sync (create): %v", err)
	}
	created := decode[loggedRO](t, d.WaitN("roCreate", 1)[0])
	if created.ID != ro.ID || created.Slug != ro.Slug || !slices.Equal(created.storyIDs(), []string{"st-a", "st-b", "st-c"}) {
		t.Fatalf("roCreate logged %+v", created)
	}
	if created.EditorialStart != ro.EditorialStart.UnixMilli() || created.EditorialDuration != 1800 {
		t.Fatalf("roCreate times: start %d duration %v", created.EditorialStart, created.EditorialDuration)
	}
	if it := created.Stories[0].Items; len(it) != 1 || it[0].ObjectID != "clip-hungyen" || it[0].MOSID != s.mosID || it[0].EditorialDuration != 2000 {
		t.Fatalf("roCreate item: %+v", it)
	}
	if created.Stories[0].Slug != "Đường về Hưng Yên" {
		t.Fatalf("story slug = %q", created.Stories[0].Slug)
	}
	sends := d.WaitN("roStorySend", 2)
	first := decode[loggedStory](t, sends[0])
	if first.ID != "st-a" || first.RunningOrderId != ro.ID || !slices.Equal(first.paragraphs(), ro.Stories[0].Script) {
		t.Fatalf("roStorySend logged %+v (paragraphs %q)", first, first.paragraphs())
	}
	if second := decode[loggedStory](t, sends[1]); second.ID != "st-b" || !slices.Equal(second.paragraphs(), ro.Stories[1].Script) {
		t.Fatalf("second roStorySend: %+v", second)
	}

	// Sync again unchanged: nothing is sent.
	if err := c.Sync(ctx, ro); err != nil {
		t.Fatal(err)
	}

	// Reorder: roReplace with the new order, no script resent.
	ro.Stories = []Story{ro.Stories[2], ro.Stories[0], ro.Stories[1]}
	if err := c.Sync(ctx, ro); err != nil {
		t.Fatalf("Sync (reorder): %v", err)
	}
	replaced := decode[loggedRO](t, d.WaitN("roReplace", 1)[0])
	if !slices.Equal(replaced.storyIDs(), []string{"st-c", "st-a", "st-b"}) {
		t.Fatalf("roReplace order %v", replaced.storyIDs())
	}

	// Script edit: roStorySend with the new text only, no roReplace.
	ro.Stories[2].Script = []string{"Giá lúa tại Đồng Tháp tăng mạnh, đạt 8.500 đồng/kg.", "Người trồng lúa ở Tháp Mười phấn khởi."}
	if err := c.Sync(ctx, ro); err != nil {
		t.Fatalf("Sync (script): %v", err)
	}
	sends = d.WaitN("roStorySend", 3)
	edited := decode[loggedStory](t, sends[2])
	if edited.ID != "st-b" || !slices.Equal(edited.paragraphs(), ro.Stories[2].Script) {
		t.Fatalf("roStorySend after edit: %s %q; device log: %v", edited.ID, edited.paragraphs(), d.Types())
	}
	// The raw XML the device read carries the same Vietnamese text (UTF-16BE intact).
	found := false
	for _, e := range d.Events("raw") {
		if strings.Contains(decode[struct{ XML string }](t, e).XML, "<p>Người trồng lúa ở Tháp Mười phấn khởi.</p>") {
			found = true
		}
	}
	if !found {
		t.Fatal("the device's raw log lacks the edited paragraph")
	}
	if n := len(d.Events("roReplace")); n != 1 {
		t.Fatalf("%d roReplace after a script-only edit, want 1", n)
	}
	if n := len(d.Events("roCreate")); n != 1 {
		t.Fatalf("%d roCreate, want 1", n)
	}

	// The device reports a story playing and a new object; asks for the running order.
	waitConnected(t, d)
	d.Command(map[string]any{"cmd": "storyStatus", "roID": ro.ID, "storyID": "st-a", "status": "PLAY"})
	d.Command(map[string]any{"cmd": "mosObj", "objID": "clip-moi", "slug": "Cầu mới Hưng Yên", "status": "READY"})
	d.Command(map[string]any{"cmd": "roReq", "roID": ro.ID})
	t.Cleanup(func() {
		if t.Failed() {
			for _, e := range d.Events("") {
				if e.Type == "reply" || e.Type == "error" || e.Type == "libError" || e.Type == "libWarning" {
					t.Logf("device %s: %s", e.Type, e.Data)
				}
			}
		}
	})
	testenv.Eventually(t, 15*time.Second, "the device's status and object", func() bool {
		mu.Lock()
		defer mu.Unlock()
		var play, obj bool
		for _, st := range seen {
			play = play || (st.Message == "roElementStat" && st.Element == "STORY" && st.ROID == ro.ID && st.StoryID == "st-a" && st.Status == "PLAY")
			obj = obj || (st.Message == "mosObj" && st.ObjID == "clip-moi" && st.ObjSlug == "Cầu mới Hưng Yên" && st.Status == "READY")
		}
		return play && obj
	})
	if len(c.Statuses()) < 2 {
		t.Fatalf("Statuses() = %v", c.Statuses())
	}
	replies := d.WaitN("reply", 3)
	var gotList bool
	for _, e := range replies {
		r := decode[struct {
			Cmd   string
			Reply json.RawMessage
		}](t, e)
		if r.Cmd == "roReq" {
			list := decode[loggedRO](t, mosdevice.Event{Data: r.Reply})
			gotList = slices.Equal(list.storyIDs(), []string{"st-c", "st-a", "st-b"})
		}
	}
	if !gotList {
		t.Fatalf("roReq answer missing or wrong: %v", d.Events("reply"))
	}
	if errs := d.Events("error"); len(errs) > 0 {
		t.Fatalf("device command errors: %s", errs[0].Data)
	}

	if err := c.ReadyToAir(ctx, ro.ID, true); err != nil {
		t.Fatalf("ReadyToAir: %v", err)
	}
	d.WaitN("roReadyToAir", 1)

	// Delete.
	if err := c.Delete(ctx, ro.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	del := d.WaitN("roDelete", 1)[0]
	if got := decode[struct{ RoID string }](t, del).RoID; got != ro.ID {
		t.Fatalf("roDelete of %q", got)
	}
}

func TestReconnectResendsRunningOrder(t *testing.T) {
	s := newSetup(t)
	d := startDevice(t, s, s.mosID)
	cfg := s.config()
	cfg.ReplyTimeout = time.Second
	c := startClient(t, cfg)
	ctx := ctxTimeout(t, 60*time.Second)
	ro := newsRO()
	if err := c.Sync(ctx, ro); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	d.WaitN("roCreate", 1)

	d.Stop()
	testenv.Eventually(t, 15*time.Second, "the client to notice the device is gone", func() bool { return !c.Connected() })
	// Changes made while the device is down are kept and reported.
	ro.Stories = ro.Stories[1:]
	ro.Stories[0].Script = []string{"Tin cập nhật khi máy nhắc chữ đang tắt.", "Đoạn hai."}
	start := time.Now()
	err := c.Sync(ctx, ro)
	if !errors.Is(err, ErrNotConnected) {
		t.Fatalf("Sync with the device down = %v, want ErrNotConnected", err)
	}
	if el := time.Since(start); el > 3*cfg.ReplyTimeout {
		t.Fatalf("Sync with the device down took %s", el)
	}

	d2 := startDevice(t, s, s.mosID)
	created := decode[loggedRO](t, d2.WaitN("roCreate", 1)[0])
	if created.ID != ro.ID || !slices.Equal(created.storyIDs(), []string{"st-b", "st-c"}) {
		t.Fatalf("after restart the device got %+v", created)
	}
	story := decode[loggedStory](t, d2.WaitN("roStorySend", 1)[0])
	if story.ID != "st-b" || !slices.Equal(story.paragraphs(), ro.Stories[0].Script) {
		t.Fatalf("after restart roStorySend %+v", story)
	}
	// And the client works normally again.
	if err := c.Delete(ctx, ro.ID); err != nil {
		t.Fatalf("Delete after reconnect: %v", err)
	}
	d2.WaitN("roDelete", 1)
}

func TestWrongMOSIDIsRefused(t *testing.T) {
	s := newSetup(t)
	d := startDevice(t, s, "OTHER.MOS")
	c := startClient(t, s.config())
	err := c.Sync(ctxTimeout(t, 20*time.Second), newsRO())
	var ne *NACKError
	if !errors.Is(err, ErrNACK) || !errors.As(err, &ne) {
		t.Fatalf("Sync to a device with another mosID = %v, want a NACK", err)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(d.Events("roCreate")) + len(d.Events("roReplace")); n != 0 {
		t.Fatalf("the device took %d running orders despite the mosID", n)
	}
}

// badPeer listens where the device should be and misbehaves: it never answers
// (silent) or answers anything with malformed XML.
type badPeer struct {
	lns      []net.Listener
	mu       sync.Mutex
	accepted int
	conns    []net.Conn
}

func startBadPeer(t *testing.T, s setup, malformed bool) *badPeer {
	t.Helper()
	b := &badPeer{}
	for _, port := range []int{s.mosLower, s.mosUpper} {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatal(err)
		}
		b.lns = append(b.lns, ln)
		go func() {
			for {
				nc, err := ln.Accept()
				if err != nil {
					return
				}
				b.mu.Lock()
				b.accepted++
				b.conns = append(b.conns, nc)
				b.mu.Unlock()
				go func() {
					buf := make([]byte, 4096)
					for {
						if _, err := nc.Read(buf); err != nil {
							return
						}
						if malformed {
							_, _ = nc.Write(encodeUTF16BE("<mos><mosID>PROMPTER.MOS</mos><roAck>"))
						}
					}
				}()
			}
		}()
	}
	t.Cleanup(b.close)
	return b
}

func (b *badPeer) close() {
	for _, ln := range b.lns {
		ln.Close()
	}
	b.mu.Lock()
	for _, c := range b.conns {
		c.Close()
	}
	b.mu.Unlock()
}

func (b *badPeer) count() int { b.mu.Lock(); defer b.mu.Unlock(); return b.accepted }

func TestBadDeviceTimesOutAndRecovers(t *testing.T) {
	for _, malformed := range []bool{false, true} {
		t.Run(map[bool]string{false: "silent", true: "malformed"}[malformed], func(t *testing.T) {
			s := newSetup(t)
			cfg := s.config()
			cfg.ReplyTimeout = 700 * time.Millisecond
			cfg.HeartbeatInterval = 5 * time.Second
			bad := startBadPeer(t, s, malformed)
			c := startClient(t, cfg)
			ctx := ctxTimeout(t, 60*time.Second)

			start := time.Now()
			err := c.Sync(ctx, newsRO())
			if err == nil {
				t.Fatal("Sync to a bad device succeeded")
			}
			// A silent device times the message out; if the lower port's own
			// unanswered request reset the link first, the send finds it closed.
			// Either way the caller gets an error in bounded time.
			if !errors.Is(err, ErrNotConnected) && !errors.Is(err, ErrTimeout) {
				t.Fatalf("Sync = %v, want ErrTimeout or ErrNotConnected", err)
			}
			if el := time.Since(start); el > 3*cfg.ReplyTimeout+time.Second {
				t.Fatalf("Sync took %s with a reply timeout of %s", el, cfg.ReplyTimeout)
			}
			// The connection was reset and dialled again.
			testenv.Eventually(t, 15*time.Second, "a new connection after the reset", func() bool { return bad.count() >= 3 })

			// The real device takes the place: the client recovers and sends the running order.
			bad.close()
			d := startDevice(t, s, s.mosID)
			created := decode[loggedRO](t, d.WaitN("roCreate", 1)[0])
			if created.ID != newsRO().ID {
				t.Fatalf("after recovery roCreate %+v", created)
			}
			if err := c.Sync(ctx, newsRO()); err != nil {
				t.Fatalf("Sync after recovery: %v", err)
			}
		})
	}
}

// The NCS ports survive garbage and strangers, and refuse other IDs.
func TestNCSListenerRobust(t *testing.T) {
	s := newSetup(t)
	cfg := s.config()
	c := startClient(t, cfg) // no device: only the NCS ports matter here

	dial := func() net.Conn {
		nc, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.ncsLower))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { nc.Close() })
		_ = nc.SetDeadline(time.Now().Add(5 * time.Second))
		return nc
	}
	// Malformed data: the connection is closed.
	nc := dial()
	_, _ = nc.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	if _, err := io.ReadAll(nc); err != nil {
		t.Fatalf("garbage connection: %v", err)
	}
	// Heartbeat with our IDs: answered with the same messageID.
	nc = dial()
	_, _ = nc.Write(encodeUTF16BE(envelope(s.mosID, s.ncsID, 42, heartbeatBody(time.Now()))))
	m, err := decodeNext(nc)
	if err != nil || m.Kind != "heartbeat" || m.MessageID != "42" {
		t.Fatalf("heartbeat answer %+v, %v", m, err)
	}
	// roElementStat with other IDs: NACK, not recorded.
	_, _ = nc.Write(encodeUTF16BE(envelope("OTHER", s.ncsID, 43, `<roElementStat element="RO"><roID>r</roID><status>PLAY</status></roElementStat>`)))
	m, err = decodeNext(nc)
	if err != nil || m.MosAck == nil || m.MosAck.Status != "NACK" || m.MessageID != "43" {
		t.Fatalf("foreign roElementStat answer %+v, %v", m, err)
	}
	// A message this NCS does not know: NACK naming it.
	_, _ = nc.Write(encodeUTF16BE(envelope(s.mosID, s.ncsID, 44, `<roFrobnicate/>`)))
	m, err = decodeNext(nc)
	if err != nil || m.MosAck == nil || !strings.Contains(m.MosAck.StatusDescription, "roFrobnicate") {
		t.Fatalf("unknown message answer %+v, %v", m, err)
	}
	// reqMachInfo: the newsroom describes itself as an NCS.
	_, _ = nc.Write(encodeUTF16BE(envelope(s.mosID, s.ncsID, 45, `<reqMachInfo/>`)))
	m, err = decodeNext(nc)
	if err != nil || m.ListMachInfo == nil || m.ListMachInfo.ID != s.ncsID || m.ListMachInfo.MOSRev != "2.8.5" {
		t.Fatalf("reqMachInfo answer %+v, %v", m, err)
	}
	if len(c.Statuses()) != 0 {
		t.Fatalf("recorded %v from a foreign mosID", c.Statuses())
	}
}

func decodeNext(r io.Reader) (*message, error) {
	text, err := newFramer(r).next()
	if err != nil {
		return nil, err
	}
	return decodeMessage(text)
}
