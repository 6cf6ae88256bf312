package distribution

import (
	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// SeesDeliveryDetail reports whether the actor may see how deliveries went
// in detail: the attempt log (target URLs in errors, the addresses the SSRF
// guard resolved, the first 1 KB of receivers' answers), last errors and
// receivers' ids. It is kept for those who may act on it, the roles that may
// redeliver (CanRedeliver); everyone else sees where a story went and how
// each delivery stands.
func SeesDeliveryDetail(a user.Actor) bool { return CanRedeliver(a) }

// Redact returns the delivery as an actor without SeesDeliveryDetail sees it:
// the last error (which names the URL and the resolved address) and the
// receiver's id (read from its answer) are blanked, and Redacted says so.
func Redact(d Delivery) Delivery {
	d.LastError, d.ExternalID, d.Redacted = "", "", true
	return d
}

// ViewFor returns the deliveries as the actor may see them: unchanged for
// those who see delivery detail, redacted (Redact) for the others.
func ViewFor(a user.Actor, ds []Delivery) []Delivery {
	if SeesDeliveryDetail(a) {
		return ds
	}
	out := make([]Delivery, len(ds))
	for i, d := range ds {
		out[i] = Redact(d)
	}
	return out
}

// errAttemptsForbidden refuses the attempt log to those without SeesDeliveryDetail.
func errAttemptsForbidden() error {
	return apperr.Forbidden("distribution.attempts_forbidden")
}
