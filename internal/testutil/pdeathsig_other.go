//go:build !linux

package testutil

import "os/exec"

// setPdeathsig does nothing where the kernel has no parent-death signal; StopSharedMinIO kills the server.
func setPdeathsig(cmd *exec.Cmd) {}
