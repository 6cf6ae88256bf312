package testutil

// Written by the dd-faces helper (issue 12): the account the face and job
// harnesses each created by hand.

import (
	"context"

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
