package testutil

// Written by the dd-faces helper (issue 12): the accounts and sections the
// face and job harnesses each created by hand.

import (
	"context"

	"github.com/newsroom-vn/newsroom/internal/story"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// Member creates an active account called name (shown as "Tên name") with
// role and password, who need not change the password at first login, and
// returns it as an actor.
func (a *App) Member(name string, role user.Role, password string) user.Actor {
	a.t.Helper()
	no := false
	u, _, err := a.Users.CreateUser(context.Background(), user.System, user.NewUser{Username: name, DisplayName: "Tên " + name,
		Role: string(role), Password: password, MustChangePassword: &no})
	if err != nil {
		a.t.Fatalf("create %s: %v", name, err)
	}
	return user.Actor{UserID: u.ID, Username: u.Username, Role: u.Role}
}

// Section creates the section name (slug) as admin with levels approval
// levels; roles, when not nil, say who signs each level.
func (a *App) Section(admin user.Actor, name, slug string, levels int, roles [][]user.Role) *story.Section {
	a.t.Helper()
	in := story.SectionInput{Name: &name, Slug: &slug, ApprovalLevels: &levels}
	if roles != nil {
		in.LevelRoles = &roles
	}
	sec, err := a.Stories.CreateSection(context.Background(), admin, in)
	if err != nil {
		a.t.Fatalf("create section %s: %v", slug, err)
	}
	return sec
}
