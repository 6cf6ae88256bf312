package audit

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"unicode/utf8"
)

// MaxStringLen is the most characters (runes) any string the audit log
// stores may have: actor, IP, action, target and every string in the
// details, however deeply nested. Some of them come from anonymous requests
// (a login's username), and the log must not be a place to dump megabytes.
const MaxStringLen = 1024

// Truncated ends a string cut to MaxStringLen, so that a reader sees it was cut.
const Truncated = "…"

// capped is e as the log stores it: every string at most MaxStringLen
// runes of valid UTF-8 (a longer one keeps its first MaxStringLen-1 runes
// and Truncated). Details is a new map; values that need no cut keep their type.
func (e Event) capped() Event {
	e.ActorID, e.ActorName, e.IP = capString(e.ActorID), capString(e.ActorName), capString(e.IP)
	e.Action, e.TargetType, e.TargetID = capString(e.Action), capString(e.TargetType), capString(e.TargetID)
	if e.Details != nil {
		e.Details = capMap(e.Details)
	}
	return e
}

// capString cuts s to MaxStringLen runes and makes it valid UTF-8.
func capString(s string) string {
	if len(s) <= MaxStringLen && utf8.ValidString(s) {
		return s // bytes bound runes
	}
	n, keep := 0, len(s)
	for i := range s {
		if n == MaxStringLen-1 {
			keep = i
		}
		if n == MaxStringLen {
			return strings.ToValidUTF8(s[:keep], "\uFFFD") + Truncated
		}
		n++
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func capMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[capString(k)] = capValue(v)
	}
	return out
}

// capValue caps the strings in a details value, recursively.
func capValue(v any) any {
	switch x := v.(type) {
	case nil, bool, int, int64, float64:
		return v
	case string:
		return capString(x)
	case map[string]any:
		return capMap(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = capValue(e)
		}
		return out
	case []string:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = capString(e)
		}
		return out
	case map[string]string:
		out := make(map[string]string, len(x))
		for k, e := range x {
			out[capString(k)] = capString(e)
		}
		return out
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String: // named string types (a role, a state)
		if s := rv.String(); capString(s) != s {
			return capString(s) // as a plain string: the JSON is the same
		}
		return v
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return v
	}
	// Structs, pointers, typed slices and maps: the store writes their JSON,
	// so cap that. A JSON text no longer than MaxStringLen bytes holds no
	// longer string, and stays as it is.
	b, err := json.Marshal(v)
	if err != nil || len(b) <= MaxStringLen {
		return v // a value that does not marshal fails in the store, as before
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // large integers stay exact
	var g any
	if err := dec.Decode(&g); err != nil {
		return v
	}
	return capValue(g)
}
