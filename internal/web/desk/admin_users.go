package desk

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/user"
)

type userRow struct {
	ID, Username, DisplayName, Email string
	Role                             user.Role
	Sections                         []sectionOption
	SectionNames                     []string
	Active, Locked, MustChange, MFA  bool
	// Dormant: disabled by the dormant-account job; Expired: the password
	// is older than auth.password_max_age.
	Dormant, Expired bool
	LastLogin        string
	Self             bool
}

// userForm is the create form, as typed.
type userForm struct {
	Username, DisplayName, Email string
	Role                         string
	Sections                     []sectionOption
}

type usersData struct {
	Users []userRow
	Roles []user.Role
	Form  userForm
}

// adminUsers is /desk/admin/users: the accounts, with forms to create one,
// change role and sections, lock or unlock, and reset a password.
func (h *Handler) adminUsers(c *gin.Context) error {
	return h.usersPage(c, http.StatusOK, "", nil)
}

func (h *Handler) usersPage(c *gin.Context, status int, errMsg string, typed *userForm) error {
	ctx := c.Request.Context()
	a := actor(c)
	secs, secList, err := h.sectionNames(ctx)
	if err != nil {
		return err
	}
	users, err := h.users.FindUsers(ctx, a, user.Filter{Limit: 1000})
	if err != nil {
		return err
	}
	options := func(chosen []string) []sectionOption {
		out := make([]sectionOption, 0, len(secList))
		for _, s := range secList {
			out = append(out, sectionOption{ID: s.ID, Name: s.Name, Selected: slices.Contains(chosen, s.ID)})
		}
		return out
	}
	enrolled, err := h.users.MFAEnrolledUsers(ctx, a)
	if err != nil {
		return err
	}
	d := usersData{Roles: user.Roles, Form: userForm{Role: string(user.RoleReporter), Sections: options(nil)}}
	if typed != nil {
		d.Form = *typed
	}
	for _, u := range users {
		r := userRow{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Email: u.Email, Role: u.Role,
			Sections: options(u.SectionIDs), Active: u.Active, Locked: u.Locked(), MustChange: u.MustChangePassword, Self: u.ID == a.UserID,
			LastLogin: formatWhen(u.LastLoginAt), Dormant: !u.Active && u.DisabledReason == user.DisabledDormant, Expired: h.users.PasswordExpired(&u),
			MFA: slices.Contains(enrolled, u.ID)}
		for _, id := range u.SectionIDs {
			r.SectionNames = append(r.SectionNames, secs[id].Name)
		}
		d.Users = append(d.Users, r)
	}
	h.render(c, status, "admin_users", page{Title: h.tr(c, "admin.users.title"), Nav: "admin", Flash: h.adminFlash(c), Error: errMsg, Data: d})
	return nil
}

// adminCreateUser is POST /desk/admin/users (user.Service.CreateUser with no
// password: the service makes a one-time password, shown here once).
func (h *Handler) adminCreateUser(c *gin.Context) error {
	in := user.NewUser{Username: c.PostForm("username"), DisplayName: c.PostForm("display_name"), Email: c.PostForm("email"),
		Role: c.PostForm("role"), SectionIDs: c.PostFormArray("section_ids")}
	u, otp, err := h.users.CreateUser(c.Request.Context(), actor(c), in)
	if err != nil {
		status, msg := h.explain(c, err)
		_, secList, serr := h.sectionNames(c.Request.Context())
		if serr != nil {
			return serr
		}
		f := userForm{Username: in.Username, DisplayName: in.DisplayName, Email: in.Email, Role: in.Role}
		for _, s := range secList {
			f.Sections = append(f.Sections, sectionOption{ID: s.ID, Name: s.Name, Selected: slices.Contains(in.SectionIDs, s.ID)})
		}
		return h.usersPage(c, status, msg, &f)
	}
	h.showSecret(c, h.tr(c, "admin.users.created_title"), secretData{Label: h.tr(c, "admin.users.otp_label", u.Username), Value: otp,
		Note: h.tr(c, "admin.users.otp_note"), Back: "/desk/admin/users"})
	return nil
}

// adminUpdateUser is POST /desk/admin/users/{id}: role and sections.
func (h *Handler) adminUpdateUser(c *gin.Context) error {
	role := c.PostForm("role")
	secs := c.PostFormArray("section_ids")
	in := user.UserUpdate{Role: &role, SectionIDs: &secs}
	if dn, ok := c.GetPostForm("display_name"); ok {
		in.DisplayName = &dn
	}
	_, err := h.users.UpdateUser(c.Request.Context(), actor(c), c.Param("id"), in)
	return h.afterPost(c, err, "/desk/admin/users?ok=updated", func(status int, msg string) error {
		return h.usersPage(c, status, msg, nil)
	})
}

// adminLockUser is POST /desk/admin/users/{id}/lock (locked=1 locks, 0
// unlocks and resets the failed-login count).
func (h *Handler) adminLockUser(c *gin.Context) error {
	locked, ok, valid := formSwitch(c, "locked", "locked", "unlocked")
	if !valid {
		return h.usersPage(c, http.StatusBadRequest, h.tr(c, "admin.users.bad_lock"), nil)
	}
	_, err := h.users.UpdateUser(c.Request.Context(), actor(c), c.Param("id"), user.UserUpdate{Locked: &locked})
	return h.afterPost(c, err, "/desk/admin/users?ok="+ok, func(status int, msg string) error {
		return h.usersPage(c, status, msg, nil)
	})
}

// adminResetPassword is POST /desk/admin/users/{id}/password: a new random
// one-time password, shown once; the account must change it at next login
// and its sessions end (user.Service.UpdateUser).
func (h *Handler) adminResetPassword(c *gin.Context) error {
	pw := user.RandomPassword()
	u, err := h.users.UpdateUser(c.Request.Context(), actor(c), c.Param("id"), user.UserUpdate{Password: &pw})
	if err != nil {
		status, msg := h.explain(c, err)
		return h.usersPage(c, status, msg, nil)
	}
	h.showSecret(c, h.tr(c, "admin.users.reset_title"), secretData{Label: h.tr(c, "admin.users.otp_label", u.Username), Value: pw,
		Note: h.tr(c, "admin.users.otp_note"), Back: "/desk/admin/users"})
	return nil
}
