package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func options(t *testing.T, values map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(values)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseOptions(t *testing.T) {
	parsed, err := parseOptions(nil)
	if err != nil || !parsed.typescript || parsed.tsconfig != "" || parsed.nodeargs != nil {
		t.Fatalf("defaults: got %+v, %v; want typescript on, nothing else", parsed, err)
	}
	parsed, err = parseOptions(map[string]any{"typescript": false, "tsconfig": "tsconfig.build.json", "nodeargs": "--max-old-space-size=4096  --enable-source-maps", "packagemanager": "npm"})
	want := programOptions{typescript: false, tsconfig: "tsconfig.build.json", nodeargs: []string{"--max-old-space-size=4096", "--enable-source-maps"}}
	if err != nil || !reflect.DeepEqual(parsed, want) {
		t.Fatalf("got %+v, %v; want %+v", parsed, err, want)
	}
	for option, value := range map[string]any{"typescript": "false", "tsconfig": 3.0, "nodeargs": []any{"--x"}} {
		if _, err := parseOptions(map[string]any{option: value}); err == nil || !strings.Contains(err.Error(), option) {
			t.Errorf("%s = %v: got %v, want an error naming the option", option, value, err)
		}
	}
}

func TestRunArguments(t *testing.T) {
	req := &pulumirpc.RunRequest{
		Project:        "steward",
		Stack:          "harbor-dental",
		Organization:   "organization",
		DryRun:         true,
		Parallel:       16,
		MonitorAddress: "127.0.0.1:40001",
		Args:           []string{"extra"},
		Info: &pulumirpc.ProgramInfo{
			RootDirectory:    "/repo",
			ProgramDirectory: "/repo/dist",
			EntryPoint:       "index.js",
		},
	}
	got := runArguments(req, programOptions{nodeargs: []string{"--enable-source-maps"}}, "/repo/node_modules/@pulumi/pulumi/cmd/run/index.js", "127.0.0.1:40000")
	want := []string{
		"--enable-source-maps",
		"/repo/node_modules/@pulumi/pulumi/cmd/run/index.js",
		"--monitor", "127.0.0.1:40001",
		"--engine", "127.0.0.1:40000",
		"--organization", "organization",
		"--project", "steward",
		"--root-directory", "/repo",
		"--stack", "harbor-dental",
		"--pwd", "/repo/dist",
		"--dry-run",
		"--parallel", "16",
		"index.js",
		"extra",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}

	// An update (no --dry-run), no parallelism, no organization, the program directory itself.
	req = &pulumirpc.RunRequest{Project: "steward", Stack: "s", MonitorAddress: "m", Info: &pulumirpc.ProgramInfo{ProgramDirectory: "/p"}}
	got = runArguments(req, programOptions{}, "run.js", "")
	want = []string{"run.js", "--monitor", "m", "--project", "steward", "--stack", "s", "--pwd", "/p", "."}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func environment(env []string) map[string]string {
	found := map[string]string{}
	for _, entry := range env {
		name, value, _ := strings.Cut(entry, "=")
		found[name] = value
	}
	return found
}

func TestRunEnvironment(t *testing.T) {
	req := &pulumirpc.RunRequest{
		Config:           map[string]string{"azure-native:location": "uksouth", "steward:client": `{"id":"harbor-dental"}`, "steward:token": "s3cret"},
		ConfigSecretKeys: []string{"steward:token"},
	}
	base := []string{"PATH=/usr/bin", "PULUMI_CONFIG={\"stale\":\"1\"}", "PULUMI_NODEJS_TYPESCRIPT=true"}
	env, err := runEnvironment(base, req, programOptions{typescript: false})
	if err != nil {
		t.Fatal(err)
	}
	vars := environment(env)
	var config map[string]string
	if err := json.Unmarshal([]byte(vars["PULUMI_CONFIG"]), &config); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(config, req.Config) {
		t.Errorf("PULUMI_CONFIG = %v, want %v", config, req.Config)
	}
	if vars["PULUMI_CONFIG_SECRET_KEYS"] != `["steward:token"]` {
		t.Errorf("PULUMI_CONFIG_SECRET_KEYS = %s", vars["PULUMI_CONFIG_SECRET_KEYS"])
	}
	if vars["PATH"] != "/usr/bin" {
		t.Errorf("PATH not inherited: %v", env)
	}
	// typescript: false must not inherit a TypeScript switch; nothing is set twice.
	if _, set := vars["PULUMI_NODEJS_TYPESCRIPT"]; set {
		t.Errorf("PULUMI_NODEJS_TYPESCRIPT inherited although typescript is off")
	}
	if len(env) != len(vars) {
		t.Errorf("a variable is set twice: %q", env)
	}

	env, err = runEnvironment(nil, &pulumirpc.RunRequest{}, programOptions{typescript: true, tsconfig: "tsconfig.json"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"PULUMI_CONFIG={}", "PULUMI_CONFIG_SECRET_KEYS=[]", "PULUMI_NODEJS_TYPESCRIPT=true", "PULUMI_NODEJS_TSCONFIG_PATH=tsconfig.json"}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("got %q, want %q", env, want)
	}
}

func TestWithEnvironment(t *testing.T) {
	got := withEnvironment([]string{"A=1", "B=2", "C=3=3"}, "B=two", "D=4")
	want := []string{"A=1", "C=3=3", "B=two", "D=4"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLocateModule(t *testing.T) {
	root := t.TempDir()
	runner := filepath.Join(root, "node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js")
	if err := os.MkdirAll(filepath.Dir(runner), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(runner, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	program := filepath.Join(root, "dist", "nested")
	if err := os.MkdirAll(program, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{root, program} {
		got, err := locateModule(dir, programRunner)
		if err != nil || got != runner {
			t.Errorf("from %s: got %q, %v; want %q", dir, got, err, runner)
		}
	}
	_, err := locateModule(program, policyPackRunner)
	if err == nil || !strings.Contains(err.Error(), policyPackRunner) || !strings.Contains(err.Error(), "npm install") {
		t.Errorf("missing module: got %v, want an error naming it and how to install it", err)
	}
}

func TestPluginCommand(t *testing.T) {
	locate := func(dir, module string) (string, error) { return "/nm/" + module + "/index.js", nil }
	info := &pulumirpc.ProgramInfo{ProgramDirectory: "/packs/steward"}

	launch, err := pluginCommand(&pulumirpc.RunPluginRequest{Kind: "analyzer", Pwd: "/repo", Args: []string{"127.0.0.1:1"}, Info: info}, programOptions{}, locate)
	want := pluginLaunch{runner: "/nm/@pulumi/pulumi/cmd/run-policy-pack/index.js", args: []string{"/nm/@pulumi/pulumi/cmd/run-policy-pack/index.js", "127.0.0.1:1", "/packs/steward"}, dir: "/packs/steward"}
	if err != nil || !reflect.DeepEqual(launch, want) {
		t.Errorf("policy pack: got %+v, %v; want %+v", launch, err, want)
	}

	launch, err = pluginCommand(&pulumirpc.RunPluginRequest{Kind: "resource", Pwd: "/repo", Args: []string{"127.0.0.1:1"}, Info: info}, programOptions{nodeargs: []string{"--inspect"}}, locate)
	want = pluginLaunch{runner: "/nm/@pulumi/pulumi/cmd/run-plugin/index.js", args: []string{"--inspect", "/nm/@pulumi/pulumi/cmd/run-plugin/index.js", "/packs/steward", "127.0.0.1:1"}, dir: "/repo"}
	if err != nil || !reflect.DeepEqual(launch, want) {
		t.Errorf("provider: got %+v, %v; want %+v", launch, err, want)
	}

	if _, err := pluginCommand(&pulumirpc.RunPluginRequest{Kind: "analyzer"}, programOptions{}, locate); err == nil {
		t.Error("a request without a program directory must be refused")
	}
}

func TestPolicyPackEnvironment(t *testing.T) {
	env, err := policyPackEnvironment(&pulumirpc.AnalyzerStackConfigureRequest{
		Stack: "harbor-dental", Project: "steward", DryRun: true,
		Config: map[string]string{"steward:client": "{}"}, ConfigSecretKeys: []string{"steward:token"},
	})
	want := []string{
		"PULUMI_NODEJS_PROJECT=steward", "PULUMI_NODEJS_STACK=harbor-dental", "PULUMI_NODEJS_DRY_RUN=true",
		`PULUMI_CONFIG={"steward:client":"{}"}`, `PULUMI_CONFIG_SECRET_KEYS=["steward:token"]`,
	}
	if err != nil || !reflect.DeepEqual(env, want) {
		t.Errorf("got %q, %v; want %q", env, err, want)
	}
	if env, err := policyPackEnvironment(nil); env != nil || err != nil {
		t.Errorf("no configuration: got %q, %v", env, err)
	}
}

func TestOptionsFromProgramInfo(t *testing.T) {
	// What Pulumi.yaml's runtime.options become on the wire reads back as the same options.
	parsed, err := parseOptions(options(t, map[string]any{"typescript": false}).AsMap())
	if err != nil || parsed.typescript {
		t.Errorf("got %+v, %v", parsed, err)
	}
	if _, err := parseOptions((*structpb.Struct)(nil).AsMap()); err != nil {
		t.Errorf("no options: %v", err)
	}
}
