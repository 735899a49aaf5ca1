/**
 * Running the real Pulumi CLI in end-to-end tests: each test gets its own workspace (PULUMI_HOME,
 * file backend, the stand-in's cloud file, a copy of the project) through scripts/pulumi-local.mjs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { packageRoot } from "../../core/paths";
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

/** What pulumi-local takes besides pulumi's arguments. */
export interface RunOptions {
  /** Stack files folder (STEWARD_STACKS_DIR). */
  stacksDir?: string;
  /** A program variant instead of steward's (test/e2e/programs/<name>.ts, STEWARD_PULUMI_PROGRAM). */
  program?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Workspace {
  dir: string;
  /** Runs `pulumi <args>` through scripts/pulumi-local.mjs in this workspace. */
  pulumi(args: string[], options?: RunOptions): Run;
  /** Like pulumi(), failing the test with the output when pulumi fails. */
  ok(args: string[], options?: RunOptions): Run;
  /** A command's JSON output (`--json`, `stack export`). */
  json<T = unknown>(args: string[], options?: RunOptions): T;
  /**
   * The environment in which `steward gate --stack` and `steward drift --stack` run pulumi in this
   * workspace (`pulumi-local env`: PATH, PULUMI_HOME, PULUMI_BACKEND_URL, STEWARD_PULUMI_CWD...),
   * after preparing the stack as any pulumi-local run does.
   */
  stewardEnvironment(stack: string, options?: RunOptions): NodeJS.ProcessEnv;
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
  const environment = (options: RunOptions = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    STEWARD_PULUMI_WORKSPACE: dir,
    STEWARD_STANDIN_STATE: cloudFile,
    STEWARD_STANDIN_NOW: STANDIN_NOW,
    STEWARD_STACKS_DIR: options.stacksDir ?? join(root, "stacks"),
    STEWARD_PULUMI_PROGRAM: options.program ? join(root, "test", "e2e", "programs", `${options.program}.ts`) : "",
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
    json: <T>(args: string[], options?: RunOptions) => JSON.parse(self.ok(args, options).stdout) as T,
    stewardEnvironment(stack, options = {}) {
      const env = environment(options);
      const printed = run(["env", "--stack", stack, "--json"], env);
      if (printed.status !== 0) throw new Error(`pulumi-local env --stack ${stack} exited ${printed.status}:\n${printed.output}`);
      return { ...env, ...(JSON.parse(printed.stdout) as NodeJS.ProcessEnv) };
    },
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
  oldState?: { urn?: string; inputs?: Bag; outputs?: Bag; id?: string };
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

/** Runs the steward CLI (bin/steward.js, the built dist/cli), in `env` (default: the test's). */
export function steward(args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const result = spawnSync(process.execPath, [join(root, "bin", "steward.js"), ...args], { cwd: root, env, encoding: "utf8", maxBuffer: 256 << 20 });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}\n${result.stderr}` };
}

/** The real engine's documents (fixtures/pulumi/real/, its README.md). */
export const REAL_FIXTURES = join(root, "fixtures", "pulumi", "real");
const WRITE_FIXTURES = process.env.STEWARD_WRITE_FIXTURES === "1";

/** Keeps what the engine printed as a fixture when recording (STEWARD_WRITE_FIXTURES=1). */
export function recordFixture(name: string, text: string): void {
  if (WRITE_FIXTURES) writeFileSync(join(REAL_FIXTURES, name), text.endsWith("\n") ? text : `${text}\n`);
}

/** Fails when a recording no longer has the steps (and change summary, policy violations) the engine prints. */
export function expectRecorded(name: string, text: string): void {
  const file = join(REAL_FIXTURES, name);
  if (!existsSync(file)) throw new Error(`${name} is not recorded; run STEWARD_WRITE_FIXTURES=1 npm run test:e2e`);
  expect(shape(name, readFileSync(file, "utf8")), name).toEqual(shape(name, text));
}

/** What must not change between recordings: each step's op and URN, the change summary, and the
 *  policy violations an event log reports. */
export function shape(name: string, text: string): unknown {
  if (name.endsWith(".jsonl")) {
    const events = text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as Record<string, { metadata?: { op: string; urn: string }; policyName?: string; enforcementLevel?: string; resourceUrn?: string }>);
    return events
      .flatMap((event) => [
        ...(event.resourcePreEvent?.metadata ? [`${event.resourcePreEvent.metadata.op} ${event.resourcePreEvent.metadata.urn}`] : []),
        ...(event.policyEvent ? [`policy ${event.policyEvent.policyName} ${event.policyEvent.enforcementLevel} ${event.policyEvent.resourceUrn}`] : []),
      ])
      .sort();
  }
  const document = JSON.parse(text) as PreviewDocument & StackExport;
  // A provider's id is new with every deployment; every other id is the stand-in's ARM id.
  if (document.deployment) {
    return (document.deployment.resources ?? []).map((resource) => `${resource.type} ${resource.urn} ${resource.type.startsWith("pulumi:providers:") ? "" : (resource.id ?? "")}`).sort();
  }
  return { steps: document.steps.map((step) => `${step.op} ${step.urn}`).sort(), changeSummary: document.changeSummary };
}

/** A policy violation as `pulumi preview`/`up` print it under "Policies:". */
export interface PolicyViolation {
  level: string;
  severity: string;
  policy: string;
  /** `type: name` of the resource, the stack's when the violation names none of the stack's. */
  resource: string;
  /** The message: steward's policy title, then the finding, `resource:` when it is not the stack's, `fix:`. */
  lines: string[];
}

/** Every violation in the "Policies:" section of pulumi's text output, in order. */
export function policyViolations(output: string): PolicyViolation[] {
  const lines = output.split("\n");
  const start = lines.indexOf("Policies:");
  if (start < 0) return [];
  const violations: PolicyViolation[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "" || !line.startsWith(" ")) break;
    const header = /^ {8}- \[(\w+)\] \[severity: (\w+)\] {2}(\S+) {2}\((.*)\)$/.exec(line);
    if (header) {
      violations.push({ level: header[1] as string, severity: header[2] as string, policy: header[3] as string, resource: header[4] as string, lines: [] });
    } else if (line.startsWith("          ") && violations.length > 0) {
      (violations[violations.length - 1] as PolicyViolation).lines.push(line.slice(10));
    }
  }
  return violations;
}

/** A finding of `steward gate --format json`. */
export interface GateFinding {
  policy: string;
  title: string;
  severity: string;
  enforcement: string;
  status: string;
  blocking: boolean;
  urn: string;
  type: string;
  message: string;
  remediation: string;
  waiver: unknown;
}

/** What steward's policy pack prints for a gate finding (policies/pack/pack.ts). */
export function packViolation(finding: GateFinding, stack: string): PolicyViolation {
  const onStack = finding.urn.startsWith("urn:pulumi:");
  return {
    level: finding.waiver === null ? finding.enforcement : "advisory",
    severity: finding.severity,
    policy: finding.policy,
    resource: onStack ? `${finding.type}: ${finding.urn.slice(finding.urn.lastIndexOf("::") + 2)}` : `pulumi:pulumi:Stack: steward-${stack}`,
    lines: [finding.title, finding.message, ...(onStack ? [] : [`resource: ${finding.urn}`]), `fix: ${finding.remediation.trim().replace(/\s*\n\s*/g, " ")}`],
  };
}
