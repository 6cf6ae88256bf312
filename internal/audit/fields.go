package audit

import (
	"reflect"
	"strings"
)

// ChangedFields names the fields that change, a partial change (a struct, or a
// pointer to one, whose fields are pointers: nil for "leave as it is"),
// sets, by their JSON names and in their order: the "fields" detail of an
// edit's audit record. Reading them from the struct keeps the record right
// when a field is added; nil when nothing is set, as the JSON null of the
// records written so far.
func ChangedFields(change any) []string {
	v := reflect.Indirect(reflect.ValueOf(change))
	var names []string
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.Type.Kind() != reflect.Pointer || v.Field(i).IsNil() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}
