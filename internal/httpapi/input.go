package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/user"
)

// decodeJSON reads the request body into dst strictly: the content type must
// be JSON, the body one JSON object with only known fields and nothing after
// it. Its errors name the offending field so that a client can fix the request.
func decodeJSON(c *gin.Context, dst any) error {
	if err := requireJSON(c); err != nil {
		return err
	}
	data, err := readBody(c)
	if err != nil {
		return err
	}
	return decodeStrict(data, dst)
}

// requireJSON refuses bodies that do not say they are JSON.
func requireJSON(c *gin.Context) error {
	ct := c.GetHeader("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || mt != "application/json" {
		return apperr.UnsupportedMedia("http.json_required").
			WithDetails(map[string]any{"content_type": ct})
	}
	return nil
}

// readBody reads the whole (size-limited) body.
func readBody(c *gin.Context) ([]byte, error) {
	if c.Request.Body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, respond.TooLarge(mbe.Limit)
		}
		return nil, apperr.Invalid("http.body_unreadable")
	}
	return data, nil
}

// decodeStrict is decodeJSON without the HTTP parts.
func decodeStrict(data []byte, dst any) error {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return apperr.Invalid("http.body_empty")
	}
	if trimmed[0] != '{' {
		return apperr.Invalid("http.body_not_object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err, data, reflect.TypeOf(dst))
	}
	if _, err := dec.Token(); err != io.EOF {
		return apperr.Invalid("http.json_trailing_data", dec.InputOffset())
	}
	return nil
}

// jsonError turns a decoding error into a 400 that says where and what.
func jsonError(err error, data []byte, dst reflect.Type) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return apperr.Invalid("http.json_syntax", se.Offset).
			WithDetails(map[string]any{"offset": se.Offset})
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Invalid("http.json_truncated", len(data)).
			WithDetails(map[string]any{"offset": len(data)})
	case errors.As(err, &te):
		field := te.Field
		want := describeType(fieldType(dst, field))
		if field == "" {
			return apperr.Invalid("http.body_wrong_type", want)
		}
		return apperr.InvalidField(field, "http.field_wrong_type", field, want)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if uerr != nil {
			field = strings.TrimPrefix(err.Error(), "json: unknown field ")
		}
		return apperr.InvalidField(field, "http.field_unknown", field)
	}
	var pe *time.ParseError
	if errors.As(err, &pe) {
		return apperr.Invalid("http.time_not_rfc3339", pe.Value)
	}
	return apperr.Invalid("http.json_invalid", strings.TrimPrefix(err.Error(), "json: "))
}

// fieldType follows a dotted JSON field path from the type decoded into to the
// declared type of that field, so that "tags": [1] reports the field's type
// (array of string) rather than the element's.
func fieldType(t reflect.Type, path string) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if path == "" || t == nil {
		return t
	}
	name, rest, _ := strings.Cut(path, ".")
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return t
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "" {
			tag = f.Name
		}
		if strings.EqualFold(tag, name) {
			if rest == "" {
				return f.Type
			}
			return fieldType(f.Type, rest)
		}
	}
	return nil
}

var timeType = reflect.TypeOf(time.Time{})

// describeType names a Go type the way a JSON client thinks of it.
func describeType(t reflect.Type) string {
	if t == nil {
		return "a different type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType {
		return "RFC 3339 time string"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array of " + describeType(t.Elem())
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return t.Kind().String()
}

// decode reads the JSON body as an In, strictly (see decodeJSON).
func decode[In any](c *gin.Context) (In, error) {
	var in In
	err := decodeJSON(c, &in)
	return in, err
}

// pathUUID returns a path parameter that must be a UUID.
func pathUUID(c *gin.Context, name string) (string, error) {
	v := c.Param(name)
	u, err := uuid.Parse(v)
	if err != nil || len(v) != 36 {
		return "", apperr.InvalidField(name, "http.path_not_uuid", name, v)
	}
	return u.String(), nil
}

// pathInt returns a path parameter that must be a positive integer.
func pathInt(c *gin.Context, name string) (int, error) {
	n, err := strconv.Atoi(c.Param(name))
	if err != nil || n < 1 {
		return 0, apperr.InvalidField(name, "http.path_not_positive_int", name)
	}
	return n, nil
}

// ifMatch reads If-Match as RFC 9110 §13.1.1 does, with the strong
// comparison it asks for, into the version the service must find: the one
// listed version; the current version (asked of current) when the header is
// "*" or lists it among others; 0, which no resource has, when nothing listed
// can match (W/"3", "abc", garbage), so that the service answers 412 with the
// current version. A missing header is 428 when required, else nil (no check),
// as is "*" when not required. Unquoted numbers are read as their tag, as
// before RFC conformance, so that existing clients keep working.
func ifMatch(c *gin.Context, required bool, current func() (int, error)) (*int, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" {
		if required {
			return nil, apperr.PreconditionRequired("http.story_if_match_required")
		}
		return nil, nil
	}
	star, listed := parseIfMatch(h)
	switch {
	case star && !required:
		return nil, nil
	case !star && len(listed) == 1:
		return &listed[0], nil
	case !star && len(listed) == 0:
		none := 0
		return &none, nil
	}
	cur, err := current()
	if err != nil {
		return nil, err
	}
	if star || slices.Contains(listed, cur) {
		return &cur, nil
	}
	none := 0
	return &none, nil
}

// parseIfMatch splits an If-Match value into "*" and the versions of its
// strong entity-tags; weak and foreign tags are left out, since they never
// match strongly.
func parseIfMatch(h string) (star bool, versions []int) {
	for _, t := range strings.Split(h, ",") {
		t = strings.TrimSpace(t)
		if t == "*" {
			star = true
			continue
		}
		if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
			t = t[1 : len(t)-1]
		}
		if n, err := strconv.Atoi(t); err == nil && n >= 1 && !slices.Contains(versions, n) {
			versions = append(versions, n)
		}
	}
	return star, versions
}

// versionIfMatch reads the required If-Match of a programme or rundown
// change (what: the name of the thing, translated with the message); current gives the
// version that "*" stands for.
func versionIfMatch(c *gin.Context, what apperr.Phrase, current func() (int, error)) (int, error) {
	if strings.TrimSpace(c.GetHeader("If-Match")) == "" {
		return 0, apperr.PreconditionRequired("http.if_match_required", what)
	}
	v, err := ifMatch(c, true, current)
	if err != nil {
		return 0, err
	}
	return *v, nil
}

// versionedTarget reads the UUID path id of a resource changed under a
// required If-Match (what names it in the error) and the version to check.
// find and version give the current version, which "*" stands for.
func versionedTarget[T any](c *gin.Context, what apperr.Phrase, find func(context.Context, user.Actor, string) (T, error), version func(T) int) (string, int, error) {
	id, err := pathUUID(c, "id")
	if err != nil {
		return "", 0, err
	}
	v, err := versionIfMatch(c, what, currentVersion(c, id, find, version))
	return id, v, err
}

// currentVersion asks find for resource id and gives its version, which an
// If-Match of "*" (or a list of versions) is compared with; it is asked
// only when the header needs it.
func currentVersion[T any](c *gin.Context, id string, find func(context.Context, user.Actor, string) (T, error), version func(T) int) func() (int, error) {
	return func() (int, error) {
		v, err := find(c.Request.Context(), actor(c), id)
		if err != nil {
			return 0, err
		}
		return version(v), nil
	}
}

// etag is the entity tag of a story version.
func etag(version int) string { return fmt.Sprintf("%q", strconv.Itoa(version)) }

// queryInt reads an optional integer query parameter within [min, max].
func queryInt(c *gin.Context, name string, def, min, max int) (int, error) {
	s := c.Query(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		return 0, apperr.InvalidField(name, "http.query_int_range", name, min, max)
	}
	return n, nil
}

// queryTime reads an optional RFC 3339 query parameter.
func queryTime(c *gin.Context, name string) (time.Time, error) {
	s := c.Query(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, apperr.InvalidField(name, "http.query_not_time", name)
	}
	return t.UTC(), nil
}

// queryUUID reads an optional UUID query parameter.
func queryUUID(c *gin.Context, name string) (string, error) {
	s := c.Query(name)
	if s == "" {
		return "", nil
	}
	u, err := uuid.Parse(s)
	if err != nil || len(s) != 36 {
		return "", apperr.InvalidField(name, "http.query_not_uuid", name)
	}
	return u.String(), nil
}

// queryPage reads the page of a keyset-paged list: ?limit= (def when absent,
// at most max) and ?cursor=, the token of a position P.
func queryPage[P any](c *gin.Context, cur respond.Cursor[P], def, max int) (limit int, after *P, err error) {
	if limit, err = queryInt(c, "limit", def, 1, max); err != nil {
		return 0, nil, err
	}
	after, err = cur.Query(c)
	return limit, after, err
}

// queryPeriod reads the optional RFC 3339 bounds of a period, named from
// and to in the query.
func queryPeriod(c *gin.Context, from, to string) (time.Time, time.Time, error) {
	f, err := queryTime(c, from)
	if err != nil {
		return f, time.Time{}, err
	}
	t, err := queryTime(c, to)
	return f, t, err
}
