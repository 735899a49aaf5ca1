// Command pulumi-language-nodejs is steward's Node.js language host for the Pulumi engine: the
// plugin `pulumi preview` and `pulumi up` start to run a `runtime: nodejs` program. Pulumi's own
// host is not published as a Go module, so steward builds this one (scripts/tools.mjs)
// against github.com/pulumi/pulumi/sdk/v3 only. See README.md for what it does and does not do.
//
// The engine starts it with its own address as the last argument (and, when logging or tracing
// is on, -v=N, --logtostderr, --logflow, --tracing URL before it); the host prints the port of its
// gRPC server on the first line of stdout and serves until the engine goes away.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// version is the Pulumi release this host is built for; the build adds the hash of its sources
// (sourceHash) so a stale binary is rebuilt.
const version = "3.248.0"

var sourceHash = "dev"

func main() {
	flags := flag.NewFlagSet("pulumi-language-nodejs", flag.ContinueOnError)
	showVersion := flags.Bool("version", false, "print the version and exit")
	// Accepted for the engine's sake; this host neither logs nor traces.
	flags.String("tracing", "", "ignored: tracing endpoint")
	flags.String("runtime", "nodejs", "only nodejs is supported")
	flags.Bool("logtostderr", false, "ignored")
	flags.Bool("logflow", false, "ignored")
	flags.Int("v", 0, "ignored: log verbosity")
	if err := flags.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *showVersion {
		fmt.Printf("%s (steward %s)\n", version, sourceHash)
		return
	}
	if runtime := flags.Lookup("runtime").Value.String(); runtime != "nodejs" {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: runtime %q is not supported (only nodejs)\n", runtime)
		os.Exit(2)
	}

	engineAddress := flags.Arg(0)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if engineAddress != "" {
		// Stop serving when the engine stops answering.
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, stop); err != nil {
			fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: cannot watch the engine at %s: %v\n", engineAddress, err)
			os.Exit(1)
		}
	}

	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancel)
	}()
	h := newHost(engineAddress, os.Stdout, os.Stderr)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(server *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(server, h)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: cannot serve: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: stopped serving: %v\n", err)
		os.Exit(1)
	}
	h.cancel()
}
