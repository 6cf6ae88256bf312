package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/audit"
	"github.com/newsroom-vn/newsroom/internal/respond"
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
	respond.JSON(c, http.StatusOK, respond.NewList(items, next))
	return nil
}

// auditFilter reads the audit list's query parameters.
func auditFilter(c *gin.Context) (audit.Filter, error) {
	f := audit.Filter{Action: c.Query("action"), TargetType: c.Query("target_type"), TargetID: c.Query("target_id")}
	var err error
	if f.ActorID, err = queryUUID(c, "actor"); err != nil {
		return f, err
	}
	if f.From, err = queryTime(c, "from"); err != nil {
		return f, err
	}
	if f.To, err = queryTime(c, "to"); err != nil {
		return f, err
	}
	if f.Limit, err = queryInt(c, "limit", 100, 1, 500); err != nil {
		return f, err
	}
	cur, err := auditCursor.Query(c)
	if cur != nil {
		f.BeforeID = cur.BeforeID
	}
	return f, err
}
