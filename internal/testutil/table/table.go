// Package table runs the commonest table test: a named input, a function of
// one argument, and the output it must give. It imports nothing of the
// newsroom, so the in-package tests of low-level packages (textvi, richtext,
// story) share it without the import cycle testutil would bring.
// (dd-tests helper, issue 12.)
package table

import "testing"

// Case is one row: its name, the input and the output wanted. It is an alias
// of a struct type with no name, so a table writes its rows positionally
// ({"name", in, want}) as a struct of its own test would.
type Case[In, Out comparable] = struct {
	Name string
	In   In
	Want Out
}

// Run calls f on the input of every case, each as a subtest named after the
// case, and reports the rows whose output differs; fname names f in the report.
func Run[In, Out comparable](t *testing.T, fname string, f func(In) Out, cases []Case[In, Out]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if got := f(c.In); got != c.Want {
				t.Errorf("%s(%#v)\n got %#v\nwant %#v", fname, c.In, got, c.Want)
			}
		})
	}
}
