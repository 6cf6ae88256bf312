package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/clock"
	"github.com/newsroom-vn/newsroom/internal/respond"
)

// healthz answers while the process runs (liveness).
func (a *api) healthz(c *gin.Context) error {
	respond.JSON(c, http.StatusOK, gin.H{"status": "ok", "version": a.version})
	return nil
}

// readyz answers 200 only when the backends do (readiness), so that a load
// balancer stops sending work to a process that lost its database. The
// answer also reports the offset between this process's clock and the
// database's (clock_offset_ms, clock_source), with clock_warning over
// clock.WarnOver: a warning, not a reason to take the process out.
func (a *api) readyz(c *gin.Context) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if a.ready != nil {
		if err := a.ready(ctx); err != nil {
			return apperr.Unavailable("http.not_ready", err.Error()).WithReason("not_ready")
		}
	}
	body := gin.H{"status": "ok"}
	if a.clock != nil {
		addClock(body, respond.Lang(c))(a.clock(ctx))
	}
	respond.JSON(c, http.StatusOK, body)
	return nil
}

// addClock returns what puts a clock reading into the /readyz answer, in lang.
func addClock(body gin.H, lang string) func(clock.Reading, error) {
	return func(r clock.Reading, err error) {
		if err != nil {
			body["clock_error"] = apperr.T("http.clock_unreadable").Text(lang)
			return
		}
		body["clock_offset_ms"], body["clock_source"] = r.OffsetMS(), r.Source()
		if r.Warn() {
			body["clock_warning"] = apperr.T("http.clock_offset_over", r.OffsetMS(), clock.WarnOver.Milliseconds()).Text(lang)
		}
	}
}
