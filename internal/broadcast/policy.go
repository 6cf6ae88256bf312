package broadcast

import (
	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// The permission table of programmes and rundowns: producers own them; the
// editorial desk and the administrator read them (the administrator also
// manages programmes); reporters have no part in them.

// CanRead reports whether the actor may read programmes and rundowns.
func CanRead(a user.Actor) bool {
	return a.Role == user.RoleProducer || a.Role.IsEditorial() || a.Role == user.RoleAdmin || a.IsSystem()
}

// CanManageProgrammes reports whether the actor may create, change and delete programmes.
func CanManageProgrammes(a user.Actor) bool {
	return a.Role == user.RoleProducer || a.Role == user.RoleAdmin || a.IsSystem()
}

// CanEditRundowns reports whether the actor may build rundowns and take them on air.
func CanEditRundowns(a user.Actor) bool { return a.Role == user.RoleProducer || a.IsSystem() }

func requireRead(a user.Actor) error {
	if !CanRead(a) {
		return apperr.Forbidden("broadcast.read_forbidden", apperr.ByLang(a.Role.Label(), a.Role))
	}
	return nil
}

// requireTo refuses first who may not read, then, with refusal, who may
// not do what can allows.
func requireTo(a user.Actor, can func(user.Actor) bool, refusal *apperr.Error) error {
	if err := requireRead(a); err != nil {
		return err
	}
	if !can(a) {
		return refusal
	}
	return nil
}

func requireProgrammes(a user.Actor) error {
	return requireTo(a, CanManageProgrammes, apperr.Forbidden("broadcast.manage_programmes_forbidden"))
}

func requireRundowns(a user.Actor) error {
	return requireTo(a, CanEditRundowns, apperr.Forbidden("broadcast.build_rundowns_forbidden"))
}
