import { ConfigError, formatProblem, loadClientConfig, type ClientConfig } from "../../core/config";
import { compareInventory, outsideEveryScope, parseInventory, type CoverageSummary, type InventoryMachine } from "../../core/coverage";
import { PolicyEngine } from "../../core/engine";
import { ExitCode, InputError, StewardError } from "../../core/errors";
import { judgeStack } from "../baseline";
import { evaluationTime } from "../clock";
import type { CommandResult } from "../exit";
import { fleetSummary, refuseSharedClientIds, runFleet, worstExitCode, type FleetObserver, type FleetTask } from "../fleet";
import { fleetProgress } from "../fleet-progress";
import { renderCoverage, uncheckedMessage } from "../formats/coverage";
import { inputName, readInput } from "../input";
import type { CoverageOptions } from "../options";
import { writeOutput } from "../output";
import { COVERAGE_STATUSES, type ClientCoverage, type CoverageReport, type CoverageStatus } from "../reports";
import { stackFiles } from "../stacks";

const EMPTY_SUMMARY: CoverageSummary = {
  declared: 0,
  inScope: 0,
  managed: 0,
  unmanaged: 0,
  outsideScope: 0,
  missing: 0,
  foreignTag: 0,
  patchOrchestration: 0,
  blocking: 0,
  advisory: 0,
};

type StackJob = { stack: string; file: string };

/** One client's coverage, and the inventory machines (by index) it has a claim on: in its scope,
 *  or carrying its tag. A machine no client claims is outside every scope. */
interface CoverageResult {
  coverage: ClientCoverage;
  claimed: number[];
}

function unchecked({ stack, file }: StackJob, status: "invalid" | "error", problems: string[]): CoverageResult {
  return {
    coverage: { client: null, stack, file, status, summary: { ...EMPTY_SUMMARY }, findings: [], uncoveredSubscriptions: [], notFullyEnforced: [], problems },
    claimed: [],
  };
}

function clientCoverage({ stack, file }: StackJob, config: ClientConfig, machines: InventoryMachine[], engine: PolicyEngine, now: Date): CoverageResult {
  // The client's overrides as the policies applied them: only a justified one disables a policy.
  const { evaluation, notFullyEnforced } = judgeStack(config, stack, now, engine);
  const result = compareInventory(config, machines, evaluation.exceptions.enforcement);
  const status: CoverageStatus = result.uncoveredSubscriptions.length > 0 ? "not-covered" : result.summary.blocking > 0 ? "blocking" : "pass";
  const unclaimed = new Set(outsideEveryScope([config], machines));
  const claimed = machines.flatMap((machine, index) => (unclaimed.has(machine) ? [] : [index]));
  return {
    coverage: {
      client: result.client,
      stack,
      file,
      status,
      summary: result.summary,
      findings: result.findings,
      uncoveredSubscriptions: result.uncoveredSubscriptions,
      notFullyEnforced,
      problems: [],
    },
    claimed,
  };
}

type Shared = { now: Date; machines: InventoryMachine[] };

/** One client of `steward coverage`, on a fleet worker (cli/fleet.ts); every worker gets the whole inventory. */
export const coverageTask: FleetTask<Shared, StackJob, CoverageResult, Shared & { engine: PolicyEngine }> = {
  ref: { module: "cli/commands/coverage", export: "coverageTask" },
  prepare: (shared) => ({ ...shared, engine: PolicyEngine.loadSync() }),
  run({ machines, engine, now }, job) {
    let config: ClientConfig;
    try {
      config = loadClientConfig(job.file);
    } catch (error) {
      if (error instanceof ConfigError) return unchecked(job, "invalid", error.problems.map(formatProblem));
      // The stack file cannot be read.
      if (error instanceof InputError) return unchecked(job, "invalid", [error.message]);
      throw error;
    }
    return clientCoverage(job, config, machines, engine, now);
  },
  failed: (job, message) => unchecked(job, "error", [message]),
};

// Anything that could not be checked outranks the findings.
const EXIT_CODE: Record<CoverageStatus, ExitCode> = {
  pass: ExitCode.PASS,
  blocking: ExitCode.BLOCKING_FINDINGS,
  "not-covered": ExitCode.BAD_INPUT,
  invalid: ExitCode.BAD_INPUT,
  error: ExitCode.INTERNAL,
};

/** Every declared endpoint of every client (or one, `--stack`) against a Resource Graph export of what exists, on `--jobs` workers. */
export async function coverageReport(options: Omit<CoverageOptions, "format">, observer?: FleetObserver<{ status: CoverageStatus }>): Promise<CommandResult<CoverageReport>> {
  const jobs = stackFiles(options.stacksDir, options.stack);
  const machines = parseInventory(readInput(options.inventory), inputName(options.inventory));
  const shared: Shared = { now: evaluationTime(), machines };
  const results = await runFleet(coverageTask, shared, jobs, options, observer && { started: observer.started.bind(observer), settled: (result) => observer.settled(result.coverage) });
  const claimed = new Set(results.flatMap((result) => result.claimed));
  const clients = results.map((result) => result.coverage);
  refuseSharedClientIds(clients);
  const report: CoverageReport = {
    version: 1,
    inventory: { file: inputName(options.inventory), machines: machines.length },
    clients,
    outsideEveryScope: machines.length - claimed.size,
    summary: fleetSummary(COVERAGE_STATUSES, clients),
  };
  return { report, exitCode: worstExitCode(clients.map((client) => EXIT_CODE[client.status])) };
}

/** `steward coverage`: the report on standard output; what could not be checked on standard error (exit 2, or 3 when comparing failed). */
export async function coverage(options: CoverageOptions): Promise<ExitCode> {
  const progress = fleetProgress(options, COVERAGE_STATUSES);
  const { report, exitCode } = await coverageReport(options, progress);
  writeOutput(renderCoverage(report, options.format));
  progress?.finish();
  const message = uncheckedMessage(report);
  if (message !== null) throw new StewardError(message, exitCode);
  return exitCode;
}
