package respond

import (
	"bytes"
	"io"
	"net/http"
	"reflect"
	"time"

	"github.com/gin-gonic/gin"
)

// JSON writes v as JSON with every time in UTC: databases hand times back
// in their session's zone, and the API promises RFC 3339 UTC.
func JSON(c *gin.Context, status int, v any) {
	// A struct passed by value is not addressable: copy it behind a pointer so
	// that its own time fields can be converted too.
	if rv := reflect.ValueOf(v); rv.IsValid() && rv.Kind() == reflect.Struct {
		p := reflect.New(rv.Type())
		p.Elem().Set(rv)
		v = p.Interface()
	}
	UTCTimes(v)
	c.JSON(status, v)
}

// List is the shape of every collection answer; NextCursor is "" on the last page.
type List[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// NewList makes a List that never answers "items": null.
func NewList[T any](items []T, next string) List[T] {
	if items == nil {
		items = []T{}
	}
	return List[T]{Items: items, NextCursor: next}
}

var timeType = reflect.TypeOf(time.Time{})

// UTCTimes converts, in place, every time.Time reachable from v through
// pointers, structs, slices and maps to UTC.
func UTCTimes(v any) {
	if v == nil {
		return
	}
	walkUTC(reflect.ValueOf(v), 0)
}

func walkUTC(v reflect.Value, depth int) {
	if depth > 16 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkUTC(v.Elem(), depth+1)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			if v.CanSet() {
				v.Set(reflect.ValueOf(v.Interface().(time.Time).UTC()))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkUTC(v.Field(i), depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkUTC(v.Index(i), depth+1)
		}
	case reflect.Map:
		// Map values are not addressable: only what they point to can change.
		iter := v.MapRange()
		for iter.Next() {
			walkUTC(iter.Value(), depth+1)
		}
	}
}

// Attachment answers 200 with what write produces, as a download named
// filename of type contentType. write runs into a buffer first, so that its
// error is still an ordinary error answer rather than a cut-off file.
func Attachment(c *gin.Context, contentType, filename string, write func(w io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="`+filename+`"`)
	c.Data(http.StatusOK, contentType, buf.Bytes())
	return nil
}
