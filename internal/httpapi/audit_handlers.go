package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/audit"
)

// listAudit lists audit events, newest first (admin).
func (a *api) listAudit(c *gin.Context) error {
	f, err := auditFilter(c)
	if err != nil {
		return err
	}
	items, before, err := a.audit.FindEvents(c.Request.Context(), actor(c), f)
	if err != nil {
		return err
	}
	next := ""
	if before != 0 {
		next = auditCursor.Encode(&auditPosition{BeforeID: before})
	}
	return answerList(c, items, next, nil)
}

// auditFilter reads the audit list's query parameters.
func auditFilter(c *gin.Context) (audit.Filter, error) {
	f := audit.Filter{Action: c.Query("action"), TargetType: c.Query("target_type"), TargetID: c.Query("target_id")}
	var err error
	if f.ActorID, err = queryUUID(c, "actor"); err != nil {
		return f, err
	}
	if f.From, f.To, err = queryPeriod(c, "from", "to"); err != nil {
		return f, err
	}
	var cur *auditPosition
	if f.Limit, cur, err = queryPage(c, auditCursor, 100, 500); cur != nil {
		f.BeforeID = cur.BeforeID
	}
	return f, err
}
