package respond

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/apperr"
)

// Cursor reads and writes the opaque page tokens of keyset-paged lists: a
// position of type T (for example story.Cursor) as base64url JSON. Valid, when
// set, rejects a well-formed token whose position is incomplete.
type Cursor[T any] struct {
	Valid func(*T) bool
}

var (
	errBadCursor        = apperr.InvalidField("cursor", "http.cursor_invalid")
	errIncompleteCursor = apperr.InvalidField("cursor", "http.cursor_incomplete")
)

// Encode makes the token of a position; nil (the last page) is "".
func (Cursor[T]) Encode(pos *T) string {
	if pos == nil {
		return ""
	}
	b, err := json.Marshal(pos)
	if err != nil {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Decode reads a token made by Encode; "" (the first page) is nil. Unknown
// fields, trailing data or an incomplete position are an invalid "cursor".
func (cur Cursor[T]) Decode(s string) (*T, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, errBadCursor
	}
	if t := bytes.TrimSpace(b); len(t) == 0 || t[0] != '{' {
		return nil, errBadCursor
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	pos := new(T)
	if err := dec.Decode(pos); err != nil {
		return nil, errBadCursor
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errBadCursor
	}
	if cur.Valid != nil && !cur.Valid(pos) {
		return nil, errIncompleteCursor
	}
	return pos, nil
}

// Query decodes the "cursor" query parameter.
func (cur Cursor[T]) Query(c *gin.Context) (*T, error) { return cur.Decode(c.Query("cursor")) }
