package store

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// timeLayout is how every timestamp is written: UTC, microseconds, fixed
// width. modernc.org/sqlite would otherwise write time.Time with a variable
// number of fraction digits, and TEXT comparison and ORDER BY on SQLite would
// then disagree with time order. PostgreSQL parses the same text into
// timestamptz, whose precision is also the microsecond.
const timeLayout = "2006-01-02 15:04:05.000000-07:00"

// parseLayouts are accepted when scanning text (our own first).
var parseLayouts = []string{
	timeLayout,
	"2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
}

// norm is the form of every time the store writes and returns: UTC,
// truncated to microseconds, without a monotonic reading, so that a value
// read back equals the value written on both databases.
func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func normPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	n := norm(*t)
	return &n
}

// dbTime is a NOT NULL timestamp column.
type dbTime struct{ T time.Time }

func toDB(t time.Time) dbTime { return dbTime{T: norm(t)} }

// Value writes the fixed-width UTC text.
func (t dbTime) Value() (driver.Value, error) { return norm(t.T).Format(timeLayout), nil }

// Scan reads time.Time (pgx, or SQLite DATETIME columns) or text.
func (t *dbTime) Scan(src any) error {
	v, ok, err := scanTime(src)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("store: NULL in a NOT NULL time column")
	}
	t.T = v
	return nil
}

// nullTime is a nullable timestamp column.
type nullTime struct {
	T     time.Time
	Valid bool
}

func toNull(t *time.Time) nullTime {
	if t == nil {
		return nullTime{}
	}
	return nullTime{T: norm(*t), Valid: true}
}

// Ptr returns the time or nil.
func (t nullTime) Ptr() *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.T
	return &v
}

// Value writes the fixed-width UTC text or NULL.
func (t nullTime) Value() (driver.Value, error) {
	if !t.Valid {
		return nil, nil
	}
	return norm(t.T).Format(timeLayout), nil
}

// Scan reads time.Time, text or NULL.
func (t *nullTime) Scan(src any) error {
	v, ok, err := scanTime(src)
	if err != nil {
		return err
	}
	t.T, t.Valid = v, ok
	return nil
}

func scanTime(src any) (time.Time, bool, error) {
	var s string
	switch v := src.(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		return norm(v), true, nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return time.Time{}, false, fmt.Errorf("store: cannot scan %T into a time", src)
	}
	s = strings.TrimSpace(s)
	for _, l := range parseLayouts {
		if v, err := time.Parse(l, s); err == nil {
			return norm(v), true, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("store: cannot parse time %q", s)
}

// jsonCol is a JSON column (jsonb on PostgreSQL, TEXT on SQLite).
type jsonCol[T any] struct{ V T }

// Value writes the JSON text.
func (j jsonCol[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(j.V)
	if err != nil {
		return nil, fmt.Errorf("store: encode json: %w", err)
	}
	return string(b), nil
}

// Scan decodes JSON text; NULL leaves the zero value.
func (j *jsonCol[T]) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		var zero T
		j.V = zero
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("store: cannot scan %T into json", src)
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("store: decode json: %w", err)
	}
	j.V = v
	return nil
}

// list makes nil slices empty so that JSON lists are "[]", never "null", and
// reads return empty slices rather than nil.
func list[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// nullJSONMap is a nullable JSON object column: a nil map is NULL.
type nullJSONMap struct{ V map[string]any }

// Value writes the JSON text, or NULL for a nil map.
func (j nullJSONMap) Value() (driver.Value, error) {
	if j.V == nil {
		return nil, nil
	}
	return jsonCol[map[string]any]{V: j.V}.Value()
}

// Scan decodes JSON text; NULL gives a nil map.
func (j *nullJSONMap) Scan(src any) error {
	var c jsonCol[map[string]any]
	if err := c.Scan(src); err != nil {
		return err
	}
	j.V = c.V
	return nil
}

// GormDataType names the column type for GORM, which otherwise probes Value
// on a zero nullJSONMap, gets NULL and tries to parse the struct's fields.
func (nullJSONMap) GormDataType() string { return "json" }
