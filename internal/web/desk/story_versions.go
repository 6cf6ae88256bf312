package desk

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/textvi"
)

// The radio and TV tabs of the story editor. Their fields belong to the
// story form: the plain form post and the autosave (JSON "radio" and "tv",
// with If-Match) save them with the web fields through story.UpdateStory,
// which validates them and computes the authoritative timings.

// versionsForm is what the tabs show or what was posted.
type versionsForm struct {
	Radio    story.RadioVersion
	Segments []story.TVSegment
}

// versionsOf is the story's stored versions.
func versionsOf(st *story.Story) *versionsForm {
	v := &versionsForm{}
	if st.Radio != nil {
		v.Radio = *st.Radio
	}
	if st.TV != nil {
		v.Segments = st.TV.Segments
	}
	return v
}

// versionsFromPost reads the tabs of a plain form post; nil when the form
// has no tabs (versions=1 marks them), so the stored versions stay.
func versionsFromPost(c *gin.Context) *versionsForm {
	if c.PostForm("versions") != "1" {
		return nil
	}
	v := &versionsForm{Radio: story.RadioVersion{Script: c.PostForm("radio_script"), Presenter: c.PostForm("radio_presenter"),
		AudioAssetID: c.PostForm("radio_audio")}}
	types, scripts := c.PostFormArray("seg_type"), c.PostFormArray("seg_script")
	videos, ins, outs, durs := c.PostFormArray("seg_video"), c.PostFormArray("seg_in"), c.PostFormArray("seg_out"), c.PostFormArray("seg_duration")
	at := func(list []string, i int) string {
		if i < len(list) {
			return strings.TrimSpace(list[i])
		}
		return ""
	}
	num := func(s string) float64 {
		f, _ := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
		return f
	}
	for i, t := range types {
		seg := story.TVSegment{Type: story.SegmentType(strings.TrimSpace(t)), Script: at(scripts, i), VideoAssetID: at(videos, i),
			InSeconds: num(at(ins, i)), OutSeconds: num(at(outs, i))}
		if d, ok := parseDur(at(durs, i)); ok {
			seg.DurationSeconds = d
		}
		if seg.Type == "" {
			continue // the blank row of a page without scripts, or a row cleared to remove it
		}
		v.Segments = append(v.Segments, seg)
	}
	return v
}

// apply puts the versions in the story change: an empty one removes it.
func (v *versionsForm) apply(c *story.Content) {
	if v == nil {
		return
	}
	r := v.Radio
	c.Radio = &r
	c.TV = &story.TVVersion{Segments: v.Segments}
}

// mediaOption is an audio or video asset of the story, to pick for a version.
type mediaOption struct {
	ID, Name string
}

// versionsData is what the tabs need besides the form.
type versionsData struct {
	Radio      story.RadioVersion
	Segments   []story.TVSegment
	Saved      *story.Story // the stored versions and their computed timings
	Audio      []mediaOption
	Video      []mediaOption
	Types      []string
	WPM        int
	ShowRadio  bool
	ShowTV     bool
	RadioSaved int
	TVSaved    int
	Rows       []segmentRow // the segments, in order
	Blank      segmentRow   // a new segment
}

// segmentRow is one TV segment in the editor, with the choices of its selects.
type segmentRow struct {
	story.TVSegment
	Types []string
	Video []mediaOption
}

// versionsView builds the tabs' data from the form and the story's assets.
func versionsView(st *story.Story, f form, assets []assetView) versionsData {
	vf := f.Versions
	if vf == nil {
		vf = versionsOf(st)
	}
	d := versionsData{Radio: vf.Radio, Segments: vf.Segments, Saved: st, WPM: textvi.DefaultWordsPerMinute}
	for _, t := range story.SegmentTypes {
		d.Types = append(d.Types, string(t))
	}
	for _, ch := range f.Channels {
		d.ShowRadio = d.ShowRadio || ch == string(story.ChannelRadio)
		d.ShowTV = d.ShowTV || ch == string(story.ChannelTV)
	}
	if st.Radio != nil {
		d.RadioSaved = st.Radio.TotalSeconds
	}
	if st.TV != nil {
		d.TVSaved = st.TV.TotalSeconds
	}
	for _, a := range assets {
		switch a.Kind {
		case "audio":
			d.Audio = append(d.Audio, mediaOption{ID: a.ID, Name: a.Filename})
		case "video":
			d.Video = append(d.Video, mediaOption{ID: a.ID, Name: a.Filename})
		}
	}
	for _, seg := range d.Segments {
		d.Rows = append(d.Rows, segmentRow{TVSegment: seg, Types: d.Types, Video: d.Video})
	}
	d.Blank = segmentRow{Types: d.Types, Video: d.Video}
	return d
}

// storyBroadcastData is the preview of a story's broadcast versions.
type storyBroadcastData struct {
	Story *story.Story
	Radio *story.RadioVersion
	TV    *story.TVVersion
}

// storyBroadcast is /desk/stories/{id}/broadcast: the radio script with its
// read time and the TV script segment by segment, as saved.
func (h *Handler) storyBroadcast(c *gin.Context) error {
	st, err := h.stories.FindStoryByID(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	h.render(c, http.StatusOK, "story_broadcast", page{Title: h.tr(c, "versions.preview_title", st.Headline), Nav: "story",
		Data: storyBroadcastData{Story: st, Radio: st.Radio, TV: st.TV}})
	return nil
}
