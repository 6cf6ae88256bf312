package web_test

import (
	"os"
	"testing"

	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// TestMain stops the MinIO server the tests shared.
func TestMain(m *testing.M) {
	code := m.Run()
	testutil.StopSharedMinIO()
	os.Exit(code)
}
