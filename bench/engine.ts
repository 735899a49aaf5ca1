// The bench's optional section on the real Pulumi engine (`npm run bench -- --engine`, or
// `--engine-only`): what steward adds to a real `pulumi preview`. For each client (an example
// client and a synthetic 500-endpoint one), deployed to the azure-native stand-in through
// scripts/pulumi-local.mjs, then, interleaved, with `pulumi` run directly in the workspace:
//   - `pulumi preview` alone,
//   - `pulumi preview --policy-pack policies/pack` (steward's pack),
//   - `pulumi preview --policy-pack bench/crossguard` (the anchor: one TypeScript policy),
//   - `pulumi preview --json --show-sames`, then `steward gate` on it (the pipeline).
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stackYaml } from "../test/support/synthetic";

export interface EngineClient {
  stack: string;
  /** The folder of its stack file. */
  stacksDir: string;
  endpoints: number;
}

export interface EngineResult extends EngineClient {
  /** Resources in the deployed stack (the preview's `same` count). */
  resources: number;
  reps: number;
  deployMs: number;
  preview: number[];
  pack: number[];
  anchor: number[];
  previewJson: number[];
  gate: number[];
}

type Table = (headers: string[], rows: string[][]) => string;

const STANDIN_NOW = "2026-11-27T12:00:00.000Z";
const NOW = "2026-11-30T12:00:00Z";

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; allowed?: number[] }): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env, encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
  const ms = performance.now() - start;
  if (result.error) throw result.error;
  if (!(options.allowed ?? [0]).includes(result.status ?? -1)) {
    throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${`${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-15).join("\n")}`);
  }
  return { ms, stdout: result.stdout };
}

/** The clients measured: harbor-dental (stacks/) and a synthetic client of `endpoints` endpoints. */
export function engineClients(root: string, out: string, endpoints: number, seed: number): EngineClient[] {
  const stacksDir = join(out, "engine", "stacks");
  mkdirSync(stacksDir, { recursive: true });
  const synthetic = `bench-${endpoints}`;
  writeFileSync(join(stacksDir, `Pulumi.${synthetic}.yaml`), stackYaml(synthetic, endpoints, seed));
  return [
    { stack: "harbor-dental", stacksDir: join(root, "stacks"), endpoints: 3 },
    { stack: synthetic, stacksDir, endpoints },
  ];
}

/** Deploys a client to a fresh workspace, then measures the four ways, interleaved, `reps` times. */
export function measureEngineClient(root: string, out: string, client: EngineClient, reps: number, log: (text: string) => void): EngineResult {
  const workspace = join(out, "engine", client.stack);
  rmSync(workspace, { recursive: true, force: true });
  const local = join(root, "scripts", "pulumi-local.mjs");
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    STEWARD_PULUMI_WORKSPACE: workspace,
    STEWARD_STACKS_DIR: client.stacksDir,
    STEWARD_STANDIN_NOW: STANDIN_NOW,
    STEWARD_NOW: NOW,
    STEWARD_PULUMI_PROGRAM: "",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    NO_COLOR: "1",
  };
  log(`bench: engine: deploying ${client.stack} (${client.endpoints} endpoints) to the stand-in...`);
  const deploy = run(process.execPath, [local, "up", "--yes", "--skip-preview", "--stack", client.stack, "--non-interactive"], { cwd: root, env: base });
  const printed = run(process.execPath, [local, "env", "--stack", client.stack, "--json"], { cwd: root, env: base });
  const env = { ...base, ...(JSON.parse(printed.stdout) as NodeJS.ProcessEnv) };
  const cwd = env.STEWARD_PULUMI_CWD as string;
  const pulumi = (args: string[]) => run("pulumi", [...args, "--stack", client.stack, "--non-interactive", "--color", "never"], { cwd, env });
  const previewFile = join(workspace, "preview.json");

  const result: EngineResult = { ...client, resources: 0, reps, deployMs: deploy.ms, preview: [], pack: [], anchor: [], previewJson: [], gate: [] };
  for (let rep = 0; rep < reps; rep += 1) {
    log(`bench: engine: ${client.stack}: repetition ${rep + 1} of ${reps}...`);
    result.preview.push(pulumi(["preview"]).ms);
    result.pack.push(pulumi(["preview", "--policy-pack", join(root, "policies", "pack")]).ms);
    result.anchor.push(pulumi(["preview", "--policy-pack", join(root, "bench", "crossguard")]).ms);
    const json = pulumi(["preview", "--json", "--show-sames"]);
    writeFileSync(previewFile, json.stdout);
    result.previewJson.push(json.ms);
    result.resources = (JSON.parse(json.stdout) as { changeSummary: { same?: number } }).changeSummary.same ?? 0;
    const gate = run(process.execPath, [join(root, "bin", "steward.js"), "gate", previewFile, "--stack", client.stack, "--stacks-dir", client.stacksDir, "--format", "json", "--output", "/dev/null"], {
      cwd: root,
      env,
    });
    result.gate.push(gate.ms);
  }
  return result;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const cell = (values: number[]) => `${seconds(median(values))} (${seconds(Math.min(...values))}–${seconds(Math.max(...values))})`;
const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)} %`;

/** What steward adds, per client: the pack's and the gate's share of a preview. */
export function engineVerdicts(results: EngineResult[]): Array<{ target: string; measured: string; met: boolean | null }> {
  return results.flatMap((result) => {
    const preview = median(result.preview);
    const pack = median(result.pack) - preview;
    const anchor = median(result.anchor) - preview;
    const gate = median(result.gate);
    return [
      {
        target: `${result.stack}: steward's pack adds ≤ 10 % to pulumi preview`,
        measured: `+${seconds(pack)} = ${percent(pack, preview)} (the one-policy anchor: +${seconds(anchor)} = ${percent(anchor, preview)})`,
        met: pack <= preview * 0.1,
      },
      {
        target: `${result.stack}: steward gate after pulumi preview --json --show-sames adds ≤ 10 %`,
        measured: `${seconds(gate)} = ${percent(gate, median(result.previewJson))} of the preview`,
        met: gate <= median(result.previewJson) * 0.1,
      },
    ];
  });
}

export function renderEngine(results: EngineResult[], table: Table): string {
  return table(
    ["client", "endpoints", "resources", "reps", "pulumi preview", "+ steward's pack", "+ anchor (one TS policy)", "preview --json --show-sames", "then steward gate", "pack − preview", "anchor − preview"],
    results.map((result) => [
      result.stack,
      String(result.endpoints),
      result.resources.toLocaleString("en-US"),
      String(result.reps),
      cell(result.preview),
      cell(result.pack),
      cell(result.anchor),
      cell(result.previewJson),
      cell(result.gate),
      seconds(median(result.pack) - median(result.preview)),
      seconds(median(result.anchor) - median(result.preview)),
    ]),
  );
}

export function engineCommands(): string {
  return [
    "```sh",
    "npm run bench -- --engine-only        # this section alone (--engine: with the rest)",
    "# per client (harbor-dental; bench-500, written by test/support/synthetic.ts stackYaml into build/bench/engine/stacks/):",
    "STEWARD_PULUMI_WORKSPACE=build/bench/engine/CLIENT node scripts/pulumi-local.mjs up --yes --skip-preview --stack CLIENT",
    'eval "$(STEWARD_PULUMI_WORKSPACE=build/bench/engine/CLIENT node scripts/pulumi-local.mjs env --stack CLIENT)"; cd "$STEWARD_PULUMI_CWD"',
    "# measured, interleaved (5 repetitions; 3 for bench-500), each with --stack CLIENT --non-interactive --color never:",
    "pulumi preview",
    "pulumi preview --policy-pack policies/pack",
    "pulumi preview --policy-pack bench/crossguard",
    "pulumi preview --json --show-sames > preview.json; node bin/steward.js gate preview.json --stack CLIENT --format json --output /dev/null",
    "```",
  ].join("\n");
}
