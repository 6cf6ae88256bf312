package web_test

import (
	"testing"

	"github.com/newsroom-vn/newsroom/internal/testutil"
)

// TestMain stops the MinIO server the tests shared.
func TestMain(m *testing.M) { testutil.Main(m) }
