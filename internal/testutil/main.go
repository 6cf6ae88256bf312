package testutil

import (
	"os"
	"testing"
)

// Main is the TestMain of a package whose tests share the MinIO server
// (StartMinIO): it runs the tests, stops that server and removes its data,
// runs cleanups (e.g. removing a binary the tests built) and exits with the
// tests' code. Use: func TestMain(m *testing.M) { testutil.Main(m) }.
// (cmdtests helper, issue 12.)
func Main(m *testing.M, cleanups ...func()) {
	code := m.Run()
	StopSharedMinIO()
	for _, c := range cleanups {
		c()
	}
	os.Exit(code)
}
