/**
 * Running the real Pulumi CLI in end-to-end tests: each test gets its own workspace (PULUMI_HOME,
 * file backend, the stand-in's cloud file, a copy of the project) through scripts/pulumi-local.mjs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../core/policy-sources";
import type { Bag } from "./standin/arm";
import { readCloud, type Cloud } from "./standin/cloud";

export const root = packageRoot();

/** The stand-in's clock in every test, so its outputs are the same on every run. */
export const STANDIN_NOW = "2026-11-27T12:00:00.000Z";

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for messages that may go to either. */
  output: string;
}

export interface Workspace {
  dir: string;
  /** Runs `pulumi <args>` through scripts/pulumi-local.mjs in this workspace. */
  pulumi(args: string[], options?: { stacksDir?: string; env?: NodeJS.ProcessEnv }): Run;
  /** Like pulumi(), failing the test with the output when pulumi fails. */
  ok(args: string[], options?: { stacksDir?: string; env?: NodeJS.ProcessEnv }): Run;
  /** A command's JSON output (`--json`, `stack export`). */
  json<T = unknown>(args: string[], options?: { stacksDir?: string; env?: NodeJS.ProcessEnv }): T;
  cloud(): Cloud;
  /** Changes the stand-in's cloud behind Pulumi's back. */
  editCloud(change: (cloud: Cloud) => void): void;
}

function run(args: string[], env: NodeJS.ProcessEnv): Run {
  const result = spawnSync(process.execPath, [join(root, "scripts", "pulumi-local.mjs"), ...args], {
    cwd: root,
    env,
    encoding: "utf8",
    maxBuffer: 256 << 20,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}\n${result.stderr}` };
}

const created: string[] = [];

/** Removes the workspaces this file made (kept with STEWARD_E2E_KEEP=1, to look into a failure). */
export function removeWorkspaces(): void {
  if (process.env.STEWARD_E2E_KEEP === "1") return;
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "steward-e2e-"));
  created.push(dir);
  const cloudFile = join(dir, "cloud.json");
  const environment = (options: { stacksDir?: string; env?: NodeJS.ProcessEnv } = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    STEWARD_PULUMI_WORKSPACE: dir,
    STEWARD_STANDIN_STATE: cloudFile,
    STEWARD_STANDIN_NOW: STANDIN_NOW,
    STEWARD_STACKS_DIR: options.stacksDir ?? join(root, "stacks"),
    // No color or progress animation in captured output.
    PULUMI_SKIP_UPDATE_CHECK: "true",
    NO_COLOR: "1",
    ...options.env,
  });
  const self: Workspace = {
    dir,
    pulumi: (args, options) => run([...args, "--non-interactive", "--color", "never"], environment(options)),
    ok(args, options) {
      const result = self.pulumi(args, options);
      if (result.status !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.status}:\n${result.output}`);
      return result;
    },
    json: <T>(args: string[], options?: { stacksDir?: string; env?: NodeJS.ProcessEnv }) => JSON.parse(self.ok(args, options).stdout) as T,
    cloud: () => readCloud(cloudFile),
    editCloud(change) {
      const cloud = readCloud(cloudFile);
      change(cloud);
      writeFileSync(cloudFile, `${JSON.stringify(cloud, null, 2)}\n`);
    },
  };
  return self;
}

/** Builds what pulumi-local needs (CLI, language host, program, stand-in) before any test runs. */
export function prepare(): void {
  const dir = mkdtempSync(join(tmpdir(), "steward-e2e-"));
  created.push(dir);
  // Build progress (the first build of the CLI takes minutes) goes straight to the terminal.
  const result = spawnSync(process.execPath, [join(root, "scripts", "pulumi-local.mjs"), "version"], {
    cwd: root,
    env: { ...process.env, STEWARD_PULUMI_WORKSPACE: dir },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error("cannot prepare the Pulumi CLI, its language host, the program or the stand-in (see above)");
}

/** A resource of `pulumi stack export`. */
export interface ExportedResource {
  urn: string;
  type: string;
  custom: boolean;
  id?: string;
  parent?: string;
  inputs?: Bag;
  outputs?: Bag;
}

export interface StackExport {
  version: number;
  deployment: { resources?: ExportedResource[] };
}

/** A step of `pulumi preview --json` / `pulumi refresh --preview-only --json`. */
export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: { inputs?: Bag; outputs?: Bag; id?: string };
  newState?: { inputs?: Bag; outputs?: Bag; id?: string };
  detailedDiff?: Record<string, { kind: string; inputDiff: boolean }> | null;
  diffReasons?: string[];
  replaceReasons?: string[];
}

export interface PreviewDocument {
  steps: PreviewStep[];
  changeSummary: Record<string, number>;
  diagnostics?: Array<{ urn?: string; message: string; severity: string }>;
}

/** Runs the steward CLI (bin/steward.js, the built dist/cli). */
export function steward(args: string[]): Run {
  const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), ...args], { cwd: root, encoding: "utf8", maxBuffer: 256 << 20 });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}\n${result.stderr}` };
}
