// `npm run bench`: steward gate, the JSON.parse floor, `opa eval` and `conftest test` side by side
// on the same synthetic `pulumi preview --json` documents, plus the offline fleet check (on worker
// threads, and in one thread), the fleet's compliance reports and the preflight inside a component.
// Prints the tables and rewrites the results section of BENCHMARKS.md (everything outside the
// markers is kept). Never part of `npm test`.
//
//   node dist/bench/run.js [--sizes 100,1000,...] [--reps N] [--no-fleet] [--no-report]
//                          [--no-preflight] [--no-tools] [--no-write] [--steward DIR]
// --steward DIR measures the gate and the fleet check of another checkout (built), e.g. the
// commit before a change; everything else (generation, floor, preflight) runs from this one.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, tmpdir, totalmem } from "node:os";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { packageRoot } from "../core/paths";
import { engineClients, engineCommands, engineVerdicts, measureEngineClient, renderEngine } from "./engine";

const root = packageRoot();
const out = join(root, "build", "bench");
const node = process.execPath;
const child = join(root, "dist", "bench", "child.js");
const floorScript = join(root, "dist", "bench", "floor.js");
/** The steward measured: this checkout, or another one (`--steward DIR`, for before/after numbers). */
let steward = join(root, "bin", "steward.js");
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
/** The generator and the normalizer hold a whole 100k-resource document in memory. */
const BIG_HEAP = "--max-old-space-size=8192";

const SIZES = [100, 1_000, 10_000, 25_000, 100_000];
/** The synthetic client of the real-engine section. */
const ENGINE_ENDPOINTS = 500;
const SEED = 20_261_127;
/**
 * The fleet checks: the target's 1,000 clients on the default `--jobs` (a worker per core), and
 * 200 clients both ways, to compare with the one-process runs before fleet runs had workers.
 */
const FLEETS: ReadonlyArray<{ clients: number; endpoints: number; inProcess: boolean }> = [
  { clients: 200, endpoints: 100, inProcess: true },
  { clients: 200, endpoints: 100, inProcess: false },
  { clients: 1_000, endpoints: 100, inProcess: false },
];
const FLEET_TARGET = { clients: 1_000, endpoints: 100, seconds: 10 };
/**
 * The compliance reports, every format archived with `--out`: the fleet check's 1,000 clients on
 * the default `--jobs`, and one client of 500 endpoints (a fleet of one: its report and overview).
 */
const REPORTS: ReadonlyArray<{ clients: number; endpoints: number }> = [
  { clients: 1_000, endpoints: 100 },
  { clients: 1, endpoints: 500 },
];
const REPORT_TARGET = { clients: 1_000, endpoints: 100, seconds: 30 };
const PREFLIGHT = [
  { endpoints: 50, reps: 30 },
  { endpoints: 500, reps: 20 },
  { endpoints: 5_000, reps: 5 },
];

interface Options {
  sizes: number[];
  reps: number | null;
  fleet: boolean;
  report: boolean;
  preflight: boolean;
  tools: boolean;
  write: boolean;
  steward: string | null;
  /** The real-engine section (bench/engine.ts): with the rest, or alone. */
  engine: "no" | "also" | "only";
}

function options(argv: string[]): Options {
  const result: Options = { sizes: SIZES, reps: null, fleet: true, report: true, preflight: true, tools: true, write: true, steward: null, engine: "no" };
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    if (flag === "--sizes") result.sizes = String(argv[++index]).split(",").map(Number);
    else if (flag === "--reps") result.reps = Number(argv[++index]);
    else if (flag === "--no-fleet") result.fleet = false;
    else if (flag === "--no-report") result.report = false;
    else if (flag === "--no-preflight") result.preflight = false;
    else if (flag === "--no-tools") result.tools = false;
    else if (flag === "--no-write") result.write = false;
    else if (flag === "--steward") result.steward = String(argv[++index]);
    else if (flag === "--engine") result.engine = "also";
    else if (flag === "--engine-only") result.engine = "only";
    else throw new Error(`unknown option ${flag}`);
  }
  return result;
}

const repsFor = (resources: number, override: number | null) => override ?? (resources > 25_000 ? 3 : 5);

// ---------------------------------------------------------------------------------------------
// Running things

interface Sample {
  wallMs: number;
  /** Peak resident set size of the measured process, MiB (null when it cannot be measured). */
  rssMiB: number | null;
  status: number | null;
  stderr: string;
}

const quiet = (text: string) => text.trim().split("\n").slice(-5).join("\n");

/** Runs a command and measures its wall time and (with /usr/bin/time -v) its peak RSS. */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Sample {
  const spawnOptions: SpawnSyncOptions = {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
    encoding: "utf8",
  };
  let run;
  const start = performance.now();
  if (TIME) {
    run = spawnSync(TIME, ["-v", command, ...args], spawnOptions);
  } else if (command === node) {
    // No /usr/bin/time: Node measures itself (the runner prints its maxRSS when it exits).
    run = spawnSync(node, [child, "rss", ...args], spawnOptions);
  } else {
    run = spawnSync(command, args, spawnOptions);
  }
  const wallMs = performance.now() - start;
  const stderr = String(run.stderr ?? "");
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr) ?? /BENCH_MAXRSS_KB=(\d+)/.exec(stderr);
  return { wallMs, rssMiB: rss ? Number(rss[1]) / 1024 : null, status: run.status, stderr };
}

/** Runs a node child of bench/child.ts and returns what it printed (one JSON object). */
function childJson<T>(args: string[], nodeArgs: string[] = []): T {
  const run = spawnSync(node, [...nodeArgs, child, ...args], { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`node ${child} ${args.join(" ")} failed:\n${quiet(run.stderr)}`);
  return JSON.parse(run.stdout) as T;
}

function capture(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } });
  return { status: run.status, stdout: run.stdout ?? "", stderr: run.stderr ?? "" };
}

/** A pinned Go tool from scripts/tools.mjs, built on first use; null (with the reason) when it cannot be. */
function tool(name: string): { path: string | null; note: string } {
  const run = spawnSync(node, [join(root, "scripts", "tools.mjs"), "path", name], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (run.status === 0) return { path: run.stdout.trim(), note: "" };
  return { path: null, note: `${name} could not be installed (node scripts/tools.mjs path ${name} failed); skipped` };
}

// ---------------------------------------------------------------------------------------------
// Statistics and formatting

interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}

function stats(values: number[]): Stats | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, n: sorted.length };
}

const seconds = (ms: number) => (ms >= 10_000 ? (ms / 1000).toFixed(1) : ms >= 1_000 ? (ms / 1000).toFixed(2) : (ms / 1000).toFixed(3));
const timeCell = (s: Stats | null) => (s ? `${seconds(s.median)} s (${seconds(s.min)}–${seconds(s.max)})` : "n/a");
const msCell = (s: Stats | null) => (s ? `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : "n/a");
const mib = (value: number | null | undefined) => (value === null || value === undefined ? "n/a" : `${Math.round(value)} MiB`);
const rssCell = (s: Stats | null) => (s ? mib(s.median) : "n/a");
const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(bytes < 10_485_760 ? 2 : 0)} MiB`;
const ratio = (value: number) => `${value.toFixed(2)}×`;
const count = (value: number) => value.toLocaleString("en-US");

function markdownTable(headers: string[], rows: string[][]): string {
  return [`| ${headers.join(" | ")} |`, `| ${headers.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

function textTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  return [line(headers), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// The measurements

interface PreviewShape {
  endpoints: number;
  resources: number;
  nonCompliant: Record<string, number>;
  bytes: number;
}

interface SizeResult {
  target: number;
  shape: PreviewShape;
  documentBytes: number;
  wasmInputBytes: number;
  reps: number;
  gate: Sample[];
  floor: Array<Sample & { inProcessMs: number; method: string }>;
  opa: Sample[];
  /** opa eval on the whole normalized document, resources included. */
  opaFull: Sample[];
  /** `steward evaluate` on the same whole normalized document: the same Rego on the same input. */
  evaluate: Sample[];
  conftest: Sample[];
  checks: string[];
}

function okStatus(sample: Sample, allowed: number[], what: string): Sample {
  if (sample.status === null || !allowed.includes(sample.status)) {
    throw new Error(`${what} exited ${sample.status}:\n${quiet(sample.stderr)}`);
  }
  return sample;
}

function gateArgs(file: string, output = "/dev/null") {
  return [steward, "gate", file, "--format", "json", "--output", output];
}

function evaluateArgs(document: string) {
  return [steward, "evaluate", document, "--format", "json"];
}

function opaArgs(document: string) {
  return ["eval", "--data", "policies", "--ignore", "*_test.rego", "--ignore", "pack", "--input", document, "--format", "json", "data.policies.main.report"];
}

function conftestArgs(file: string) {
  return ["test", "--policy", join("bench", "conftest"), "--no-color", "--output", "json", file];
}

/** One size: generate, then gate, floor, opa eval and conftest, interleaved, `reps` times. */
function measureSize(target: number, reps: number, tools: { opa: string | null; conftest: string | null }): SizeResult {
  const preview = join(out, `preview-${target}.json`);
  const document = join(out, `document-${target}.json`);
  const wasmInput = join(out, `wasm-input-${target}.json`);
  process.stderr.write(`bench: ${count(target)} resources: generating...`);
  const shape = childJson<PreviewShape>(["preview", String(target), String(SEED), preview], [BIG_HEAP]);
  const normalized = childJson<{ documentBytes: number; wasmInputBytes: number }>(["normalize", preview, document, wasmInput], [BIG_HEAP]);
  const result: SizeResult = {
    target,
    shape,
    documentBytes: normalized.documentBytes,
    wasmInputBytes: normalized.wasmInputBytes,
    reps,
    gate: [],
    floor: [],
    opa: [],
    opaFull: [],
    evaluate: [],
    conftest: [],
    checks: [],
  };
  for (let rep = 1; rep <= reps; rep += 1) {
    process.stderr.write(` rep ${rep}/${reps}`);
    result.gate.push(okStatus(measure(node, gateArgs(preview)), [0, 1], "steward gate"));
    const floorRun = okStatus(measure(node, [floorScript, preview]), [0], "floor");
    result.floor.push({ ...floorRun, inProcessMs: NaN, method: "" });
    if (tools.opa) result.opa.push(okStatus(measure(tools.opa, opaArgs(wasmInput)), [0], "opa eval"));
    result.evaluate.push(okStatus(measure(node, evaluateArgs(document)), [0, 1], "steward evaluate"));
    if (tools.opa) result.opaFull.push(okStatus(measure(tools.opa, opaArgs(document)), [0], "opa eval (whole document)"));
    if (tools.conftest) result.conftest.push(okStatus(measure(tools.conftest, conftestArgs(preview)), [0, 1], "conftest test"));
  }
  // The floor's in-process time (read + parse, without Node's start-up), measured once more.
  const inProcess = JSON.parse(capture(node, [floorScript, preview]).stdout) as { phases: Record<string, number>; method: string };
  for (const sample of result.floor) {
    sample.inProcessMs = Object.values(inProcess.phases).reduce((a, b) => a + b, 0);
    sample.method = inProcess.method;
  }
  result.checks = crossCheck(result, preview, document, wasmInput, tools);
  process.stderr.write(" done\n");
  return result;
}

/** The tools agree on what they find (so the timings compare the same work). Up to 10k resources. */
function crossCheck(result: SizeResult, preview: string, document: string, wasmInput: string, tools: { opa: string | null; conftest: string | null }): string[] {
  if (result.target > 10_000) return [];
  const checks: string[] = [];
  const report = join(out, `report-${result.target}.json`);
  capture(node, gateArgs(preview, report));
  const gate = JSON.parse(readFileSync(report, "utf8")) as { findings: Array<{ status: string; policy: string }> };
  const current = gate.findings.filter((finding) => finding.status !== "resolved");
  if (tools.opa) {
    const run = capture(tools.opa, opaArgs(wasmInput));
    const findings = (JSON.parse(run.stdout) as { result: Array<{ expressions: Array<{ value: { findings: unknown[] } }> }> }).result[0]?.expressions[0]
      ?.value.findings.length;
    checks.push(`opa eval finds ${findings} findings on the after-document; the gate reports ${current.length} new or existing: ${findings === current.length ? "same" : "DIFFERENT"}`);
    const evaluated = (JSON.parse(capture(node, evaluateArgs(document)).stdout) as { findings: unknown[] }).findings.length;
    checks.push(`steward evaluate finds ${evaluated} findings on the whole normalized document, as opa eval does on its policy input: ${evaluated === findings ? "same" : "DIFFERENT"}`);
  }
  if (tools.conftest) {
    const run = capture(tools.conftest, conftestArgs(preview));
    const failures = (JSON.parse(run.stdout) as Array<{ failures?: unknown[] }>).reduce((sum, file) => sum + (file.failures?.length ?? 0), 0);
    const gateCount = current.filter((finding) => finding.policy === "antivirus-installed").length;
    checks.push(`conftest reports ${failures} machines without antivirus; the gate's antivirus-installed finds ${gateCount}: ${failures === gateCount ? "same" : "DIFFERENT"}`);
  }
  return checks;
}

interface FleetResult {
  clients: number;
  endpoints: number;
  /** How the check ran: `--jobs 1`, or the default (a worker per core). */
  jobs: string;
  runs: Sample[];
  reported: number;
}

const fleetDir = (clients: number, endpoints: number) => join(out, `fleet-${clients}x${endpoints}`);

/** Whether the steward measured has `--jobs` (an older one, `--steward DIR`, checks in one process anyway). */
function hasJobs(): boolean {
  return capture(node, [steward, "check", "--help"]).stdout.includes("--jobs");
}

/** Writes a synthetic fleet's stack files (bench/child.ts fleet) into a fresh folder. */
function generateFleet(clients: number, endpoints: number): string {
  const dir = fleetDir(clients, endpoints);
  rmSync(dir, { recursive: true, force: true });
  childJson(["fleet", dir, String(clients), String(endpoints)]);
  return dir;
}

function measureFleets(): FleetResult[] {
  const jobs = hasJobs();
  for (const { clients, endpoints } of FLEETS) generateFleet(clients, endpoints);
  return FLEETS.map(({ clients, endpoints, inProcess }) => {
    const how = inProcess ? "--jobs 1" : `default (${availableParallelism()} workers)`;
    process.stderr.write(`bench: fleet of ${clients} × ${endpoints}, ${how}...`);
    const args = [steward, "check", "--stacks-dir", fleetDir(clients, endpoints), "--format", "json", ...(inProcess && jobs ? ["--jobs", "1"] : [])];
    const runs = [1, 2, 3].map(() => okStatus(measure(node, args), [0, 1], "steward check"));
    // Into a file, not a pipe, so that the report is whole even from an older steward (--steward)
    // that exited before its piped output was written (BENCHMARKS.md, first round).
    const report = join(out, "fleet-report.json");
    const fd = openSync(report, "w");
    spawnSync(node, args, { cwd: root, stdio: ["ignore", fd, "ignore"] });
    closeSync(fd);
    const reported = (JSON.parse(readFileSync(report, "utf8")) as { clients: unknown[] }).clients.length;
    process.stderr.write(" done\n");
    return { clients, endpoints, jobs: how, runs, reported };
  });
}

interface ReportResult {
  clients: number;
  endpoints: number;
  runs: Sample[];
  /** The manifest's reports: every client's, when none could not be reported. */
  reported: number;
  /** What one run wrote, in bytes. */
  archiveBytes: number;
}

/** The bytes of every file under a folder. */
function folderBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

/** `steward report --out` over each fleet, `reps` times, each into a new temporary folder (deleted after). */
function measureReports(reps: number): ReportResult[] {
  return REPORTS.map(({ clients, endpoints }) => {
    const stacks = generateFleet(clients, endpoints);
    process.stderr.write(`bench: report of ${clients} × ${endpoints}...`);
    const result: ReportResult = { clients, endpoints, runs: [], reported: 0, archiveBytes: 0 };
    for (let rep = 1; rep <= reps; rep += 1) {
      const archive = mkdtempSync(join(tmpdir(), "steward-bench-report-"));
      try {
        result.runs.push(okStatus(measure(node, [steward, "report", "--stacks-dir", stacks, "--out", archive, "--format", "json"]), [0], "steward report"));
        result.reported = (JSON.parse(readFileSync(join(archive, "manifest.json"), "utf8")) as { reports: unknown[] }).reports.length;
        result.archiveBytes = folderBytes(archive);
      } finally {
        rmSync(archive, { recursive: true, force: true });
      }
    }
    process.stderr.write(" done\n");
    return result;
  });
}

interface PreflightResult {
  endpoints: number;
  firstMs: number;
  findings: number;
  runsMs: number[];
  maxRssMiB: number;
}

function measurePreflight(): PreflightResult[] {
  process.stderr.write("bench: preflight...");
  const results = PREFLIGHT.map(({ endpoints, reps }) => childJson<PreflightResult>(["preflight", String(endpoints), String(reps)]));
  process.stderr.write(" done\n");
  return results;
}

interface Phases {
  phases: Record<string, number>;
  inputBytes: number;
  documentBytes: number;
  wasmInputBytes: number;
  findings: number;
  maxRssMiB: number;
}

// ---------------------------------------------------------------------------------------------
// Report

function version(command: string | null, args: string[], pattern: RegExp): string {
  if (!command) return "not installed";
  const run = spawnSync(command, args, { encoding: "utf8" });
  return pattern.exec(run.stdout ?? "")?.[1] ?? "unknown";
}

function machine(tools: { opa: string | null; conftest: string | null }) {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? "unknown";
  const git = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim();
  const dirty = spawnSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" }).stdout.trim() !== "";
  return {
    cores: cpus().length,
    memory: `${(totalmem() / 1_073_741_824).toFixed(1)} GiB`,
    model,
    os: `${process.platform} ${process.arch}`,
    node: process.version,
    opa: version(tools.opa, ["version"], /^Version: (.+)$/m),
    conftest: version(tools.conftest, ["--version"], /^Conftest: (.+)$/m),
    commit: git ? `${git}${dirty ? " (with uncommitted changes)" : ""}` : "unknown",
    rss: TIME ? "/usr/bin/time -v (Maximum resident set size)" : "process.resourceUsage().maxRSS in the Node processes; n/a for opa and conftest",
  };
}

interface Verdict {
  target: string;
  measured: string;
  met: boolean | null;
}

function verdicts(sizes: SizeResult[], fleets: FleetResult[] | null, reports: ReportResult[] | null, preflight: PreflightResult[] | null): Verdict[] {
  const at = (target: number) => sizes.find((size) => size.target === target);
  const median = (samples: Sample[]) => stats(samples.map((sample) => sample.wallMs))?.median ?? NaN;
  const verdicts: Verdict[] = [];
  const s25 = at(25_000);
  if (s25) {
    const gate = median(s25.gate);
    const floor = median(s25.floor);
    verdicts.push({ target: "gate at 25k resources ≤ 3× the JSON.parse floor", measured: `${ratio(gate / floor)} (${seconds(gate)} s vs ${seconds(floor)} s)`, met: gate <= 3 * floor });
    if (s25.opa.length > 0) {
      const opa = median(s25.opa);
      verdicts.push({
        target: "gate at 25k resources ≥ 2× faster than opa eval (opa eval ÷ gate ≥ 2)",
        measured: `${ratio(opa / gate)} (gate ${seconds(gate)} s, opa eval ${seconds(opa)} s)`,
        met: opa >= 2 * gate,
      });
      const opaWhole = median(s25.opaFull);
      const evaluate = median(s25.evaluate);
      verdicts.push({
        target: "(same input) steward evaluate ≥ 2× faster than opa eval on the whole normalized document at 25k",
        measured: `${ratio(opaWhole / evaluate)} (steward evaluate ${seconds(evaluate)} s, opa eval ${seconds(opaWhole)} s)`,
        met: opaWhole >= 2 * evaluate,
      });
    } else verdicts.push({ target: "gate at 25k resources ≥ 2× faster than opa eval", measured: "opa not installed", met: null });
  }
  const s1k = at(1_000);
  const s100k = at(100_000);
  if (s1k && s100k) {
    const perResource = (size: SizeResult) => median(size.gate) / size.shape.resources;
    const scaling = perResource(s100k) / perResource(s1k);
    verdicts.push({
      target: "gate scaling 1k → 100k resources within 1.2× of linear",
      measured: `${ratio(scaling)} (time per resource at 100k ÷ at 1k)`,
      met: scaling <= 1.2,
    });
  }
  const s10k = at(10_000);
  if (s1k && s10k && s100k) {
    // Fixed costs (Node start-up, loading the engine) flatter the ratio above; this one leaves them out.
    const marginal =
      (median(s100k.gate) - median(s10k.gate)) / (s100k.shape.resources - s10k.shape.resources) /
      ((median(s10k.gate) - median(s1k.gate)) / (s10k.shape.resources - s1k.shape.resources));
    verdicts.push({
      target: "(informational) marginal time per resource, 10k → 100k ÷ 1k → 10k",
      measured: ratio(marginal),
      met: null,
    });
  }
  for (const size of [s25, s100k]) {
    if (!size) continue;
    const rss = stats(size.gate.map((sample) => sample.rssMiB ?? NaN).filter((value) => !Number.isNaN(value)));
    if (!rss) continue;
    const input = size.shape.bytes / 1_048_576;
    verdicts.push({
      target: `gate peak RSS ≤ 4× the input file (${count(size.target)} resources)`,
      measured: `${ratio(rss.median / input)} (${mib(rss.median)} for ${megabytes(size.shape.bytes)})`,
      met: rss.median <= 4 * input,
    });
  }
  const fleet = fleets?.find((result) => result.clients === FLEET_TARGET.clients && result.endpoints === FLEET_TARGET.endpoints && result.jobs !== "--jobs 1");
  if (fleet) {
    const fleetMedian = median(fleet.runs);
    verdicts.push({
      target: `fleet check ${count(fleet.clients)} × ${fleet.endpoints} < ${FLEET_TARGET.seconds} s on ${availableParallelism()} cores (default --jobs)`,
      measured: `${seconds(fleetMedian)} s`,
      met: fleetMedian < FLEET_TARGET.seconds * 1000,
    });
  }
  const fleetReport = reports?.find((result) => result.clients === REPORT_TARGET.clients && result.endpoints === REPORT_TARGET.endpoints);
  if (fleetReport) {
    const reportMedian = median(fleetReport.runs);
    verdicts.push({
      target: `fleet report ${count(fleetReport.clients)} × ${fleetReport.endpoints}, every format with --out, < ${REPORT_TARGET.seconds} s on ${availableParallelism()} cores (default --jobs)`,
      measured: `${seconds(reportMedian)} s`,
      met: reportMedian < REPORT_TARGET.seconds * 1000,
    });
  }
  const p500 = preflight?.find((result) => result.endpoints === 500);
  if (p500) {
    const value = stats(p500.runsMs)?.median ?? NaN;
    verdicts.push({ target: "preflight ≤ 50 ms for 500 endpoints", measured: `${value.toFixed(1)} ms (first call ${p500.firstMs.toFixed(1)} ms)`, met: value <= 50 });
  }
  return verdicts;
}

function render(
  info: ReturnType<typeof machine>,
  sizes: SizeResult[],
  fleets: FleetResult[] | null,
  reports: ReportResult[] | null,
  preflight: PreflightResult[] | null,
  phases: Phases | null,
  notes: string[],
  markdown: boolean,
): string {
  const t = markdown ? markdownTable : textTable;
  const sampleStats = (samples: Sample[]) => stats(samples.map((sample) => sample.wallMs));
  const rssStats = (samples: Sample[]) => stats(samples.map((sample) => sample.rssMiB ?? NaN).filter((value) => !Number.isNaN(value)));
  const parts: string[] = [];
  const heading = (text: string) => parts.push(markdown ? `### ${text}` : `\n== ${text}`);
  heading("Machine");
  parts.push(
    t(
      ["", ""],
      [
        ["CPU", `${info.model}, ${info.cores} cores`],
        ["memory", info.memory],
        ["OS", info.os],
        ["Node", info.node],
        ["OPA", info.opa],
        ["conftest", info.conftest],
        ["steward", info.commit],
        ["peak RSS from", info.rss],
      ],
    ),
  );
  heading("Inputs");
  parts.push(
    t(
      ["resources", "endpoints", "non-compliant endpoints", "preview file", "normalized document", "sent to wasm / opa eval", "reps"],
      sizes.map((size) => [
        count(size.shape.resources),
        count(size.shape.endpoints),
        Object.entries(size.shape.nonCompliant)
          .map(([what, n]) => `${n} ${what}`)
          .join(", "),
        megabytes(size.shape.bytes),
        megabytes(size.documentBytes),
        megabytes(size.wasmInputBytes),
        String(size.reps),
      ]),
    ),
  );
  heading("Results (wall time: median (min–max); peak RSS: median)");
  parts.push(
    t(
      ["resources", "steward gate", "gate RSS", "floor: read + JSON.parse", "floor in-process", "opa eval", "opa RSS", "conftest test", "conftest RSS", "steward evaluate (whole document)", "opa eval (whole document)"],
      sizes.map((size) => [
        count(size.shape.resources),
        timeCell(sampleStats(size.gate)),
        rssCell(rssStats(size.gate)),
        timeCell(sampleStats(size.floor)),
        `${seconds(size.floor[0]?.inProcessMs ?? NaN)} s${size.floor[0]?.method === "split" ? " (split parse)" : ""}`,
        timeCell(sampleStats(size.opa)),
        rssCell(rssStats(size.opa)),
        timeCell(sampleStats(size.conftest)),
        rssCell(rssStats(size.conftest)),
        timeCell(sampleStats(size.evaluate)),
        timeCell(sampleStats(size.opaFull)),
      ]),
    ),
  );
  heading("Ratios");
  parts.push(
    t(
      ["resources", "gate ÷ floor", "opa eval ÷ gate", "opa eval ÷ steward evaluate (same whole document)", "conftest ÷ gate", "gate RSS ÷ file", "gate time per 1k resources"],
      sizes.map((size) => {
        const gate = sampleStats(size.gate)?.median ?? NaN;
        const floor = sampleStats(size.floor)?.median ?? NaN;
        const opa = sampleStats(size.opa)?.median;
        const conftest = sampleStats(size.conftest)?.median;
        const rss = rssStats(size.gate)?.median;
        return [
          count(size.shape.resources),
          ratio(gate / floor),
          opa ? ratio(opa / gate) : "n/a",
          size.opaFull.length > 0 ? ratio((sampleStats(size.opaFull)?.median ?? NaN) / (sampleStats(size.evaluate)?.median ?? NaN)) : "n/a",
          conftest ? ratio(conftest / gate) : "n/a",
          rss ? ratio(rss / (size.shape.bytes / 1_048_576)) : "n/a",
          `${((gate / size.shape.resources) * 1000).toFixed(1)} ms`,
        ];
      }),
    ),
  );
  if (fleets) {
    heading("Fleet check (steward check --stacks-dir, all clients)");
    parts.push(
      t(
        ["clients", "endpoints each", "--jobs", "clients reported", "wall time", "peak RSS (all threads)"],
        fleets.map((fleet) => [
          count(fleet.clients),
          String(fleet.endpoints),
          fleet.jobs,
          count(fleet.reported),
          timeCell(sampleStats(fleet.runs)),
          rssCell(rssStats(fleet.runs)),
        ]),
      ),
    );
  }
  if (reports) {
    heading("Compliance reports (steward report --stacks-dir DIR --out TMP, every format, default --jobs)");
    parts.push(
      t(
        ["clients", "endpoints each", "clients reported", "archive written", "wall time", "peak RSS (all threads)"],
        reports.map((report) => [
          count(report.clients),
          String(report.endpoints),
          count(report.reported),
          megabytes(report.archiveBytes),
          timeCell(sampleStats(report.runs)),
          rssCell(rssStats(report.runs)),
        ]),
      ),
    );
  }
  if (preflight) {
    heading("Preflight inside a component (judgeBaseline: plan, normalize, evaluate; in-process, engine loaded)");
    parts.push(
      t(
        ["endpoints", "median (min–max)", "first call", "runs", "findings", "peak RSS"],
        preflight.map((result) => [
          count(result.endpoints),
          msCell(stats(result.runsMs)),
          `${result.firstMs.toFixed(1)} ms`,
          String(result.runsMs.length),
          String(result.findings),
          mib(result.maxRssMiB),
        ]),
      ),
    );
  }
  if (phases) {
    heading(`Where the gate's time goes (${count(SIZES[3] as number)} resources, one process, in order)`);
    parts.push(t(["phase", "ms"], Object.entries(phases.phases).map(([phase, ms]) => [phase, ms.toFixed(0)])));
    parts.push(
      `\nInput ${megabytes(phases.inputBytes)}; normalized document ${megabytes(phases.documentBytes)}; sent to wasm ${megabytes(phases.wasmInputBytes)}; ` +
        `${count(phases.findings)} findings; peak RSS ${mib(phases.maxRssMiB)}. Bracketed phases are parts of the evaluation measured on their own.`,
    );
  }
  const verdictList = verdicts(sizes, fleets, reports, preflight);
  if (verdictList.length > 0) {
    heading("Targets");
    parts.push(
      t(
        ["target", "measured", "verdict"],
        verdictList.map((verdict) => [
          verdict.target,
          verdict.measured,
          verdict.met === null ? (verdict.target.startsWith("(informational)") ? "—" : "not measured") : verdict.met ? "met" : "MISSED",
        ]),
      ),
    );
  }
  const checks = sizes.flatMap((size) => size.checks.map((check) => `${count(size.shape.resources)} resources: ${check}`));
  if (checks.length > 0 || notes.length > 0) {
    heading("Checks and notes");
    parts.push([...checks, ...notes].map((line) => `- ${line}`).join("\n"));
  }
  return parts.join("\n\n");
}

function commands(tools: { opa: string | null; conftest: string | null }): string {
  const rel = (path: string | null) => (path ? relative(root, path) || path : "(not installed)");
  const time = TIME ? "/usr/bin/time -v " : "";
  return [
    "```sh",
    "npm run bench        # = npm run build && node dist/bench/run.js",
    `# generated into build/bench/ (seed ${SEED}); N = 100, 1000, 10000, 25000, 100000`,
    "node --max-old-space-size=8192 dist/bench/child.js preview N SEED build/bench/preview-N.json",
    "node --max-old-space-size=8192 dist/bench/child.js normalize build/bench/preview-N.json build/bench/document-N.json build/bench/wasm-input-N.json",
    "# measured, interleaved, 5 repetitions (3 at 100k)",
    `${time}node bin/steward.js gate build/bench/preview-N.json --format json --output /dev/null`,
    `${time}node dist/bench/floor.js build/bench/preview-N.json`,
    `${time}${rel(tools.opa)} ${opaArgs("build/bench/wasm-input-N.json").join(" ")} > /dev/null`,
    `${time}node bin/steward.js evaluate build/bench/document-N.json --format json > /dev/null`,
    `${time}${rel(tools.opa)} ${opaArgs("build/bench/document-N.json").join(" ")} > /dev/null`,
    `${time}${rel(tools.conftest)} ${conftestArgs("build/bench/preview-N.json").join(" ")} > /dev/null`,
    "# C = 200, 1000 clients of 100 endpoints each",
    "node dist/bench/child.js fleet build/bench/fleet-Cx100 C 100",
    `${time}node bin/steward.js check --stacks-dir build/bench/fleet-Cx100 --format json > /dev/null   # 3 repetitions; for 200 also with --jobs 1`,
    "# C × E = 1000 × 100, 1 × 500; each repetition into a new temporary folder, deleted after",
    "node dist/bench/child.js fleet build/bench/fleet-CxE C E",
    `${time}node bin/steward.js report --stacks-dir build/bench/fleet-CxE --out TMP --format json > /dev/null   # 3 repetitions`,
    `node dist/bench/child.js preflight E REPS   # E = ${PREFLIGHT.map((p) => `${p.endpoints} (${p.reps} reps)`).join(", ")}`,
    `node dist/bench/child.js phases build/bench/preview-25000.json`,
    "```",
  ].join("\n");
}

/** Rewrites the part of BENCHMARKS.md between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`. */
function writeBenchmarks(results: string, name = "results") {
  const START = `<!-- bench:${name}:start -->`;
  const END = `<!-- bench:${name}:end -->`;
  const file = join(root, "BENCHMARKS.md");
  const block = `${START}\n${results}\n${END}`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : `# Benchmarks\n\n${START}\n${END}\n`;
  const begin = current.indexOf(START);
  const finish = current.indexOf(END);
  const next = begin >= 0 && finish > begin ? current.slice(0, begin) + block + current.slice(finish + END.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

/** The real-engine section: deploy, then time preview alone, with steward's pack, with the anchor, and preview + gate. */
function runEngine(opts: Options, info: ReturnType<typeof machine>): void {
  const started = performance.now();
  const log = (text: string) => process.stderr.write(`${text}\n`);
  const results = engineClients(root, out, ENGINE_ENDPOINTS, SEED).map((client) =>
    measureEngineClient(root, out, client, opts.reps ?? (client.endpoints > 100 ? 3 : 5), log),
  );
  const verdicts = engineVerdicts(results);
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  const render = (table: typeof markdownTable) =>
    [
      renderEngine(results, table),
      table(
        ["target", "measured", "verdict"],
        verdicts.map((verdict) => [verdict.target, verdict.measured, verdict.met === null ? "not measured" : verdict.met ? "met" : "MISSED"]),
      ),
      `Deploying took ${results.map((result) => `${seconds(result.deployMs)} s (${result.stack})`).join(", ")}; the section ${minutes} minutes. ` +
        `Pulumi CLI v3.248.0 (pulumi-local), steward ${info.commit}, ${info.model}, ${info.cores} cores.`,
    ].join("\n\n");
  process.stdout.write(`\n== Real engine: what steward adds to pulumi preview\n\n${render(textTable)}\n`);
  if (opts.write) {
    writeBenchmarks(`## Real engine: what steward adds to pulumi preview (latest run)\n\n${render(markdownTable)}\n\n${engineCommands()}\n`, "engine");
    process.stderr.write(`bench: wrote the real-engine section of ${join(root, "BENCHMARKS.md")}\n`);
  }
}

function main(argv: string[]) {
  const opts = options(argv);
  mkdirSync(out, { recursive: true });
  if (opts.steward) steward = join(opts.steward, "bin", "steward.js");
  if (opts.engine === "only") {
    runEngine(opts, machine({ opa: null, conftest: null }));
    return;
  }
  const notes: string[] = [];
  if (!TIME) notes.push("/usr/bin/time is missing (Debian package `time`): peak RSS of opa and conftest not measured");
  const tools = { opa: null as string | null, conftest: null as string | null };
  if (opts.tools) {
    for (const name of ["opa", "conftest"] as const) {
      const found = tool(name);
      tools[name] = found.path;
      if (found.note) notes.push(found.note);
    }
  } else notes.push("--no-tools: opa eval and conftest not run");
  const started = performance.now();
  const sizes = opts.sizes.map((target) => measureSize(target, repsFor(target, opts.reps), tools));
  const phasesFile = join(out, `preview-${SIZES[3]}.json`);
  const phases = existsSync(phasesFile) ? childJson<Phases>(["phases", phasesFile], [BIG_HEAP]) : null;
  const fleets = opts.fleet ? measureFleets() : null;
  const reports = opts.report ? measureReports(opts.reps ?? 3) : null;
  const preflight = opts.preflight ? measurePreflight() : null;
  notes.push(`the whole run took ${((performance.now() - started) / 60_000).toFixed(1)} minutes`);
  const info = machine(tools);
  process.stdout.write(`${render(info, sizes, fleets, reports, preflight, phases, notes, false)}\n`);
  if (opts.write) {
    writeBenchmarks(
      `## Latest run\n\n${render(info, sizes, fleets, reports, preflight, phases, notes, true)}\n\n### Exact commands\n\n${commands(tools)}\n`,
    );
    process.stderr.write(`bench: wrote ${join(root, "BENCHMARKS.md")}\n`);
  }
  if (opts.engine === "also") runEngine(opts, info);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
