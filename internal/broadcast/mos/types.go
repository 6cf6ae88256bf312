package mos

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// RunningOrder is what MOS calls a running order: one airing of a programme
// (a rundown) as the device needs it. See the package doc for the mapping.
type RunningOrder struct {
	// ID is the roID: stable for the life of the rundown, at most 128 characters.
	ID string
	// Slug is the roSlug shown on the device; the ID if empty. Cut at 128 characters.
	Slug string
	// EditorialStart is the planned on-air time (roEdStart, sent in UTC); zero: not sent.
	EditorialStart time.Time
	// EditorialDuration is the planned length (roEdDur); zero: not sent.
	EditorialDuration time.Duration
	// Stories are the rundown items in air order.
	Stories []Story
}

// Story is one rundown item.
type Story struct {
	// ID is the storyID, unique in the running order, at most 128 characters.
	ID string
	// Slug is the storySlug (headline); cut at 128 characters.
	Slug string
	// Number is the optional storyNum ("A1").
	Number string
	// Presenter is the optional storyPresenter of roStorySend.
	Presenter string
	// Script is the spoken text, one entry per paragraph, sent as <p> in
	// roStorySend. Empty entries are skipped.
	Script []string
	// Items are the clips and graphics of the story, in order.
	Items []Item
}

// Item is a MOS item: a reference to an object the device knows (a clip, a graphic).
type Item struct {
	// ID is the itemID, unique in its story, at most 128 characters.
	ID string
	// Slug is the optional itemSlug; cut at 128 characters.
	Slug string
	// ObjID is the device's object ID (required by MOS).
	ObjID string
	// MOSID is the device owning the object; Config.MOSID if empty.
	MOSID string
	// Abstract is the optional mosAbstract (a line of text describing the object).
	Abstract string
	// Channel is the optional itemChannel (the playout channel).
	Channel string
	// Duration is the editorial duration; sent as itemEdStart 0 and itemEdDur
	// in samples of TimeBase when not zero.
	Duration time.Duration
	// TimeBase is samples per second for itemEdDur; 0 means 50 (PAL fields,
	// the MOS specification's example and Vietnam's broadcast standard).
	TimeBase int
}

// Status is something the device reported: an roElementStat (the device's
// state of a running order, story or item: PLAY, STOP, READY...) or a mosObj
// (an object the device created or changed).
type Status struct {
	// Message is "roElementStat" or "mosObj".
	Message string
	// Element is RO, STORY or ITEM (roElementStat).
	Element string
	ROID    string
	StoryID string
	ItemID  string
	ObjID   string
	Channel string
	// Status is the device's word for the state (roElementStat status, mosObj status).
	Status string
	// ObjSlug, ObjType, ObjDur and ObjTB describe a mosObj.
	ObjSlug string
	ObjType string
	ObjDur  string
	ObjTB   string
	// DeviceTime is the <time> the device sent, as written.
	DeviceTime string
	// Received is when the newsroom received it.
	Received time.Time
}

// MachineInfo is the device's listMachInfo answer.
type MachineInfo struct {
	Manufacturer string `xml:"manufacturer"`
	Model        string `xml:"model"`
	HWRev        string `xml:"hwRev"`
	SWRev        string `xml:"swRev"`
	DOM          string `xml:"DOM"`
	SN           string `xml:"SN"`
	ID           string `xml:"ID"`
	Time         string `xml:"time"`
	MOSRev       string `xml:"mosRev"`
}

// Errors the client returns; test them with errors.Is.
var (
	// ErrInvalid: the running order cannot be sent as it is (empty or duplicate IDs...).
	ErrInvalid = errors.New("mos: invalid running order")
	// ErrNotConnected: the device could not be reached within the reply timeout.
	ErrNotConnected = errors.New("mos: device not connected")
	// ErrTimeout: the device did not answer within the reply timeout; the connection was reset.
	ErrTimeout = errors.New("mos: no answer from the device")
	// ErrNACK: the device refused the message (see *NACKError for its words).
	ErrNACK = errors.New("mos: device refused the message")
	// ErrClosed: the client was closed.
	ErrClosed = errors.New("mos: client closed")
)

// NACKError is a refusal by the device: a mosAck with status NACK or an
// roAck whose roStatus is not OK.
type NACKError struct {
	// Message is the MOS message that was refused (roCreate, heartbeat...).
	Message string
	// Status is the device's status word and Description its explanation.
	Status      string
	Description string
}

func (e *NACKError) Error() string {
	s := fmt.Sprintf("mos: device refused %s: %s", e.Message, e.Status)
	if e.Description != "" {
		s += " (" + e.Description + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrNACK) true.
func (e *NACKError) Is(target error) bool { return target == ErrNACK }

// validate checks what MOS requires of a running order before anything is sent.
func (ro RunningOrder) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	if err := checkElementID(ro.ID); err != nil {
		return bad("running order ID: %v", err)
	}
	if ro.EditorialDuration < 0 {
		return bad("running order %s: negative duration %s", ro.ID, ro.EditorialDuration)
	}
	stories := map[string]bool{}
	for i, s := range ro.Stories {
		if err := checkElementID(s.ID); err != nil {
			return bad("story %d: ID: %v", i+1, err)
		}
		if stories[s.ID] {
			return bad("story ID %s appears twice", s.ID)
		}
		stories[s.ID] = true
		items := map[string]bool{}
		for j, it := range s.Items {
			if err := checkElementID(it.ID); err != nil {
				return bad("story %s, item %d: ID: %v", s.ID, j+1, err)
			}
			if items[it.ID] {
				return bad("story %s: item ID %s appears twice", s.ID, it.ID)
			}
			items[it.ID] = true
			if err := checkElementID(it.ObjID); err != nil {
				return bad("story %s, item %s: object ID: %v", s.ID, it.ID, err)
			}
			if it.Duration < 0 || it.TimeBase < 0 {
				return bad("story %s, item %s: negative duration or time base", s.ID, it.ID)
			}
		}
	}
	return nil
}

// checkElementID accepts an roID, storyID, itemID or objID: 1 to 128 characters, valid UTF-8.
func checkElementID(s string) error {
	switch {
	case s == "":
		return errors.New("empty")
	case !utf8.ValidString(s):
		return errors.New("not valid UTF-8")
	case utf8.RuneCountInString(s) > 128:
		return fmt.Errorf("%q is longer than 128 characters", s)
	}
	return nil
}
