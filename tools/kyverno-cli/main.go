// Command kyverno is the Kyverno CLI at the version pinned in go.mod, built through this module so that
// Kyverno's replace directive holds (see go.mod).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno/commands"
	"github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno/commands/apply"
	"github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno/experimental"
	"github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno/log"
)

func main() {
	root := commands.RootCommand(experimental.IsEnabled())
	if err := log.Configure(); err != nil {
		fmt.Fprintln(os.Stderr, "kyverno: logging setup failed:", err)
		os.Exit(1)
	}
	root.PersistentFlags().AddGoFlagSet(flag.CommandLine)
	if err := root.Execute(); err != nil {
		// apply reports policy failures through this error type; its exit code is the verdict.
		if warn, ok := err.(apply.WarnExitCodeError); ok {
			os.Exit(warn.ExitCode)
		}
		os.Exit(1)
	}
}
