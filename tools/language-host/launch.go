package main

// What the host hands node: the command line and environment of a Pulumi program or plugin run,
// built from the engine's request. Pure functions, so they are tested without an engine.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The SDK entry points the host starts, resolved from the program's node_modules.
const (
	programRunner    = "@pulumi/pulumi/cmd/run"
	policyPackRunner = "@pulumi/pulumi/cmd/run-policy-pack"
	pluginRunner     = "@pulumi/pulumi/cmd/run-plugin"
)

// analyzerKind is the plugin kind of a policy pack (apitype.AnalyzerPlugin).
const analyzerKind = "analyzer"

// programOptions are the `runtime.options` of Pulumi.yaml this host understands.
type programOptions struct {
	// typescript: run the entry point through ts-node (the SDK's PULUMI_NODEJS_TYPESCRIPT). Pulumi's
	// default is true; steward's Pulumi.yaml sets false and runs the compiled dist/index.js.
	typescript bool
	// tsconfig: the tsconfig ts-node reads (PULUMI_NODEJS_TSCONFIG_PATH).
	tsconfig string
	// nodeargs: extra arguments for node, split on whitespace (no shell quoting).
	nodeargs []string
}

// parseOptions reads runtime.options. Options for package managers, bun and the like are ignored;
// a known option of the wrong type is an error naming it.
func parseOptions(options map[string]any) (programOptions, error) {
	parsed := programOptions{typescript: true}
	if value, ok := options["typescript"]; ok {
		flag, isBool := value.(bool)
		if !isBool {
			return parsed, fmt.Errorf("runtime option typescript must be true or false, not %v", value)
		}
		parsed.typescript = flag
	}
	if value, ok := options["tsconfig"]; ok {
		path, isString := value.(string)
		if !isString {
			return parsed, fmt.Errorf("runtime option tsconfig must be a path, not %v", value)
		}
		parsed.tsconfig = path
	}
	if value, ok := options["nodeargs"]; ok {
		args, isString := value.(string)
		if !isString {
			return parsed, fmt.Errorf("runtime option nodeargs must be a string, not %v", value)
		}
		parsed.nodeargs = strings.Fields(args)
	}
	return parsed, nil
}

// locateModule finds an SDK entry point (`@pulumi/pulumi/cmd/run`) the way node would from dir:
// in node_modules of dir or of any folder above it. Returns the path of its index.js.
func locateModule(dir, module string) (string, error) {
	start, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for folder := start; ; folder = filepath.Dir(folder) {
		candidate := filepath.Join(folder, "node_modules", filepath.FromSlash(module), "index.js")
		if info, statErr := os.Stat(candidate); statErr == nil && !info.IsDir() {
			return candidate, nil
		}
		if filepath.Dir(folder) == folder {
			return "", fmt.Errorf("cannot find %s in node_modules of %s or any folder above it; "+
				"install the project's dependencies (npm install)", module, start)
		}
	}
}

// runArguments is node's command line for a program run: node arguments, the SDK's runner, the
// flags it reads (cmd/run's usage), the entry point and the program's own arguments.
func runArguments(req *pulumirpc.RunRequest, opts programOptions, runner, engineAddress string) []string {
	args := append([]string{}, opts.nodeargs...)
	args = append(args, runner)
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", engineAddress)
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root-directory", req.GetInfo().GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", req.GetInfo().GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		flag("parallel", strconv.Itoa(int(req.GetParallel())))
	}
	entry := req.GetInfo().GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	return append(args, req.GetArgs()...)
}

// configEnvironment is the stack configuration as the SDK reads it: PULUMI_CONFIG (a JSON object of
// "namespace:key" to the value's text, as the engine sends it) and PULUMI_CONFIG_SECRET_KEYS (a JSON
// array of the keys whose values are secrets).
func configEnvironment(config map[string]string, secretKeys []string) ([]string, error) {
	if config == nil {
		config = map[string]string{}
	}
	if secretKeys == nil {
		secretKeys = []string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, err
	}
	secretsJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	return []string{"PULUMI_CONFIG=" + string(configJSON), "PULUMI_CONFIG_SECRET_KEYS=" + string(secretsJSON)}, nil
}

// typescriptVariables are the SDK's TypeScript switches: set from the options only, never inherited.
var typescriptVariables = []string{"PULUMI_NODEJS_TYPESCRIPT", "PULUMI_NODEJS_TSCONFIG_PATH"}

// typescriptEnvironment tells the SDK whether to load the entry point through ts-node.
func typescriptEnvironment(opts programOptions) []string {
	var env []string
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return env
}

// runEnvironment is the host's environment plus the stack configuration and TypeScript switches.
// Variables it sets replace inherited ones of the same name.
func runEnvironment(base []string, req *pulumirpc.RunRequest, opts programOptions) ([]string, error) {
	config, err := configEnvironment(req.GetConfig(), req.GetConfigSecretKeys())
	if err != nil {
		return nil, fmt.Errorf("cannot serialize the stack configuration: %w", err)
	}
	return withEnvironment(withoutEnvironment(base, typescriptVariables...), append(config, typescriptEnvironment(opts)...)...), nil
}

// withoutEnvironment returns base without the variables named.
func withoutEnvironment(base []string, names ...string) []string {
	dropped := map[string]bool{}
	for _, name := range names {
		dropped[name] = true
	}
	env := make([]string, 0, len(base))
	for _, entry := range base {
		if !dropped[entryName(entry)] {
			env = append(env, entry)
		}
	}
	return env
}

// withEnvironment returns base with each NAME=value of set added, replacing any NAME already there.
func withEnvironment(base []string, set ...string) []string {
	names := make([]string, 0, len(set))
	for _, entry := range set {
		names = append(names, entryName(entry))
	}
	return append(withoutEnvironment(base, names...), set...)
}

func entryName(entry string) string {
	name, _, _ := strings.Cut(entry, "=")
	return name
}

// pluginLaunch is how a plugin written in node is started: its runner, arguments and directory.
type pluginLaunch struct {
	runner string
	args   []string
	dir    string
}

// pluginCommand builds node's command line for RunPlugin. A policy pack (kind analyzer) runs through
// cmd/run-policy-pack with its directory last and that directory as working directory; any other
// plugin (a provider written in node) through cmd/run-plugin with its directory first, in pwd.
func pluginCommand(req *pulumirpc.RunPluginRequest, opts programOptions, locate func(dir, module string) (string, error)) (pluginLaunch, error) {
	programDir := req.GetInfo().GetProgramDirectory()
	if programDir == "" {
		return pluginLaunch{}, errors.New("RunPlugin request without a program directory")
	}
	module, dir := pluginRunner, req.GetPwd()
	if req.GetKind() == analyzerKind {
		module, dir = policyPackRunner, programDir
	}
	runner, err := locate(programDir, module)
	if err != nil {
		return pluginLaunch{}, err
	}
	args := append([]string{}, opts.nodeargs...)
	args = append(args, runner)
	if req.GetKind() == analyzerKind {
		args = append(args, req.GetArgs()...)
		args = append(args, programDir)
	} else {
		args = append(args, programDir)
		args = append(args, req.GetArgs()...)
	}
	return pluginLaunch{runner: runner, args: args, dir: dir}, nil
}

// policyPackEnvironment is what cmd/run-policy-pack reads of the stack it judges: organization,
// project, stack, preview or update, and the stack's configuration.
func policyPackEnvironment(config *pulumirpc.AnalyzerStackConfigureRequest) ([]string, error) {
	if config == nil {
		return nil, nil
	}
	var env []string
	add := func(name, value string) {
		if value != "" {
			env = append(env, name+"="+value)
		}
	}
	add("PULUMI_NODEJS_ORGANIZATION", config.GetOrganization())
	add("PULUMI_NODEJS_PROJECT", config.GetProject())
	add("PULUMI_NODEJS_STACK", config.GetStack())
	add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(config.GetDryRun()))
	if config.GetConfig() != nil {
		configJSON, err := json.Marshal(config.GetConfig())
		if err != nil {
			return nil, fmt.Errorf("cannot serialize the stack configuration: %w", err)
		}
		add("PULUMI_CONFIG", string(configJSON))
	}
	if len(config.GetConfigSecretKeys()) > 0 {
		secretsJSON, err := json.Marshal(config.GetConfigSecretKeys())
		if err != nil {
			return nil, fmt.Errorf("cannot serialize the secret configuration keys: %w", err)
		}
		add("PULUMI_CONFIG_SECRET_KEYS", string(secretsJSON))
	}
	return env, nil
}
