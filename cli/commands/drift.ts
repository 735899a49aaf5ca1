import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError, formatProblem, loadLocatedConfig, type LocatedConfig } from "../../core/config";
import { analyzeDrift, type DriftReport } from "../../core/drift";
import { PolicyEngine } from "../../core/engine";
import { ExitCode, InputError } from "../../core/errors";
import type { ResourceStates } from "../../core/sources/pulumi";
import { evaluationTime } from "../clock";
import type { CommandResult } from "../exit";
import { fleetSummary, refuseSharedClientIds, runFleet, worstExitCode, type FleetObserver, type FleetTask } from "../fleet";
import { fleetProgress } from "../fleet-progress";
import { renderDrift, renderFleetDrift } from "../formats/drift";
import { pulumiStates } from "../input";
import type { DriftOptions } from "../options";
import { writeOutput } from "../output";
import { pulumiDirectory } from "../pulumi";
import { DRIFT_STATUSES, type ClientDrift, type DriftStatus, type FleetDriftReport } from "../reports";
import { loadStack, locationsFromHere, stackFiles } from "../stacks";

/** What drift asks Pulumi for when it runs it: the refresh, previewed, as JSON. */
const REFRESH = ["refresh", "--preview-only"];

/** A client's refresh preview in `--previews-dir`. */
const previewFile = (dir: string, stack: string) => join(dir, `${stack}.json`);

/** The refresh preview one client's drift is judged on: the file, or `--stack`'s in `--previews-dir`. */
function singleFile(file: string | undefined, { previewsDir, stack }: Omit<DriftOptions, "format">): string | undefined {
  if (previewsDir === undefined) return file;
  if (file !== undefined || stack === undefined) {
    throw new InputError("--previews-dir takes the place of the file: give it with --stack for one client, or alone for every client");
  }
  return previewFile(previewsFolder(previewsDir), stack);
}

/** `--previews-dir`, which must be a folder: a typo would otherwise read as every client's preview missing. */
function previewsFolder(dir: string): string {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new InputError(`--previews-dir ${dir} is not a folder`);
  return resolve(dir);
}

/** What changed outside Pulumi (a refresh preview: the file, or Pulumi run for `--stack`), and
 *  whether it left anything unmanaged (exit 1). */
export function driftReport(file: string | undefined, options: Omit<DriftOptions, "format">): CommandResult<DriftReport> {
  const states = pulumiStates(singleFile(file, options), options.stack, REFRESH, { refresh: true, cwd: options.cwd });
  const located = options.stack === undefined ? null : loadStack(options.stacksDir, options.stack);
  const report = analyzeDrift(states, located?.config ?? null, PolicyEngine.loadSync(), evaluationTime(), located?.locations);
  return { report: { ...report, policies: locationsFromHere(report.policies) }, exitCode: report.policies.summary.blocking > 0 ? ExitCode.BLOCKING_FINDINGS : ExitCode.PASS };
}

/** A client's stack file, and its refresh preview: a file, or null to run `pulumi` for the stack. */
type DriftJob = { stack: string; file: string; preview: string | null };

/** Every worker judges as of the same instant, and runs `pulumi` in the same folder. */
interface Shared {
  now: Date;
  cwd: string;
}

const previewName = ({ stack, preview }: DriftJob) => preview ?? `pulumi ${REFRESH.join(" ")} --stack ${stack}`;

function unjudged(job: DriftJob, status: "invalid" | "error", problems: string[]): ClientDrift {
  return { stack: job.stack, file: job.file, client: null, preview: previewName(job), status, report: null, problems };
}

/** One client of fleet drift, on a fleet worker (cli/fleet.ts): its refresh preview read, or run with `pulumi`, and judged. */
export const driftTask: FleetTask<Shared, DriftJob, ClientDrift, Shared & { engine: PolicyEngine }> = {
  ref: { module: "cli/commands/drift", export: "driftTask" },
  prepare: (shared) => ({ ...shared, engine: PolicyEngine.loadSync() }),
  run({ now, cwd, engine }, job) {
    let located: LocatedConfig;
    let states: ResourceStates;
    try {
      located = loadLocatedConfig(job.file);
      if (job.preview !== null && !existsSync(job.preview)) {
        return unjudged(job, "invalid", [`no refresh preview ${job.preview}: write it with \`pulumi refresh --preview-only --json --stack ${job.stack} > ${job.preview}\``]);
      }
      states = pulumiStates(job.preview ?? undefined, job.stack, REFRESH, { refresh: true, cwd });
    } catch (error) {
      if (error instanceof ConfigError) return unjudged(job, "invalid", error.problems.map(formatProblem));
      // The preview is unreadable or not a refresh preview, or `pulumi` failed.
      if (error instanceof InputError) return unjudged(job, "invalid", [error.message]);
      throw error;
    }
    const judged = analyzeDrift(states, located.config, engine, now, located.locations);
    const report = { ...judged, policies: locationsFromHere(judged.policies) };
    const status: DriftStatus = report.policies.summary.blocking > 0 ? "blocking" : report.drifted.length > 0 ? "drifted" : "pass";
    return { stack: job.stack, file: job.file, client: located.config.client.id, preview: previewName(job), status, report, problems: [] };
  },
  failed: (job, message) => unjudged(job, "error", [message]),
};

const EXIT_CODE: Record<DriftStatus, ExitCode> = {
  pass: ExitCode.PASS,
  drifted: ExitCode.PASS,
  blocking: ExitCode.BLOCKING_FINDINGS,
  invalid: ExitCode.BAD_INPUT,
  error: ExitCode.INTERNAL,
};

/**
 * Drift over every client (no file, no `--stack`): each stack file's refresh preview from
 * `--previews-dir` (`<stack>.json`), or from `pulumi refresh --preview-only` run for its stack, at
 * most `--jobs` at once. The worst client decides the exit code, as for check.
 */
export async function fleetDriftReport(options: Omit<DriftOptions, "format">, observer?: FleetObserver<ClientDrift>): Promise<CommandResult<FleetDriftReport>> {
  const previewsDir = options.previewsDir === undefined ? null : previewsFolder(options.previewsDir);
  const jobs = stackFiles(options.stacksDir).map(({ stack, file }) => ({ stack, file, preview: previewsDir === null ? null : previewFile(previewsDir, stack) }));
  const shared: Shared = { now: evaluationTime(), cwd: pulumiDirectory(options.cwd) };
  const clients = await runFleet(driftTask, shared, jobs, options, observer);
  refuseSharedClientIds(clients);
  const exitCode = worstExitCode(clients.map((client) => EXIT_CODE[client.status]));
  return { report: { version: 1, clients, summary: fleetSummary(DRIFT_STATUSES, clients) }, exitCode };
}

/** `steward drift`: what changed outside Pulumi, and whether it left anything unmanaged; for one
 *  preview, or (with neither a file nor `--stack`) for every client. */
export async function drift(file: string | undefined, options: DriftOptions): Promise<ExitCode> {
  if (file !== undefined || options.stack !== undefined) {
    const { report, exitCode } = driftReport(file, options);
    writeOutput(renderDrift(report, options.format));
    return exitCode;
  }
  const progress = fleetProgress(options, DRIFT_STATUSES);
  const { report, exitCode } = await fleetDriftReport(options, progress);
  writeOutput(renderFleetDrift(report, options.format));
  progress?.finish();
  return exitCode;
}
