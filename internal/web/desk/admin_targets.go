package desk

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/distribution"
	"github.com/newsroom-vn/newsroom/internal/story"
)

// targetForm is a target's form, as stored or typed (the secret is never shown).
type targetForm struct {
	ID, Name, Kind, URL, Format, Tags string
	HasSecret, Active                 bool
	Sections                          []sectionOption
	Channels                          []channelOption
	Formats                           []distribution.Format
}

type targetRow struct {
	ID, Name, Kind, URL, Format, FeedURL string
	Filters                              []string
	Active, HasSecret                    bool
}

type targetsData struct {
	Targets []targetRow
	New     targetForm
	Kinds   []distribution.Kind
}

var targetFormats = []distribution.Format{distribution.FormatNinjs, distribution.FormatCompact, distribution.FormatSummary, distribution.FormatFull}

// targetFormOf fills the form from a target (nil: the defaults of a new one).
func targetFormOf(t *distribution.Target, secList []story.Section) targetForm {
	f := targetForm{Kind: string(distribution.KindWebhook), Active: true}
	var secs, chans []string
	if t != nil {
		f = targetForm{ID: t.ID, Name: t.Name, Kind: string(t.Kind), URL: t.URL, Format: string(t.Format), Tags: strings.Join(t.Tags, ", "),
			HasSecret: t.HasSecret, Active: t.Active}
		secs, chans = t.Sections, t.Channels
	}
	for _, s := range secList {
		f.Sections = append(f.Sections, sectionOption{ID: s.ID, Name: s.Name, Selected: slices.Contains(secs, s.ID) || slices.Contains(secs, s.Slug)})
	}
	for _, ch := range story.Channels {
		f.Channels = append(f.Channels, channelOption{Value: string(ch), Checked: slices.Contains(chans, string(ch))})
	}
	f.Formats = targetFormats
	return f
}

// targetInput reads the form; typed is what to show again if the service refuses it.
func targetInput(c *gin.Context, id string, creating bool, secList []story.Section) (distribution.TargetInput, targetForm) {
	name, url, format := c.PostForm("name"), c.PostForm("url"), c.PostForm("format")
	secs, chans, tags := c.PostFormArray("sections"), c.PostFormArray("channels"), splitList(c.PostForm("tags"))
	active := c.PostForm("active") == "1"
	in := distribution.TargetInput{Name: &name, URL: &url, Sections: &secs, Channels: &chans, Tags: &tags, Active: &active}
	if format != "" {
		in.Format = &format
	}
	if creating {
		kind := c.PostForm("kind")
		in.Kind = &kind
	}
	if s := c.PostForm("secret"); s != "" {
		in.Secret = &s
	} else if c.PostForm("clear_secret") == "1" {
		in.Secret = &s
	}
	typed := targetFormOf(&distribution.Target{ID: id, Name: name, Kind: distribution.Kind(c.PostForm("kind")), URL: url,
		Format: distribution.Format(format), Tags: tags, Active: active, Sections: secs, Channels: chans}, secList)
	return in, typed
}

// adminTargets is /desk/admin/targets: distribution targets and a form to add one.
func (h *Handler) adminTargets(c *gin.Context) error {
	return h.targetsPage(c, http.StatusOK, "", nil)
}

func (h *Handler) targetsPage(c *gin.Context, status int, errMsg string, typed *targetForm) error {
	ctx := c.Request.Context()
	secs, secList, err := h.sectionNames(ctx)
	if err != nil {
		return err
	}
	ts, err := h.dist.FindTargets(ctx, actor(c))
	if err != nil {
		return err
	}
	d := targetsData{New: targetFormOf(nil, secList), Kinds: distribution.Kinds}
	if typed != nil {
		d.New = *typed
	}
	for _, t := range ts {
		r := targetRow{ID: t.ID, Name: t.Name, Kind: string(t.Kind), URL: t.URL, Format: string(t.Format), FeedURL: t.FeedURL, Active: t.Active, HasSecret: t.HasSecret}
		for _, s := range t.Sections {
			if sec, ok := secs[s]; ok {
				s = sec.Name
			}
			r.Filters = append(r.Filters, s)
		}
		for _, ch := range t.Channels {
			r.Filters = append(r.Filters, h.tr(c, "channel."+ch))
		}
		for _, tag := range t.Tags {
			r.Filters = append(r.Filters, "#"+tag)
		}
		d.Targets = append(d.Targets, r)
	}
	h.render(c, status, "admin_targets", page{Title: h.tr(c, "admin.targets.title"), Nav: "admin", Flash: h.adminFlash(c), Error: errMsg, Data: d})
	return nil
}

// adminCreateTarget is POST /desk/admin/targets (distribution.Service.CreateTarget,
// which refuses internal addresses: the SSRF guard). An rss target's feed
// token is shown once.
func (h *Handler) adminCreateTarget(c *gin.Context) error {
	_, secList, err := h.sectionNames(c.Request.Context())
	if err != nil {
		return err
	}
	in, typed := targetInput(c, "", true, secList)
	t, err := h.dist.CreateTarget(c.Request.Context(), actor(c), in)
	if err != nil {
		status, msg := h.explain(c, err)
		return h.targetsPage(c, status, msg, &typed)
	}
	if t.FeedToken != "" {
		h.showSecret(c, h.tr(c, "admin.targets.created_title"), secretData{Label: h.tr(c, "admin.targets.feed_label", t.Name),
			Value: t.FeedURL + "?token=" + t.FeedToken, Note: h.tr(c, "admin.targets.feed_note"), Back: "/desk/admin/targets"})
		return nil
	}
	c.Redirect(http.StatusSeeOther, "/desk/admin/targets?ok=created")
	return nil
}

type targetEditData struct {
	Form targetForm
}

// adminTargetPage is /desk/admin/targets/{id}: the edit form.
func (h *Handler) adminTargetPage(c *gin.Context) error {
	return h.targetEditPage(c, http.StatusOK, "", nil)
}

func (h *Handler) targetEditPage(c *gin.Context, status int, errMsg string, typed *targetForm) error {
	ctx := c.Request.Context()
	t, err := h.dist.FindTargetByID(ctx, actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	_, secList, err := h.sectionNames(ctx)
	if err != nil {
		return err
	}
	d := targetEditData{Form: targetFormOf(t, secList)}
	if typed != nil {
		typed.Kind, typed.HasSecret = d.Form.Kind, d.Form.HasSecret
		d.Form = *typed
	}
	h.render(c, status, "admin_target_edit", page{Title: h.tr(c, "admin.targets.edit_title", t.Name), Nav: "admin", Error: errMsg, Data: d})
	return nil
}

// adminUpdateTarget is POST /desk/admin/targets/{id}; an empty secret keeps the stored one.
func (h *Handler) adminUpdateTarget(c *gin.Context) error {
	_, secList, err := h.sectionNames(c.Request.Context())
	if err != nil {
		return err
	}
	in, typed := targetInput(c, c.Param("id"), false, secList)
	_, err = h.dist.UpdateTarget(c.Request.Context(), actor(c), c.Param("id"), in)
	return h.afterPost(c, err, "/desk/admin/targets?ok=updated", func(status int, msg string) error {
		return h.targetEditPage(c, status, msg, &typed)
	})
}

// adminTargetActive is POST /desk/admin/targets/{id}/active (active=1|0):
// switch a target on or off from the list.
func (h *Handler) adminTargetActive(c *gin.Context) error {
	active, ok, valid := formSwitch(c, "active", "activated", "deactivated")
	if !valid {
		return h.targetsPage(c, http.StatusBadRequest, h.tr(c, "admin.targets.bad_active"), nil)
	}
	_, err := h.dist.UpdateTarget(c.Request.Context(), actor(c), c.Param("id"), distribution.TargetInput{Active: &active})
	return h.afterPost(c, err, "/desk/admin/targets?ok="+ok, func(status int, msg string) error {
		return h.targetsPage(c, status, msg, nil)
	})
}
