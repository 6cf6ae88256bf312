package mos

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf16"
)

func TestEncodeUTF16BE(t *testing.T) {
	got := encodeUTF16BE("Aà𝄞")
	want := []byte{0x00, 'A', 0x00, 0xE0, 0xD8, 0x34, 0xDD, 0x1E}
	if !bytes.Equal(got, want) {
		t.Fatalf("encodeUTF16BE = % x, want % x", got, want)
	}
}

// A stream cut anywhere (even inside a code unit) still yields the messages.
func TestFramerSplitsAndJoins(t *testing.T) {
	a := envelope("M", "N", 1, heartbeatBody(time.Unix(0, 0)))
	b := envelope("M", "N", 2, "<roAck><roID>Thời sự tối</roID><roStatus>OK</roStatus></roAck>")
	stream := append(encodeUTF16BE("\uFEFF<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"+a+"\r\n"), encodeUTF16BE(b)...)
	f := newFramer(iotest.OneByteReader(bytes.NewReader(stream)))
	for i, want := range []string{a, b} {
		got, err := f.next()
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if got != want {
			t.Fatalf("message %d = %q, want %q", i, got, want)
		}
	}
	if _, err := f.next(); !errors.Is(err, io.EOF) {
		t.Fatalf("after the last message: %v, want EOF", err)
	}
}

func TestFramerRefusesGarbage(t *testing.T) {
	for name, data := range map[string][]byte{
		"utf-8 text":        []byte("<mos><mosID>x</mosID></mos>"),
		"junk before <mos>": encodeUTF16BE("hello <mos></mos>"),
		"endless prolog":    encodeUTF16BE("<?" + strings.Repeat("x", 2000)),
	} {
		_, err := newFramer(bytes.NewReader(data)).next()
		if !errors.Is(err, errMalformed) {
			t.Errorf("%s: err = %v, want errMalformed", name, err)
		}
	}
}

// The answers as @mos-connection/connector 4.1.1 writes them (pretty-printed, ncsID first).
func TestDecodeLibraryAnswers(t *testing.T) {
	roAck := "<mos>\n  <ncsID>NEWSROOM</ncsID>\n  <mosID>PROMPTER.MOS</mosID>\n  <messageID>7</messageID>\n  <roAck>\n    <roID>ro-1</roID>\n    <roStatus>OK</roStatus>\n  </roAck>\n</mos>"
	m, err := decodeMessage(roAck)
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != "roAck" || m.MessageID != "7" || m.MosID != "PROMPTER.MOS" || m.NCSID != "NEWSROOM" || m.ROAck.ROStatus != "OK" {
		t.Fatalf("decoded %+v", m)
	}
	if err := checkAck("roCreate", m); err != nil {
		t.Fatalf("OK roAck refused: %v", err)
	}
	nack := "<mos><ncsID>NEWSROOM</ncsID><mosID>X</mosID><messageID>8</messageID><mosAck><objID>0</objID><objRev>0</objRev><status>NACK</status><statusDescription>MosDevice not found</statusDescription></mosAck></mos>"
	m, err = decodeMessage(nack)
	if err != nil {
		t.Fatal(err)
	}
	err = checkAck("roCreate", m)
	var ne *NACKError
	if !errors.Is(err, ErrNACK) || !errors.As(err, &ne) || ne.Description != "MosDevice not found" {
		t.Fatalf("NACK gave %v", err)
	}
	stat := `<mos><mosID>P</mosID><ncsID>N</ncsID><messageID>9</messageID><roElementStat element="STORY"><roID>ro-1</roID><storyID>s-2</storyID><status>PLAY</status><time>2026-11-25T12:00:00,000</time></roElementStat></mos>`
	m, err = decodeMessage(stat)
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != "roElementStat" || m.ROElementStat.Element != "STORY" || m.ROElementStat.StoryID != "s-2" || m.ROElementStat.Status != "PLAY" {
		t.Fatalf("decoded %+v", m.ROElementStat)
	}
}

func TestDecodeRefuses(t *testing.T) {
	for _, s := range []string{
		"<mos><mosID>a</mosID>",                               // unterminated
		"<mos><mosID>a</mosID><messageID>1</messageID></mos>", // no message element
		"<other><heartbeat/></other>",
		"<mos><heartbeat/></mos><mos><heartbeat/></mos>",
		"<mos><heartbeat>&nbsp;</heartbeat></mos>",
	} {
		if _, err := decodeMessage(s); !errors.Is(err, errMalformed) {
			t.Errorf("decodeMessage(%q) = %v, want errMalformed", s, err)
		}
	}
}

func TestRunningOrderXML(t *testing.T) {
	ro := RunningOrder{ID: "ro-1", Slug: "Thời sự tối <19h>", EditorialStart: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC),
		EditorialDuration: 30*time.Minute + 5*time.Second,
		Stories: []Story{{ID: "s-1", Slug: "Đường về Hưng Yên", Number: "A1",
			Items: []Item{{ID: "i-1", ObjID: "clip-9", Slug: "VO", Duration: 2 * time.Second}}}}}
	got := roMessage("roCreate", ro, "PROMPTER.MOS")
	want := "<roCreate><roID>ro-1</roID><roSlug>Thời sự tối &lt;19h&gt;</roSlug><roEdStart>2026-11-25T12:00:00,000Z</roEdStart><roEdDur>00:30:05</roEdDur>" +
		"<story><storyID>s-1</storyID><storySlug>Đường về Hưng Yên</storySlug><storyNum>A1</storyNum>" +
		"<item><itemID>i-1</itemID><itemSlug>VO</itemSlug><objID>clip-9</objID><mosID>PROMPTER.MOS</mosID><itemEdStart>0</itemEdStart><itemEdDur>100</itemEdDur></item></story></roCreate>"
	if got != want {
		t.Fatalf("roCreate\n got %s\nwant %s", got, want)
	}
	s := storySendBody("ro-1", Story{ID: "s-1", Presenter: "Thu Hà", Script: []string{"Xin chào.", "  ", "Tin & bình luận"}}, "P")
	wantS := "<roStorySend><roID>ro-1</roID><storyID>s-1</storyID><storyBody><storyPresenter>Thu Hà</storyPresenter><p>Xin chào.</p><p>Tin &amp; bình luận</p></storyBody></roStorySend>"
	if s != wantS {
		t.Fatalf("roStorySend\n got %s\nwant %s", s, wantS)
	}
	if cut := cut128(strings.Repeat("ư", 200)); len([]rune(cut)) != 128 {
		t.Fatalf("cut128 kept %d characters", len([]rune(cut)))
	}
}

func TestValidate(t *testing.T) {
	good := DefaultConfig()
	good.Enabled, good.Host, good.MOSID = true, "127.0.0.1", "PROMPTER.MOS"
	if err := good.Validate(); err != nil {
		t.Fatalf("good config refused: %v", err)
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("a disabled config must be valid: %v", err)
	}
	for name, tc := range map[string]struct {
		change func(*Config)
		want   string
	}{
		"no host":        {func(c *Config) { c.Host = "" }, "mos.host"},
		"no mos id":      {func(c *Config) { c.MOSID = "" }, "mos.mos_id"},
		"long ncs id":    {func(c *Config) { c.NCSID = strings.Repeat("N", 129) }, "mos.ncs_id"},
		"non-ascii id":   {func(c *Config) { c.MOSID = "máy.nhắc" }, "mos.mos_id"},
		"port zero":      {func(c *Config) { c.LowerPort = 0 }, "mos.lower_port"},
		"port too big":   {func(c *Config) { c.UpperPort = 70000 }, "mos.upper_port"},
		"ncs port":       {func(c *Config) { c.NCSUpperPort = -1 }, "mos.ncs_upper_port"},
		"backoff order":  {func(c *Config) { c.ReconnectMax = c.ReconnectMin / 2 }, "mos.reconnect_max"},
		"tiny heartbeat": {func(c *Config) { c.HeartbeatInterval = time.Millisecond }, "mos.heartbeat_interval"},
	} {
		c := good
		tc.change(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one naming %s", name, err, tc.want)
		}
	}
}

func TestRunningOrderValidation(t *testing.T) {
	c, err := NewClient(DefaultConfig(), nil) // disabled: validation still applies
	if err != nil {
		t.Fatal(err)
	}
	for name, ro := range map[string]RunningOrder{
		"no id":           {},
		"long id":         {ID: strings.Repeat("x", 129)},
		"duplicate story": {ID: "r", Stories: []Story{{ID: "a"}, {ID: "a"}}},
		"empty story id":  {ID: "r", Stories: []Story{{}}},
		"item no object":  {ID: "r", Stories: []Story{{ID: "a", Items: []Item{{ID: "i"}}}}},
		"duplicate item":  {ID: "r", Stories: []Story{{ID: "a", Items: []Item{{ID: "i", ObjID: "o"}, {ID: "i", ObjID: "o"}}}}},
		"negative length": {ID: "r", EditorialDuration: -time.Second},
	} {
		if err := c.Sync(t.Context(), ro); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Sync = %v, want ErrInvalid", name, err)
		}
	}
	if err := c.Sync(t.Context(), RunningOrder{ID: "r"}); err != nil {
		t.Errorf("a disabled client must accept a valid running order: %v", err)
	}
}

// FuzzDecode feeds arbitrary bytes to the framer and decoder the NCS runs on
// every connection: they must never panic, and what they accept must be a
// message with a kind.
func FuzzDecode(f *testing.F) {
	f.Add(encodeUTF16BE(envelope("M", "N", 1, heartbeatBody(time.Unix(0, 0)))))
	f.Add(encodeUTF16BE(envelope("M", "N", 2, roMessage("roCreate", RunningOrder{ID: "r", Stories: []Story{{ID: "s", Items: []Item{{ID: "i", ObjID: "o"}}}}}, "M"))))
	f.Add(encodeUTF16BE(`<mos><mosID>M</mosID><ncsID>N</ncsID><messageID>3</messageID><roElementStat element="ITEM"><roID>r</roID></roElementStat></mos>`))
	f.Add(encodeUTF16BE("<mos><mos></mos></mos>"))
	f.Add(encodeUTF16BE("<?xml?><mos><mosObj><objID>&amp;</objID></mosObj></mos>"))
	f.Add([]byte("<mos>utf-8</mos>"))
	f.Add([]byte{0xD8, 0x00, 0x00, '<'})
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := newFramer(bytes.NewReader(data))
		for range 100 {
			text, err := fr.next()
			if err != nil {
				return
			}
			if !strings.HasPrefix(text, "<mos>") || !strings.HasSuffix(text, "</mos>") {
				t.Fatalf("framer returned %q", text)
			}
			m, err := decodeMessage(text)
			if err != nil {
				continue
			}
			if m.Kind == "" {
				t.Fatalf("accepted a message without a kind: %q", text)
			}
			// What was accepted can be answered without panicking.
			c := &Client{cfg: Config{MOSID: m.MosID, NCSID: m.NCSID}, log: discardLogger(), ros: map[string]*roState{}}
			_ = c.handle(&peerConn{name: "fuzz", c: c}, m)
		}
	})
}

func TestUTF16SurrogatesSurvive(t *testing.T) {
	s := "Việt Nam 🇻🇳"
	b := encodeUTF16BE(envelope("M", "N", 1, "<heartbeat><time>"+s+"</time></heartbeat>"))
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	if !strings.Contains(string(utf16.Decode(u)), s) {
		t.Fatal("round trip lost characters")
	}
}
