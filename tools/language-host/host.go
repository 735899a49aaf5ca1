package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// userMessageExitCode is how @pulumi/pulumi's runner says it already showed the user an error
// (an unhandled exception, a RunError): the engine should stop without adding a message of its own.
const userMessageExitCode = 32

// host is a pulumirpc.LanguageRuntimeServer for Node.js programs. What it does not implement
// answers codes.Unimplemented (see README.md).
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string

	// cancelled ends every node process the host started (the engine's Cancel).
	cancelled context.Context
	cancel    context.CancelFunc

	stdout, stderr io.Writer
}

func newHost(engineAddress string, stdout, stderr io.Writer) *host {
	cancelled, cancel := context.WithCancel(context.Background())
	return &host{engineAddress: engineAddress, cancelled: cancelled, cancel: cancel, stdout: stdout, stderr: stderr}
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *host) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.engineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(ctx context.Context, _ *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPlugins and GetRequiredPackages name nothing: the engine loads each provider when the
// program first registers one of its resources, at the version the SDK asks for.
func (h *host) GetRequiredPlugins(ctx context.Context, _ *pulumirpc.GetRequiredPluginsRequest) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *host) GetRequiredPackages(ctx context.Context, _ *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// GetProgramDependencies lists nothing (`pulumi about` shows no packages).
func (h *host) GetProgramDependencies(ctx context.Context, _ *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

// About names the node the host runs programs with.
func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("node is not on PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --version: %w", node, err)
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimPrefix(strings.TrimSpace(string(out)), "v")}, nil
}

// InstallDependencies installs nothing: steward's dependencies are installed with npm, never by the
// Pulumi CLI. It says so on the stream and succeeds.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse]) error {
	return server.Send(&pulumirpc.InstallDependenciesResponse{
		Stdout: []byte("steward's language host installs no dependencies; run `npm install` in the project\n"),
	})
}

func (h *host) Cancel(ctx context.Context, _ *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancel()
	return &emptypb.Empty{}, nil
}

// Run runs the program: node on @pulumi/pulumi/cmd/run, talking to the engine's resource monitor
// directly, and reports how it ended.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if req.GetAttachDebugger() {
		return &pulumirpc.RunResponse{Error: "steward's language host cannot attach a debugger"}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("node is not on PATH: %v", err)}, nil
	}
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runner, err := locateModule(req.GetInfo().GetProgramDirectory(), programRunner)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := runEnvironment(os.Environ(), req, opts)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	cmd := h.command(ctx, node, runArguments(req, opts, runner, h.engine()), env, "")
	cmd.Stdout, cmd.Stderr = pipeTo(h.stdout), pipeTo(h.stderr)
	code, err := run(cmd)
	switch {
	case err != nil:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("cannot run the program with %s: %v", node, err)}, nil
	case code == 0:
		return &pulumirpc.RunResponse{}, nil
	case code == userMessageExitCode:
		return &pulumirpc.RunResponse{Bail: true}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
	}
}

// RunPlugin runs a plugin written in node: a policy pack (through cmd/run-policy-pack, given the
// judged stack's configuration) or a provider (through cmd/run-plugin). Its output goes back on
// the stream; for a policy pack, the SDK's PolicyProxy stands between the engine and the pack.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]) error {
	ctx := server.Context()
	if req.GetAttachDebugger() {
		return errors.New("steward's language host cannot attach a debugger")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("node is not on PATH: %w", err)
	}
	opts, err := parseOptions(req.GetInfo().GetOptions().AsMap())
	if err != nil {
		return err
	}
	launch, err := pluginCommand(req, opts, locateModule)
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	env := withEnvironment(withoutEnvironment(req.GetEnv(), typescriptVariables...), typescriptEnvironment(opts)...)
	var proxy *sdk.PolicyProxy
	if req.GetKind() == analyzerKind {
		// The engine configures the stack on the port the plugin prints first; the proxy takes that
		// port, hands the configuration to the pack once it listens, and forwards the rest.
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("cannot start the policy pack proxy: %w", err)
		}
		config, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("cannot get the stack configuration for the policy pack: %w", err)
		}
		stackEnv, err := policyPackEnvironment(config)
		if err != nil {
			return err
		}
		env = withEnvironment(env, stackEnv...)
	}

	cmd := h.command(ctx, node, launch.args, env, launch.dir)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if proxy != nil {
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("cannot start the policy pack with %s: %w", node, err)
		}
		// Attach waits for the pack to exit.
		if err := proxy.Attach(ctx, cmd); err != nil {
			return exitError(err)
		}
		return closer.Close()
	}
	code, err := run(cmd)
	if err != nil {
		return fmt.Errorf("cannot run the plugin with %s: %w", node, err)
	}
	if code != 0 {
		return fmt.Errorf("plugin exited with non-zero exit code: %d", code)
	}
	return closer.Close()
}

// command is node with args, ended by SIGINT (then killed after 5 s) when the request or the host
// is cancelled.
func (h *host) command(ctx context.Context, node string, args, env []string, dir string) *exec.Cmd {
	runCtx, stop := context.WithCancel(ctx)
	context.AfterFunc(h.cancelled, stop)
	cmd := exec.CommandContext(runCtx, node, args...)
	cmd.Env = env
	cmd.Dir = dir
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// run starts cmd and waits: its exit code, or an error when it could not run at all.
func run(cmd *exec.Cmd) (int, error) {
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if status, ok := exit.Sys().(syscall.WaitStatus); ok && status.Signaled() {
			return 128 + int(status.Signal()), nil
		}
		return exit.ExitCode(), nil
	}
	if err != nil {
		return -1, err
	}
	return 0, nil
}

func exitError(err error) error {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return fmt.Errorf("policy pack exited with non-zero exit code: %d", exit.ExitCode())
	}
	return err
}

// pipeTo hides the writer's file from exec, so node gets a pipe that the host copies from: node
// may switch a file descriptor it inherits to non-blocking mode, which the host's own writes to the
// engine must not see.
func pipeTo(w io.Writer) io.Writer {
	return struct{ io.Writer }{w}
}
