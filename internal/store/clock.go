package store

import (
	"context"
	"fmt"
	"time"
)

// ClockOffset is how far the database server's clock is ahead of this
// process's (negative: behind). On PostgreSQL it reads clock_timestamp() and
// compares it with the midpoint of the query's round trip, so the network
// delay is halved out of it; on SQLite the database runs in this process and
// shares its clock: 0. Of three readings it keeps the one with the shortest
// round trip, the least skewed by a connection being dialled or a slow answer.
func (db *DB) ClockOffset(ctx context.Context) (time.Duration, error) {
	if db.Dialect != DialectPostgres {
		return 0, nil
	}
	var offset, best time.Duration = 0, -1
	for range 3 {
		var dbNow time.Time
		before := time.Now()
		if err := db.SQL.QueryRowContext(ctx, "SELECT clock_timestamp()").Scan(&dbNow); err != nil {
			return 0, fmt.Errorf("store: read the database clock: %w", err)
		}
		rtt := time.Since(before)
		if best < 0 || rtt < best {
			best, offset = rtt, dbNow.Sub(before.Add(rtt/2))
		}
	}
	return offset, nil
}
