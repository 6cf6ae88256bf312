package testutil

import (
	"os/exec"
	"syscall"
)

// setPdeathsig makes the kernel kill the child when the test process dies, so a server never outlives its tests.
func setPdeathsig(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
