package broadcast

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/broadcast/mos"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/user"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// MOSDevice is what MOSSync needs of the MOS client (*mos.Client).
type MOSDevice interface {
	Sync(ctx context.Context, ro mos.RunningOrder) error
	Delete(ctx context.Context, roID string) error
}

// MOSSync keeps the MOS device's running orders in step with the TV
// rundowns: a TV rundown that is ready or on air is on the device (roCreate,
// then roReplace and roStorySend as it changes); one moved back to planned,
// done or deleted is removed (roDelete). MOS devices here are TV playout and
// prompters, so radio rundowns are not sent.
//
// Nothing waits on the device: RundownChanged and StoryChanged only note the
// id and return; one worker (Run) reads the rundown as it is then and talks
// to the device. Changes that arrive while the device is slow are coalesced
// per rundown, the latest state winning. The client itself redials a device
// that is down and resends what it holds.
type MOSSync struct {
	device MOSDevice
	log    *slog.Logger
	// Timeout bounds one rundown's sync (the client's own reply timeouts apply inside it).
	Timeout time.Duration

	mu       sync.Mutex
	rundowns map[string]bool // rundown ids waiting
	stories  map[string]bool // story ids whose rundowns must be resynced
	onDevice map[string]bool // running orders this process put on the device
	wake     chan struct{}
}

// NewMOSSync builds the sync. It is a rundown listener and a story
// listener, both after-commit (internal/app registers it); Run does the work.
func NewMOSSync(device MOSDevice, log *slog.Logger) *MOSSync {
	if log == nil {
		log = slog.Default()
	}
	return &MOSSync{device: device, log: log, Timeout: time.Minute,
		rundowns: map[string]bool{}, stories: map[string]bool{}, onDevice: map[string]bool{}, wake: make(chan struct{}, 1)}
}

func (m *MOSSync) signal() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// RundownChanged notes that a rundown changed (RundownListener); it never blocks.
func (m *MOSSync) RundownChanged(_ context.Context, rundownID string) error {
	m.mu.Lock()
	m.rundowns[rundownID] = true
	m.mu.Unlock()
	m.signal()
	return nil
}

// StoryChanged notes that a story was edited (story.Listener): the ready
// and on-air rundowns placing it are sent again.
func (m *MOSSync) StoryChanged(_ context.Context, st *story.Story) error {
	m.noteStory(st.ID)
	return nil
}

// StoryTransitioned notes a transition (story.Listener): a kill blanks the
// story's script on the prompter, a correction sends the new text.
func (m *MOSSync) StoryTransitioned(_ context.Context, st *story.Story, _ workflow.Transition) error {
	m.noteStory(st.ID)
	return nil
}

func (m *MOSSync) noteStory(id string) {
	m.mu.Lock()
	m.stories[id] = true
	m.mu.Unlock()
	m.signal()
}

// Resume queues every TV rundown of the last day onwards that may be on a
// device (after a restart the client holds nothing).
func (m *MOSSync) Resume(ctx context.Context, svc *Service) error {
	rs, _, err := svc.FindRundowns(ctx, user.System, RundownFilter{From: svc.now().Add(-24 * time.Hour), Limit: 200})
	if err != nil {
		return fmt.Errorf("broadcast: mos resume: %w", err)
	}
	for _, r := range rs {
		if r.Channel == story.ChannelTV && (r.State == Ready || r.State == OnAir) {
			_ = m.RundownChanged(ctx, r.ID)
		}
	}
	return nil
}

// Run works through the noted changes until ctx ends, reading the
// rundowns through svc as they are when their turn comes.
func (m *MOSSync) Run(ctx context.Context, svc *Service) {
	for {
		m.mu.Lock()
		stories := m.stories
		m.stories = map[string]bool{}
		m.mu.Unlock()
		for id := range stories {
			ids, err := svc.repo.FindRundownIDsPlacing(ctx, id, []State{Ready, OnAir})
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				m.log.Error("mos: rundowns placing a story", "story", id, "err", err)
				continue
			}
			m.mu.Lock()
			for _, r := range ids {
				m.rundowns[r] = true
			}
			m.mu.Unlock()
		}
		m.mu.Lock()
		var id string
		for k := range m.rundowns {
			id = k
			break
		}
		if id != "" {
			delete(m.rundowns, id)
		}
		m.mu.Unlock()
		if id == "" {
			select {
			case <-ctx.Done():
				return
			case <-m.wake:
			}
			continue
		}
		sctx, cancel := context.WithTimeout(ctx, m.Timeout)
		m.syncOne(sctx, svc, id)
		cancel()
		if ctx.Err() != nil {
			return
		}
	}
}

// syncOne sends one rundown as it is now, or removes it from the device.
func (m *MOSSync) syncOne(ctx context.Context, svc *Service, id string) {
	v, err := svc.FindRundownView(ctx, user.System, id)
	switch {
	case apperr.Is(err, apperr.CodeNotFound):
		m.remove(ctx, id)
		return
	case err != nil:
		m.log.Error("mos: read rundown", "rundown", id, "err", err)
		return
	}
	if v.Programme.Channel != story.ChannelTV {
		return
	}
	if v.State != Ready && v.State != OnAir {
		m.remove(ctx, id)
		return
	}
	m.mu.Lock()
	m.onDevice[id] = true
	m.mu.Unlock()
	// The client keeps the running order even when sending fails and sends it
	// when the device is back: an error here is only logged.
	if err := m.device.Sync(ctx, RunningOrderOf(v)); err != nil {
		m.log.Warn("mos: sync running order", "rundown", id, "err", err)
	}
}

func (m *MOSSync) remove(ctx context.Context, id string) {
	m.mu.Lock()
	held := m.onDevice[id]
	delete(m.onDevice, id)
	m.mu.Unlock()
	if !held {
		return
	}
	if err := m.device.Delete(ctx, id); err != nil {
		m.log.Warn("mos: delete running order", "rundown", id, "err", err)
	}
}

// RunningOrderOf maps a rundown to a MOS running order (see the mos package
// doc): one MOS story per item, keyed by the item id; its slug is the
// story's headline or the free item's title; its script the spoken text (TV
// segments' scripts, or the radio script, or the free item's script); one
// MOS item per segment with a clip, the clip's asset id as object id. A
// killed or missing story goes with a marked slug and no script, so the
// prompter never shows a story that was taken down.
func RunningOrderOf(v *RundownView) mos.RunningOrder {
	ro := mos.RunningOrder{ID: v.ID, Slug: v.Programme.Name + " " + v.OnAirAt.In(vntime.Location).Format("02/01/2006"),
		EditorialStart: v.OnAirAt, EditorialDuration: time.Duration(v.PlannedSeconds) * time.Second}
	for _, it := range v.Items {
		s := mos.Story{ID: it.ID, Slug: it.Title}
		switch {
		case it.Kind != KindStory:
			s.Script = Paragraphs(it.Script)
		case it.Story == nil || it.Flag == FlagKilled || it.Flag == FlagMissing:
			s.Slug = "[GỠ / KILLED] " + it.Title
		default:
			s.Slug = it.Story.Headline
			if tv := it.Story.TV; tv != nil {
				for i, seg := range tv.Segments {
					s.Script = append(s.Script, Paragraphs(seg.Script)...)
					if seg.VideoAssetID != "" {
						s.Items = append(s.Items, mos.Item{ID: fmt.Sprintf("seg-%d", i+1), Slug: string(seg.Type),
							ObjID: seg.VideoAssetID, Duration: time.Duration(seg.DurationSeconds) * time.Second})
					}
				}
			}
			if r := it.Story.Radio; r != nil {
				s.Presenter = r.Presenter
				s.Script = append(s.Script, Paragraphs(r.Script)...)
			}
		}
		ro.Stories = append(ro.Stories, s)
	}
	return ro
}

// Paragraphs splits a plain-text script at its line breaks, without empty
// lines: what a prompter shows as its paragraphs, on the desk's prompter page
// as on a MOS device.
func Paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(text, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
