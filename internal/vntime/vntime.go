// Package vntime shows times the way Vietnamese readers expect them: in
// Asia/Ho_Chi_Minh, as dd/mm/yyyy HH:mm. Times are stored in UTC.
package vntime

import (
	"time"
	_ "time/tzdata" // the zone database travels in the binary: containers often lack /usr/share/zoneinfo
)

// Layout is the display format.
const Layout = "02/01/2006 15:04"

// Location is Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
var Location = mustLoad()

func mustLoad() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
}

// Format shows t in Vietnam time as dd/mm/yyyy HH:mm; the zero time is "".
func Format(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Location).Format(Layout)
}
