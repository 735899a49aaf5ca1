import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  checkedOverview,
  comparable,
  currentPeriod,
  digestOf,
  dayNumber,
  duePeriod,
  fleetOverview,
  overviewProblems,
  reportProblems,
  utcDay,
  type ClientComplianceReport,
  type ClientProblem,
  type Comparable,
  type FleetOverview,
  type InputFile,
  type ManifestEntry,
  type ReportDigest,
  type ReportManifest,
} from "../../core/compliance";
import { ConfigError, formatProblem, loadClientConfig, type ClientConfig } from "../../core/config";
import { parseInventory, type InventoryMachine } from "../../core/coverage";
import { parsePatchAssessment, type PatchAssessments } from "../../core/patch-assessment";
import { PolicyEngine } from "../../core/engine";
import { EvaluationError, ExitCode, InputError, StewardError, asError } from "../../core/errors";
import { packageRoot } from "../../core/paths";
import { bundleDir } from "../../core/policy-sources";
import type { ResourceStates } from "../../core/sources/pulumi";
import { isRecord } from "../../core/values";
import { evaluationTime } from "../clock";
import type { CommandResult } from "../exit";
import { failureMessage, refuseSharedClientIds, runFleet, worstExitCode, type FleetObserver, type FleetTask } from "../fleet";
import { fleetProgress } from "../fleet-progress";
import { COMPLIANCE_RENDERERS } from "../formats/report";
import { pulumiStates, readInput } from "../input";
import { COMPLIANCE_FORMATS, type ReportOptions } from "../options";
import { writeOutput } from "../output";
import { clientReport, inventoryInput, type InventoryInput } from "../report-client";
import { fromHere, stackFiles } from "../stacks";

/** What a run produced: the reports, the fleet overview (a run over every client without --due), what it wrote. */
export interface ReportRun {
  /** The reports made, in stack order; none with `--out`, which has written them (see ClientOutcome). */
  reports: ClientComplianceReport[];
  overview: FleetOverview | null;
  problems: ClientProblem[];
  /** What `--out` wrote; null without it. */
  manifest: ReportManifest | null;
}

/** The sha256 of a file's bytes as they are (before any decoding): what a report records as evidence. */
function inputFile(role: InputFile["role"], path: string): InputFile {
  if (path === "-") throw new InputError(`steward report reads its inputs from files, so that it can record each one's sha256: write the ${role} to a file`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${asError(error).message}`);
  }
  return { role, path: fromHere(path), sha256: createHash("sha256").update(bytes).digest("hex") };
}

const WHAT: Record<"deployed" | "refresh", string> = { deployed: "Pulumi state", refresh: "refresh preview" };

/** A client's Pulumi state or refresh preview, refused when it is another stack's or of the wrong kind. */
function readStates(role: "deployed" | "refresh", path: string, stack: string): ResourceStates {
  const states = pulumiStates(path, undefined, [], { refresh: role === "refresh" });
  if (role === "refresh" && states.kind === "stack-export") {
    throw new InputError(`${path} is a stack export; --refresh takes a refresh preview (\`pulumi refresh --preview-only --json\`)`);
  }
  if (states.identity === null) throw new InputError(`${path} has no resources, so nothing in it says it is the ${WHAT[role]} of stack "${stack}"`);
  if (states.identity.stack !== stack) throw new InputError(`${path} is the ${WHAT[role]} of stack "${states.identity.stack}", not of "${stack}"`);
  return states;
}

/** The previous report's clients, by id: a client's JSON report, or a fleet overview (as --out writes it, or within a fleet run's JSON). */
function readPrevious(path: string): Map<string, Comparable> {
  let document: unknown;
  try {
    document = JSON.parse(readInput(path));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${path} is not JSON: ${asError(error).message}`);
  }
  const overview = isRecord(document) && isRecord(document.overview) ? document.overview : document;
  if (isRecord(overview) && overview.kind === "steward-fleet-overview") {
    const problems = overviewProblems(overview);
    if (problems.length > 0) throw new InputError(`${path} does not match the fleet overview schema (version 1):\n  ${problems.join("\n  ")}`);
    return new Map((overview as unknown as FleetOverview).clients.map((client) => [client.client, client]));
  }
  if (isRecord(document) && document.kind === "steward-compliance-report") {
    const problems = reportProblems(document);
    if (problems.length > 0) throw new InputError(`${path} does not match the compliance report schema (version 1):\n  ${problems.join("\n  ")}`);
    const report = document as unknown as ClientComplianceReport;
    return new Map([[report.client.id, comparable(report)]]);
  }
  throw new InputError(`${path} is neither a steward compliance report nor a fleet overview (the JSON of \`steward report --format json\`)`);
}

/** The file of one client in a folder of `<stack>.json` documents, or null when the folder has none for it. */
function fileIn(dir: string | undefined, stack: string): string | null {
  if (dir === undefined) return null;
  if (!existsSync(dir)) throw new InputError(`folder ${dir} does not exist`);
  const file = join(dir, `${stack}.json`);
  return existsSync(file) ? file : null;
}

function checkOptions(options: ReportOptions): string {
  for (const [single, folder] of [
    ["deployed", "deployed-dir"],
    ["refresh", "refresh-dir"],
  ] as const) {
    const given = single === "deployed" ? options.deployed : options.refresh;
    if (given !== undefined && options.stack === undefined) {
      throw new InputError(`--${single} FILE is one client's: give --stack NAME with it, or --${folder} DIR holding <stack>.json for every client`);
    }
    if (given !== undefined && (single === "deployed" ? options.deployedDir : options.refreshDir) !== undefined) throw new InputError(`give --${single} or --${folder}, not both`);
  }
  if (options.due && options.out === undefined) throw new InputError("--due writes the reports due that day: give --out DIR to archive them in");
  const date = options.date ?? utcDay(evaluationTime());
  if (Number.isNaN(dayNumber(date))) throw new InputError(`--date ${JSON.stringify(date)} is not a day; expected YYYY-MM-DD`);
  return date;
}

type ReportJob = { stack: string; file: string };

/**
 * What every client's report is made from besides its own stack file: the run's day and time, the
 * options naming its inputs, and the inputs every client shares, read once. It crosses to the
 * workers by structured clone, which copies the Map of previous summaries too.
 */
interface ReportShared {
  date: string;
  generatedAt: string;
  due: boolean;
  /** Where each client's report is written, by the worker that made it: `--out`, or over the
   *  fleet a staging folder inside it (reportFleet). */
  out: string | undefined;
  deployed: string | undefined;
  deployedDir: string | undefined;
  refresh: string | undefined;
  refreshDir: string | undefined;
  inventory: InventoryMachine[] | null;
  patchAssessment: PatchAssessments | null;
  previous: Map<string, Comparable>;
  /** The inventory's, the patch assessment's and the previous report's hashes: inputs of every client's report. */
  sharedInputs: InputFile[];
}

interface ReportContext extends ReportShared {
  engine: PolicyEngine;
  inventoryInput: InventoryInput | null;
  stewardVersion: string;
  policyBundleHash: string;
}

/**
 * How one client's part of a run ended, for the progress display: its report's status (`pass`
 * when every answer is yes), not due (`--due`), or a problem: its input is invalid, or making its
 * report failed (a bug).
 */
const REPORT_STATUSES = ["pass", "not-verifiable", "non-compliant", "not-due", "invalid", "error"] as const;
type ReportStatus = (typeof REPORT_STATUSES)[number];

type ReportedStatus = "pass" | "not-verifiable" | "non-compliant";

export type ClientOutcome =
  | {
      status: ReportedStatus;
      digest: ReportDigest;
      /** The report; null once `--out` has written it: a fleet's reports are gigabytes, and the main thread needs only their digests. */
      report: ClientComplianceReport | null;
      /** What `--out` wrote of it, a file per format. */
      files: string[];
    }
  | { status: "not-due"; /** The client id its stack file declares. */ client: string }
  | { status: "invalid" | "error"; problem: ClientProblem };

const STATUS: Record<ClientComplianceReport["status"], ReportedStatus> = { yes: "pass", "not-verifiable": "not-verifiable", no: "non-compliant" };

const EXIT_CODE: Record<ReportStatus, ExitCode> = {
  pass: ExitCode.PASS,
  "not-verifiable": ExitCode.PASS,
  "non-compliant": ExitCode.PASS,
  "not-due": ExitCode.PASS,
  invalid: ExitCode.BAD_INPUT,
  error: ExitCode.INTERNAL,
};

/** A client's report, or that none is due; with `--out` it is written here, so that the workers
 *  render and write the reports while the main thread only gathers their digests. */
function outcomeOf({ client, report }: MadeReport, out: string | undefined): ClientOutcome {
  if (report === null) return { status: "not-due", client };
  const written = out === undefined ? null : writeClientReport(out, report);
  return { status: STATUS[report.status], digest: digestOf(report), report: written === null ? report : null, files: written ?? [] };
}

/** The id of the client an outcome is of; null when its stack file could not be read. */
const clientOf = (outcome: ClientOutcome): string | null => ("digest" in outcome ? outcome.digest.client.id : outcome.status === "not-due" ? outcome.client : null);

/** A client's report, or null when none is due (`--due`). */
interface MadeReport {
  client: string;
  report: ClientComplianceReport | null;
}

/** One client's report, or that none is due (`--due`); throws what makes it impossible. */
function reportClient(context: ReportContext, { stack, file }: ReportJob): MadeReport {
  const config: ClientConfig = loadClientConfig(file);
  const period = context.due ? duePeriod(config.client.reporting.schedule, context.date) : currentPeriod(config.client.reporting.schedule, context.date);
  if (period === null) return { client: config.client.id, report: null };
  const deployedFile = context.deployed ?? fileIn(context.deployedDir, stack);
  const refreshFile = context.refresh ?? fileIn(context.refreshDir, stack);
  const inputs = [
    inputFile("stack-file", file),
    ...(deployedFile === null ? [] : [inputFile("deployed", deployedFile)]),
    ...(refreshFile === null ? [] : [inputFile("refresh", refreshFile)]),
    ...context.sharedInputs,
  ];
  const report = clientReport(
    {
      stack,
      config,
      deployed: deployedFile === null ? null : readStates("deployed", deployedFile, stack),
      refresh: refreshFile === null ? null : readStates("refresh", refreshFile, stack),
      inventory: context.inventoryInput,
      patchAssessment: context.patchAssessment,
      previous: context.previous.get(config.client.id) ?? null,
      generatedAt: context.generatedAt,
      date: context.date,
      period,
      stewardVersion: context.stewardVersion,
      policyBundleHash: context.policyBundleHash,
      inputs,
    },
    context.engine,
  );
  const invalid = reportProblems(report);
  if (invalid.length > 0) throw new EvaluationError(`the report of ${stack} does not match its own schema (a bug):\n  ${invalid.join("\n  ")}`);
  return { client: config.client.id, report };
}

/** One client of `steward report` over the fleet, on a fleet worker (cli/fleet.ts). */
export const reportTask: FleetTask<ReportShared, ReportJob, ClientOutcome, ReportContext> = {
  ref: { module: "cli/commands/report", export: "reportTask" },
  prepare(shared) {
    const engine = PolicyEngine.loadSync();
    const stewardVersion = (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
    // The engine has checked the manifest against the Rego sources.
    const policyBundleHash = (JSON.parse(readFileSync(join(bundleDir(), "manifest.json"), "utf8")) as { sourceHash: string }).sourceHash;
    return { ...shared, engine, stewardVersion, policyBundleHash, inventoryInput: shared.inventory === null ? null : inventoryInput(shared.inventory) };
  },
  run(context, job) {
    try {
      return outcomeOf(reportClient(context, job), context.out);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const problem = error instanceof ConfigError ? `invalid stack file ${fromHere(job.file)}: ${error.problems.map(formatProblem).join("; ")}` : error.message;
      return { status: "invalid", problem: { stack: job.stack, problem } };
    }
  },
  failed: (job, message) => ({ status: "error", problem: { stack: job.stack, problem: unmade(job, message) } }),
};

/** Why making a client's report failed (an internal error, not its input), naming its stack file. */
const unmade = (job: ReportJob, message: string) => `the report of ${fromHere(job.file)} could not be made: ${message}`;

/** `--stack`'s report: its input's errors as they are, any other failure naming its stack file. */
function reportOne(context: ReportContext, job: ReportJob, out: string | undefined): ClientOutcome {
  try {
    return outcomeOf(reportClient(context, job), out);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new StewardError(unmade(job, failureMessage(error)), error instanceof StewardError ? error.exitCode : ExitCode.INTERNAL, { cause: error });
  }
}

/**
 * Every client's report (or one, `--stack`; only those due with `--due`), made on `--jobs`
 * workers, and with `--out` each written in every format under `<out>/<client>/<period>.<ext>`,
 * the fleet overview under `<out>/fleet/<date>.<ext>` and what was written in
 * `<out>/manifest.json`. A client that cannot be reported (invalid stack file, an input that is
 * unreadable or another stack's) is a problem: with `--stack` the run fails on it, over every
 * client the others are still reported (exit 2; 3 when making a report failed). Over every client,
 * two stack files that declare the same client id are refused, nothing written (exit 2).
 */
export async function reportRun(options: ReportOptions, observer?: FleetObserver<ClientOutcome>): Promise<CommandResult<ReportRun>> {
  const date = checkOptions(options);
  const generatedAt = evaluationTime().toISOString().replace(/\.\d+Z$/, "Z");
  const jobs = stackFiles(options.stacksDir, options.stack);
  const shared: ReportShared = {
    date,
    generatedAt,
    due: options.due === true,
    out: options.out,
    deployed: options.deployed,
    deployedDir: options.deployedDir,
    refresh: options.refresh,
    refreshDir: options.refreshDir,
    inventory: null,
    patchAssessment: null,
    previous: new Map(),
    sharedInputs: [],
  };
  if (options.inventory !== undefined) {
    shared.sharedInputs.push(inputFile("inventory", options.inventory));
    shared.inventory = parseInventory(readInput(options.inventory), options.inventory);
  }
  if (options.patchAssessment !== undefined) {
    shared.sharedInputs.push(inputFile("patch-assessment", options.patchAssessment));
    shared.patchAssessment = parsePatchAssessment(readInput(options.patchAssessment), options.patchAssessment);
  }
  if (options.previous !== undefined) {
    shared.sharedInputs.push(inputFile("previous", options.previous));
    shared.previous = readPrevious(options.previous);
  }

  // With --stack, the client's failure is the run's, with its own error and exit code.
  const outcomes: ClientOutcome[] = options.stack === undefined ? await reportFleet(shared, jobs, options, observer) : jobs.map((job) => reportOne(reportTask.prepare(shared), job, options.out));
  const reported = outcomes.flatMap((outcome) => ("digest" in outcome ? [outcome] : []));
  const reports = reported.flatMap((outcome) => (outcome.report === null ? [] : [outcome.report]));
  const problems = outcomes.flatMap((outcome) => ("problem" in outcome ? [outcome.problem] : []));
  const digests = reported.map((outcome) => outcome.digest);
  const overview = options.stack === undefined && !options.due ? checkedOverview(fleetOverview(digests, problems, { generatedAt, date, previous: shared.previous })) : null;
  const manifest = options.out === undefined ? null : writeArchive(options.out, { reported, overview, problems, generatedAt, date, due: options.due === true });
  const exitCode = worstExitCode(outcomes.map((outcome) => EXIT_CODE[outcome.status]));
  return { report: { reports, overview, problems, manifest }, exitCode };
}

/**
 * Every client's outcome over the fleet, refused (exit 2) when two stack files declare one client:
 * their reports would be written to the same files (`<out>/<client>/<period>.<ext>`), the last
 * writer winning. The ids are known only once the workers have read the stack files, so with
 * `--out` the workers write into a staging folder inside it (the same file system: a file moves
 * by renaming it), whose files are moved into place only when no client is declared twice, and
 * which is removed however the run ends.
 */
async function reportFleet(shared: ReportShared, jobs: ReportJob[], options: ReportOptions, observer?: FleetObserver<ClientOutcome>): Promise<ClientOutcome[]> {
  const { out } = shared;
  const staging = out === undefined ? undefined : stagingFolder(out);
  try {
    const outcomes = await runFleet(reportTask, { ...shared, out: staging }, jobs, options, observer);
    refuseSharedClientIds(outcomes.map((outcome, index) => ({ file: (jobs[index] as ReportJob).file, client: clientOf(outcome) })));
    if (out !== undefined && staging !== undefined) for (const outcome of outcomes) if ("files" in outcome) for (const path of outcome.files) move(staging, out, path);
    return outcomes;
  } finally {
    if (staging !== undefined) rmSync(staging, { recursive: true, force: true });
  }
}

/** A new, empty folder inside `out` (created if need be) for a fleet run's reports until they are published. */
function stagingFolder(out: string): string {
  try {
    mkdirSync(out, { recursive: true });
    return mkdtempSync(join(out, ".steward-staging-"));
  } catch (error) {
    throw new InputError(`cannot write ${out}: ${asError(error).message}`);
  }
}

/** Makes `file` with `put`, creating its folder first; a failure is an input error naming the file. */
function place(file: string, put: (file: string) => void): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    put(file);
  } catch (error) {
    throw new InputError(`cannot write ${file}: ${asError(error).message}`);
  }
}

/** Moves the file at `path` under `from` to the same path under `to`. */
const move = (from: string, to: string, path: string) => place(join(to, path), (file) => renameSync(join(from, path), file));

const write = (out: string, path: string, text: string) => place(join(out, path), (file) => writeFileSync(file, text));

/** Writes a client's report in every format; returns the files' paths under `out`. */
function writeClientReport(out: string, report: ClientComplianceReport): string[] {
  return COMPLIANCE_FORMATS.map((format) => {
    const path = `${report.client.id}/${report.period.label}.${COMPLIANCE_RENDERERS[format].extension}`;
    write(out, path, COMPLIANCE_RENDERERS[format].client(report));
    return path;
  });
}

/** Writes the overview in every format, then the manifest of what was written (the reports are, by then). */
function writeArchive(
  out: string,
  run: {
    reported: Array<{ digest: ReportDigest; files: string[] }>;
    overview: FleetOverview | null;
    problems: ClientProblem[];
    generatedAt: string;
    date: string;
    due: boolean;
  },
): ReportManifest {
  const entries: ManifestEntry[] = run.reported.map(({ digest, files }) => ({
    client: digest.client.id,
    stack: digest.client.stack,
    schedule: digest.period.schedule,
    period: digest.period.label,
    status: digest.comparable.status,
    recipients: digest.recipients,
    files,
  }));
  const overview: string[] = [];
  if (run.overview !== null) {
    const periods = new Map(run.reported.map(({ digest }) => [digest.client.id, digest.period.label]));
    for (const format of COMPLIANCE_FORMATS) {
      const { extension } = COMPLIANCE_RENDERERS[format];
      const path = `fleet/${run.date}.${extension}`;
      write(out, path, COMPLIANCE_RENDERERS[format].overview(run.overview, (client) => `../${client.client}/${periods.get(client.client)}.${extension}`));
      overview.push(path);
    }
  }
  const manifest: ReportManifest = { version: 1, kind: "steward-report-manifest", generatedAt: run.generatedAt, date: run.date, due: run.due, reports: entries, overview, problems: run.problems };
  write(out, "manifest.json", COMPLIANCE_RENDERERS.json.manifest(manifest));
  return manifest;
}

/**
 * `steward report`: on standard output the client's report (`--stack`) or the fleet overview with
 * every report, or with `--out` the list of what was written; the clients that could not be
 * reported on standard error (exit 2). A report's verdicts are its content, not the run's outcome:
 * `check`, `gate` and `drift` are where findings fail a pipeline. Over the fleet, its progress
 * and summary on standard error (cli/fleet-progress.ts).
 */
export async function report(options: ReportOptions): Promise<ExitCode> {
  const progress = fleetProgress(options, REPORT_STATUSES);
  const { report: run, exitCode } = await reportRun(options, progress);
  const renderer = COMPLIANCE_RENDERERS[options.format];
  if (run.manifest !== null) writeOutput(renderer.manifest(run.manifest));
  else if (options.stack !== undefined) writeOutput(renderer.client(run.reports[0] as ClientComplianceReport));
  else writeOutput(renderer.fleet(run.overview as FleetOverview, run.reports));
  progress?.finish();
  if (run.problems.length > 0) {
    throw new StewardError([`${run.problems.length} client(s) could not be reported:`, ...run.problems.map((entry) => `  ${entry.stack}: ${entry.problem}`)].join("\n"), exitCode);
  }
  return exitCode;
}
