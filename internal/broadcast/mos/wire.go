package mos

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// maxMessageUnits bounds one message (UTF-16 code units, 2 bytes each): a
// peer that sends more without closing </mos> is reset.
const maxMessageUnits = 8 << 20

// encodeUTF16BE is the MOS wire encoding: UTF-16 big-endian, no byte-order mark.
func encodeUTF16BE(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, v := range u {
		binary.BigEndian.PutUint16(b[2*i:], v)
	}
	return b
}

var (
	unitsOpen      = utf16.Encode([]rune("<mos>"))
	unitsClose     = utf16.Encode([]rune("</mos>"))
	unitsProlog    = utf16.Encode([]rune("<?"))
	unitsPrologEnd = utf16.Encode([]rune("?>"))
)

// framer cuts a UTF-16BE byte stream into <mos>…</mos> messages (as text).
// Whitespace, a byte-order mark and an XML declaration between messages are
// skipped; anything else outside a message is an error, so the connection is
// reset rather than left out of step.
type framer struct {
	r     io.Reader
	odd   []byte   // a lone byte waiting for its pair
	units []uint16 // decoded code units not yet returned
	buf   []byte
	scan  int // inside a message: where to resume looking for tags (0 = between messages)
	depth int // <mos> nesting at scan
}

func newFramer(r io.Reader) *framer { return &framer{r: r, buf: make([]byte, 32<<10)} }

// errMalformed marks data that is not a MOS message.
var errMalformed = errors.New("mos: malformed data")

// next returns the next complete message, reading as needed.
func (f *framer) next() (string, error) {
	for {
		msg, ok, err := f.cut()
		if err != nil || ok {
			return msg, err
		}
		n, err := f.r.Read(f.buf)
		if n > 0 {
			f.push(f.buf[:n])
		}
		if err != nil {
			if n > 0 {
				continue
			}
			return "", err
		}
	}
}

// push appends raw bytes.
func (f *framer) push(b []byte) {
	if len(f.odd) == 1 {
		f.units = append(f.units, uint16(f.odd[0])<<8|uint16(b[0]))
		f.odd = f.odd[:0]
		b = b[1:]
	}
	for len(b) >= 2 {
		f.units = append(f.units, binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		f.odd = append(f.odd[:0], b[0])
	}
}

// cut takes one complete message off the buffer if there is one. A message
// arriving in many reads is scanned once: scan and depth carry over.
func (f *framer) cut() (string, bool, error) {
	if f.scan == 0 { // between messages
		for {
			i := 0
			for i < len(f.units) && isSpaceUnit(f.units[i]) {
				i++
			}
			f.units = f.units[i:]
			if len(f.units) == 0 {
				f.units = nil
				return "", false, nil
			}
			if hasUnitsPrefix(f.units, unitsProlog) {
				end := indexUnits(f.units, unitsPrologEnd, 2)
				if end < 0 {
					if len(f.units) > 1024 {
						return "", false, fmt.Errorf("%w: unterminated XML declaration", errMalformed)
					}
					return "", false, nil
				}
				f.units = f.units[end+2:]
				continue
			}
			break
		}
		if !hasUnitsPrefix(f.units, unitsOpen) {
			if len(f.units) < len(unitsOpen) && hasUnitsPrefix(unitsOpen, f.units) {
				return "", false, nil // "<mo" so far
			}
			return "", false, fmt.Errorf("%w: data outside a <mos> message: %q", errMalformed, preview(f.units))
		}
		f.depth = 0
	}
	lastEnd := f.scan
	for i := f.scan; i < len(f.units); {
		switch {
		case hasUnitsPrefix(f.units[i:], unitsOpen):
			f.depth++
			i += len(unitsOpen)
			lastEnd = i
		case hasUnitsPrefix(f.units[i:], unitsClose):
			f.depth--
			i += len(unitsClose)
			lastEnd = i
			if f.depth == 0 {
				msg := string(utf16.Decode(f.units[:i]))
				f.units = f.units[i:]
				f.scan = 0
				return msg, true, nil
			}
		default:
			i++
		}
	}
	if len(f.units) > maxMessageUnits {
		return "", false, fmt.Errorf("%w: message longer than %d characters", errMalformed, maxMessageUnits)
	}
	// Resume after the last whole tag, before a tag the next read may complete.
	f.scan = max(lastEnd, len(f.units)-len(unitsClose)+1)
	return "", false, nil
}

func isSpaceUnit(u uint16) bool {
	return u == ' ' || u == '\t' || u == '\r' || u == '\n' || u == 0xFEFF
}

func hasUnitsPrefix(s, prefix []uint16) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i, u := range prefix {
		if s[i] != u {
			return false
		}
	}
	return true
}

func indexUnits(s, sub []uint16, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if hasUnitsPrefix(s[i:], sub) {
			return i
		}
	}
	return -1
}

func preview(u []uint16) string {
	if len(u) > 40 {
		u = u[:40]
	}
	return string(utf16.Decode(u))
}

// message is one decoded MOS message: the envelope and the parts of the
// messages the NCS reads. Kind is the name of the message element.
type message struct {
	XMLName   xml.Name `xml:"mos"`
	MosID     string   `xml:"mosID"`
	NCSID     string   `xml:"ncsID"`
	MessageID string   `xml:"messageID"`

	Heartbeat *struct {
		Time string `xml:"time"`
	} `xml:"heartbeat"`
	ListMachInfo  *MachineInfo    `xml:"listMachInfo"`
	MosAck        *xmlMosAck      `xml:"mosAck"`
	ROAck         *xmlROAck       `xml:"roAck"`
	ROElementStat *xmlElementStat `xml:"roElementStat"`
	MosObj        *xmlMosObj      `xml:"mosObj"`
	MosListAll    *struct {
		Objs []xmlMosObj `xml:"mosObj"`
	} `xml:"mosListAll"`
	ROReq *struct {
		ROID string `xml:"roID"`
	} `xml:"roReq"`

	Kind string `xml:"-"`
}

type xmlMosAck struct {
	ObjID             string `xml:"objID"`
	ObjRev            string `xml:"objRev"`
	Status            string `xml:"status"`
	StatusDescription string `xml:"statusDescription"`
}

type xmlROAck struct {
	ROID     string `xml:"roID"`
	ROStatus string `xml:"roStatus"`
}

type xmlElementStat struct {
	Element     string `xml:"element,attr"`
	ROID        string `xml:"roID"`
	StoryID     string `xml:"storyID"`
	ItemID      string `xml:"itemID"`
	ObjID       string `xml:"objID"`
	ItemChannel string `xml:"itemChannel"`
	Status      string `xml:"status"`
	Time        string `xml:"time"`
}

type xmlMosObj struct {
	ObjID   string `xml:"objID"`
	ObjSlug string `xml:"objSlug"`
	ObjType string `xml:"objType"`
	ObjTB   string `xml:"objTB"`
	ObjDur  string `xml:"objDur"`
	Status  string `xml:"status"`
	Changed string `xml:"changed"`
	Created string `xml:"created"`
}

// decodeMessage parses one <mos> message. It never panics: anything that is
// not one well-formed <mos> element naming a message is an error.
func decodeMessage(s string) (*message, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("%w: not valid text", errMalformed)
	}
	d := xml.NewDecoder(strings.NewReader(s))
	var m message
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: %v", errMalformed, err)
	}
	// Anything after the root element other than space is not ours.
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errMalformed, err)
		}
		if cd, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(cd)) == 0 {
			continue
		}
		if _, ok := tok.(xml.Comment); ok {
			continue
		}
		return nil, fmt.Errorf("%w: content after </mos>", errMalformed)
	}
	kind, err := messageKind(s)
	if err != nil {
		return nil, err
	}
	m.Kind = kind
	m.MosID = strings.TrimSpace(m.MosID)
	m.NCSID = strings.TrimSpace(m.NCSID)
	m.MessageID = strings.TrimSpace(m.MessageID)
	return &m, nil
}

// messageKind is the name of the first child of <mos> after the envelope.
func messageKind(s string) (string, error) {
	d := xml.NewDecoder(strings.NewReader(s))
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return "", fmt.Errorf("%w: no message element in <mos>", errMalformed)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 {
				switch t.Name.Local {
				case "mosID", "ncsID", "messageID":
				default:
					return t.Name.Local, nil
				}
			}
		case xml.EndElement:
			depth--
		}
	}
}

// xmlWriter builds MOS XML text, escaping every value.
type xmlWriter struct{ strings.Builder }

func (w *xmlWriter) el(name, value string) {
	w.WriteString("<" + name + ">")
	w.text(value)
	w.WriteString("</" + name + ">")
}

func (w *xmlWriter) opt(name, value string) {
	if value != "" {
		w.el(name, value)
	}
}

func (w *xmlWriter) text(s string) {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	w.Write(b.Bytes())
}

// envelope wraps a message body in the MOS header.
func envelope(mosID, ncsID string, messageID uint32, body string) string {
	var w xmlWriter
	w.WriteString("<mos>")
	w.el("mosID", mosID)
	w.el("ncsID", ncsID)
	w.el("messageID", strconv.FormatUint(uint64(messageID), 10))
	w.WriteString(body)
	w.WriteString("</mos>")
	return w.String()
}

// mosTime is the MOS time format, in UTC: 2026-11-25T12:00:00,000Z.
func mosTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05,000Z") }

// mosDuration is the MOS duration format hh:mm:ss (hours may exceed 23).
func mosDuration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// cut128 shortens a slug to the 128 characters MOS allows.
func cut128(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= 128 {
		return s
	}
	r := []rune(s)
	return string(r[:128])
}

func heartbeatBody(now time.Time) string {
	var w xmlWriter
	w.WriteString("<heartbeat>")
	w.el("time", mosTime(now))
	w.WriteString("</heartbeat>")
	return w.String()
}

// roHead writes what identifies a running order: roID, roSlug (its ID
// when it has no slug) and the editorial start and duration when known.
func roHead(w *xmlWriter, ro RunningOrder) {
	w.el("roID", ro.ID)
	slug := ro.Slug
	if slug == "" {
		slug = ro.ID
	}
	w.el("roSlug", cut128(slug))
	if !ro.EditorialStart.IsZero() {
		w.el("roEdStart", mosTime(ro.EditorialStart))
	}
	if ro.EditorialDuration > 0 {
		w.el("roEdDur", mosDuration(ro.EditorialDuration))
	}
}

// roBody writes the head and the stories of roCreate/roReplace/roList.
func roBody(w *xmlWriter, ro RunningOrder, mosID string) {
	roHead(w, ro)
	for _, s := range ro.Stories {
		w.WriteString("<story>")
		w.el("storyID", s.ID)
		w.opt("storySlug", cut128(s.Slug))
		w.opt("storyNum", cut128(s.Number))
		for _, it := range s.Items {
			w.WriteString("<item>")
			itemBody(w, it, mosID)
			w.WriteString("</item>")
		}
		w.WriteString("</story>")
	}
}

// itemBody writes the fields of an <item> or <storyItem> in the specification's order.
func itemBody(w *xmlWriter, it Item, mosID string) {
	w.el("itemID", it.ID)
	w.opt("itemSlug", cut128(it.Slug))
	w.el("objID", it.ObjID)
	if it.MOSID != "" {
		mosID = it.MOSID
	}
	w.el("mosID", mosID)
	w.opt("mosAbstract", it.Abstract)
	w.opt("itemChannel", cut128(it.Channel))
	if it.Duration > 0 {
		tb := it.TimeBase
		if tb == 0 {
			tb = 50
		}
		samples := math.Round(it.Duration.Seconds() * float64(tb))
		w.el("itemEdStart", "0")
		w.el("itemEdDur", strconv.FormatInt(int64(samples), 10))
	}
}

func roMessage(kind string, ro RunningOrder, mosID string) string {
	var w xmlWriter
	w.WriteString("<" + kind + ">")
	roBody(&w, ro, mosID)
	w.WriteString("</" + kind + ">")
	return w.String()
}

// storySendBody is the roStorySend of one story: its spoken text as <p>
// paragraphs, then its items as <storyItem>.
func storySendBody(roID string, s Story, mosID string) string {
	var w xmlWriter
	w.WriteString("<roStorySend>")
	w.el("roID", roID)
	w.el("storyID", s.ID)
	w.opt("storySlug", cut128(s.Slug))
	w.opt("storyNum", cut128(s.Number))
	w.WriteString("<storyBody>")
	w.opt("storyPresenter", cut128(s.Presenter))
	for _, p := range s.Script {
		if strings.TrimSpace(p) != "" {
			w.el("p", p)
		}
	}
	for _, it := range s.Items {
		w.WriteString("<storyItem>")
		itemBody(&w, it, mosID)
		w.WriteString("</storyItem>")
	}
	w.WriteString("</storyBody>")
	w.WriteString("</roStorySend>")
	return w.String()
}

func hasScript(s Story) bool {
	for _, p := range s.Script {
		if strings.TrimSpace(p) != "" {
			return true
		}
	}
	return false
}

func roDeleteBody(roID string) string {
	var w xmlWriter
	w.WriteString("<roDelete>")
	w.el("roID", roID)
	w.WriteString("</roDelete>")
	return w.String()
}

func roReadyToAirBody(roID string, ready bool) string {
	var w xmlWriter
	w.WriteString("<roReadyToAir>")
	w.el("roID", roID)
	if ready {
		w.el("roAir", "READY")
	} else {
		w.el("roAir", "NOT READY")
	}
	w.WriteString("</roReadyToAir>")
	return w.String()
}

func roAckBody(roID, status string) string {
	var w xmlWriter
	w.WriteString("<roAck>")
	w.el("roID", roID)
	w.el("roStatus", status)
	w.WriteString("</roAck>")
	return w.String()
}

func mosAckBody(objID, objRev, status, description string) string {
	var w xmlWriter
	w.WriteString("<mosAck>")
	w.el("objID", objID)
	w.el("objRev", objRev)
	w.el("status", status)
	w.el("statusDescription", description)
	w.WriteString("</mosAck>")
	return w.String()
}

// ncsMachInfoBody answers a device's reqMachInfo: the newsroom as an NCS.
func ncsMachInfoBody(ncsID string, now time.Time) string {
	var w xmlWriter
	w.WriteString("<listMachInfo>")
	w.el("manufacturer", "newsroom")
	w.el("model", "newsroom NCS")
	w.el("hwRev", "")
	w.el("swRev", "1")
	w.el("DOM", "")
	w.el("SN", "")
	w.el("ID", ncsID)
	w.el("time", mosTime(now))
	w.el("mosRev", "2.8.5")
	w.WriteString(`<supportedProfiles deviceType="NCS">`)
	for i := 0; i < 8; i++ {
		yes := "NO"
		if i <= 2 || i == 4 {
			yes = "YES"
		}
		w.WriteString(`<mosProfile number="` + strconv.Itoa(i) + `">` + yes + `</mosProfile>`)
	}
	w.WriteString("</supportedProfiles>")
	w.WriteString("</listMachInfo>")
	return w.String()
}

func roListAllBody(ros []RunningOrder) string {
	var w xmlWriter
	w.WriteString("<roListAll>")
	for _, ro := range ros {
		w.WriteString("<ro>")
		roHead(&w, ro)
		w.WriteString("</ro>")
	}
	w.WriteString("</roListAll>")
	return w.String()
}
