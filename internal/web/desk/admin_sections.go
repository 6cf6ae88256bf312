package desk

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// signingRoles are the roles a section's approval level may name.
var signingRoles = []user.Role{user.RoleEditor, user.RoleManagingEditor, user.RoleEditorInChief}

type levelView struct {
	N     int
	Roles []roleOption
}

type roleOption struct {
	Role    user.Role
	Checked bool
}

// sectionForm is one section's form (or the create form), as stored or typed.
type sectionForm struct {
	ID, Name, Slug string
	CSRF           string // the nested form template has no $
	Levels         int
	LevelRoles     []levelView
}

type sectionsData struct {
	Sections []sectionForm
	New      sectionForm
}

func sectionFormOf(id, name, slug string, levels int, lr [][]user.Role) sectionForm {
	f := sectionForm{ID: id, Name: name, Slug: slug, Levels: levels}
	for n := 1; n <= 3; n++ {
		var chosen []user.Role
		if n <= len(lr) {
			chosen = lr[n-1]
		} else if n <= len(story.DefaultLevelRoles) {
			chosen = story.DefaultLevelRoles[n-1]
		}
		lv := levelView{N: n}
		for _, r := range signingRoles {
			lv.Roles = append(lv.Roles, roleOption{Role: r, Checked: slices.Contains(chosen, r)})
		}
		f.LevelRoles = append(f.LevelRoles, lv)
	}
	return f
}

// adminSections is /desk/admin/sections: sections with their approval
// levels and the roles that may sign each level.
func (h *Handler) adminSections(c *gin.Context) error {
	return h.sectionsPage(c, http.StatusOK, "", nil)
}

// sectionsPage renders the list; typed replaces the section of the same id
// (or the create form when its id is empty) with what was typed.
func (h *Handler) sectionsPage(c *gin.Context, status int, errMsg string, typed *sectionForm) error {
	_, secList, err := h.sectionNames(c.Request.Context())
	if err != nil {
		return err
	}
	d := sectionsData{New: sectionFormOf("", "", "", 1, nil)}
	for _, s := range secList {
		f := sectionFormOf(s.ID, s.Name, s.Slug, s.ApprovalLevels, s.LevelRoles)
		if typed != nil && typed.ID == s.ID {
			f = *typed
		}
		d.Sections = append(d.Sections, f)
	}
	if typed != nil && typed.ID == "" {
		d.New = *typed
	}
	d.New.CSRF = csrfToken(c)
	for i := range d.Sections {
		d.Sections[i].CSRF = d.New.CSRF
	}
	h.render(c, status, "admin_sections", page{Title: h.tr(c, "admin.sections.title"), Nav: "admin", Flash: h.adminFlash(c), Error: errMsg, Data: d})
	return nil
}

// sectionInput reads the form: name, slug, approval_levels and, per level
// in use, level{N} (the roles that may sign it).
func (h *Handler) sectionInput(c *gin.Context, id string) (story.SectionInput, sectionForm, string) {
	name, slug := c.PostForm("name"), strings.TrimSpace(c.PostForm("slug"))
	levels, err := strconv.Atoi(c.PostForm("approval_levels"))
	var lr [][]user.Role
	for n := 1; n <= 3; n++ {
		var roles []user.Role
		for _, r := range c.PostFormArray("level" + strconv.Itoa(n)) {
			roles = append(roles, user.Role(r))
		}
		lr = append(lr, roles)
	}
	typed := sectionFormOf(id, name, slug, levels, nil)
	for i := range typed.LevelRoles {
		for j := range typed.LevelRoles[i].Roles {
			typed.LevelRoles[i].Roles[j].Checked = slices.Contains(lr[i], typed.LevelRoles[i].Roles[j].Role)
		}
	}
	if err != nil {
		return story.SectionInput{}, typed, h.tr(c, "admin.sections.bad_levels")
	}
	if levels >= 1 && levels <= 3 {
		lr = lr[:levels]
	}
	in := story.SectionInput{Name: &name, ApprovalLevels: &levels, LevelRoles: &lr}
	if slug != "" {
		in.Slug = &slug
	}
	return in, typed, ""
}

// adminCreateSection is POST /desk/admin/sections (story.Service.CreateSection).
func (h *Handler) adminCreateSection(c *gin.Context) error {
	in, typed, bad := h.sectionInput(c, "")
	if bad != "" {
		return h.sectionsPage(c, http.StatusBadRequest, bad, &typed)
	}
	_, err := h.stories.CreateSection(c.Request.Context(), actor(c), in)
	return h.afterPost(c, err, "/desk/admin/sections?ok=created", func(status int, msg string) error {
		return h.sectionsPage(c, status, msg, &typed)
	})
}

// adminUpdateSection is POST /desk/admin/sections/{id} (story.Service.UpdateSection).
func (h *Handler) adminUpdateSection(c *gin.Context) error {
	id := c.Param("id")
	in, typed, bad := h.sectionInput(c, id)
	if bad != "" {
		return h.sectionsPage(c, http.StatusBadRequest, bad, &typed)
	}
	_, err := h.stories.UpdateSection(c.Request.Context(), actor(c), id, in)
	return h.afterPost(c, err, "/desk/admin/sections?ok=updated", func(status int, msg string) error {
		return h.sectionsPage(c, status, msg, &typed)
	})
}
