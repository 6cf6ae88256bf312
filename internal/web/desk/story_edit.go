package desk

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/asset"
	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/story/workflow"
	"github.com/newsroom-vn/newsroom/internal/vntime"
)

// actionView is one workflow button, as story.Service.AllowedActions answers.
type actionView struct {
	Name         string
	Level        int  // approve: the level this signature signs
	NeedsComment bool // reject, kill, correct
	NeedsTime    bool // schedule
}

type commentView struct {
	Author, Body, Action, At string
}

type approvalView struct {
	Level          int
	Username, Role string
	At             string
}

type assetView struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Filename string `json:"filename"`
	Thumb    string `json:"thumb"`
	Caption  string `json:"caption"`
	Credit   string `json:"credit"`
	Alt      string `json:"alt"`
	Role     string `json:"role"`
}

type channelOption struct {
	Value   string
	Checked bool
}

type lockView struct {
	Username    string
	Since       string
	CanTakeOver bool
}

// form is what the editor's fields show (the story, or what was typed when a save failed).
type form struct {
	Headline, Sapo, Body, Byline, Tags, SectionID string
	Channels                                      []string
	Versions                                      *versionsForm // radio and TV tabs; nil: not posted, keep them
}

type editData struct {
	Story       *story.Story
	Form        form
	State       string
	Editable    bool
	Sections    []sectionOption
	Channels    []channelOption
	Actions     []actionView
	Comments    []commentView
	Approvals   []approvalView
	Levels      int
	Lock        *lockView
	Assets      []assetView
	HasAssets   bool
	CanComment  bool
	PublicURL   string
	HeadlineMax int
	MinTime     string
	Updated     string
	PublishAt   string
	Versions    versionsData
}

func formOf(st *story.Story) form {
	f := form{Headline: st.Headline, Sapo: st.Sapo, Body: st.Body, Byline: st.Byline, Tags: strings.Join(st.Tags, ", "), SectionID: st.SectionID}
	for _, ch := range st.Channels {
		f.Channels = append(f.Channels, string(ch))
	}
	f.Versions = versionsOf(st)
	return f
}

// editStory is /desk/stories/{id}: the editor, read-only for those who may not edit now.
func (h *Handler) editStory(c *gin.Context) error {
	return h.editPage(c, http.StatusOK, "", nil)
}

// editPage renders the editor; typed, when not nil, replaces the stored content in the fields.
func (h *Handler) editPage(c *gin.Context, status int, errMsg string, typed *form) error {
	ctx := c.Request.Context()
	a := actor(c)
	v, err := h.views.FindStoryView(ctx, a, c.Param("id"))
	if err != nil {
		return err
	}
	st := v.Story
	secs, secList, err := h.sectionNames(ctx)
	if err != nil {
		return err
	}
	d := editData{Story: st, Form: formOf(st), Editable: story.CanEdit(a, st), CanComment: story.CanComment(a, st),
		HeadlineMax: story.MaxHeadline, Updated: vntime.Format(st.UpdatedAt), HasAssets: h.assets != nil,
		MinTime: time.Now().In(vntime.Location).Add(time.Minute).Format("2006-01-02T15:04")}
	d.PublishAt = formatWhen(st.PublishAt)
	if typed != nil {
		d.Form = *typed
	}
	if d.State, err = h.displayState(ctx, a, st); err != nil {
		return err
	}
	for _, s := range secList {
		d.Sections = append(d.Sections, sectionOption{ID: s.ID, Name: s.Name, Selected: s.ID == d.Form.SectionID})
	}
	d.Levels = secs[st.SectionID].ApprovalLevels
	d.PublicURL = v.URL
	for _, ch := range story.Channels {
		d.Channels = append(d.Channels, channelOption{Value: string(ch), Checked: slices.Contains(d.Form.Channels, string(ch))})
	}
	apps, err := h.stories.FindApprovals(ctx, a, st.ID)
	if err != nil {
		return err
	}
	for _, ap := range apps {
		d.Approvals = append(d.Approvals, approvalView{Level: ap.Level, Username: ap.Username, Role: string(ap.Role), At: vntime.Format(ap.At)})
	}
	for _, act := range v.AllowedActions {
		v := actionView{Name: string(act)}
		for _, t := range workflow.Table {
			if t.From == st.State && t.Action == act {
				v.NeedsComment, v.NeedsTime = t.NeedsComment, t.NeedsPublishAt
			}
		}
		if act == workflow.Approve {
			v.Level = len(apps) + 1
		}
		d.Actions = append(d.Actions, v)
	}
	comments, err := h.stories.FindComments(ctx, a, st.ID)
	if err != nil {
		return err
	}
	for _, cm := range comments {
		d.Comments = append(d.Comments, commentView{Author: cm.Author, Body: cm.Body, Action: cm.Action, At: vntime.Format(cm.CreatedAt)})
	}
	if l := v.Lock; l != nil && l.UserID != a.UserID {
		d.Lock = &lockView{Username: l.Username, Since: vntime.Format(l.AcquiredAt), CanTakeOver: story.CanTakeOverLock(a, st)}
	}
	for _, at := range v.Assets {
		if at.Asset != nil {
			d.Assets = append(d.Assets, toAssetView(at.Asset, string(at.Role)))
		}
	}
	d.Versions = versionsView(st, d.Form, d.Assets)
	title := st.Headline
	h.render(c, status, "story_edit", page{Title: title, Nav: "story", Flash: h.flash(c), Error: errMsg, Data: d, Editor: true})
	return nil
}

// toAssetView shows an asset through the desk's staff media route.
func toAssetView(as *asset.Asset, role string) assetView {
	v := assetView{ID: as.ID, Kind: string(as.Kind), Filename: as.Filename, Caption: as.Caption, Credit: as.Credit, Alt: as.Alt, Role: role}
	src := as.URL
	for _, r := range as.Renditions {
		if r.Name == "thumbnail" {
			src = r.URL
		}
	}
	if as.Kind == asset.KindImage {
		v.Thumb = deskMediaURL(src)
	}
	return v
}

// deskMediaURL turns /media/<key> into the desk's cookie-authenticated /desk/media/<key>.
func deskMediaURL(u string) string {
	if strings.HasPrefix(u, "/media/") {
		return "/desk" + u
	}
	return u
}
