import { ConfigError, formatProblem, loadLocatedConfig, locateFinding, type LocatedConfig } from "../../core/config";
import { PolicyEngine, isBlocking } from "../../core/engine";
import { ExitCode, InputError } from "../../core/errors";
import { judgeStack } from "../baseline";
import { evaluationTime } from "../clock";
import type { CommandResult } from "../exit";
import { fleetSummary, refuseSharedClientIds, runFleet, worstExitCode, type FleetObserver, type FleetTask } from "../fleet";
import { fleetProgress } from "../fleet-progress";
import { renderCheck } from "../formats/check";
import type { CheckOptions } from "../options";
import { writeOutput } from "../output";
import { CHECK_STATUSES, type CheckReport, type CheckStatus, type ClientCheck } from "../reports";
import { locatedFromHere, stackFiles } from "../stacks";

type StackJob = { stack: string; file: string };

function clientCheck({ stack, file }: StackJob, located: LocatedConfig, engine: PolicyEngine, now: Date): ClientCheck {
  const { config } = located;
  const { plan, document, evaluation, notFullyEnforced } = judgeStack(config, stack, now, engine);
  const bySeverity: Record<string, number> = {};
  for (const finding of evaluation.findings.filter((f) => f.waiver === null)) bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
  return {
    stack,
    file,
    client: config.client.id,
    status: evaluation.findings.some(isBlocking) ? "blocking" : "pass",
    endpoints: config.endpoints.length,
    rings: plan.rings,
    findings: evaluation.findings.map((finding): ClientCheck["findings"][number] => {
      const location = locateFinding(finding, document, located);
      return location === undefined ? finding : locatedFromHere({ ...finding, location });
    }),
    summary: { ...evaluation.summary, bySeverity },
    waivers: config.waivers.map(({ policy, resource, expires, approver }) => ({ policy, resource, expires, approver })),
    notFullyEnforced,
    problems: [],
  };
}

/** A client that could not be judged: its stack file's problems, or why judging it failed. */
function unjudged({ stack, file }: StackJob, status: "invalid" | "error", problems: string[]): ClientCheck {
  return {
    stack,
    file,
    client: null,
    status,
    endpoints: 0,
    rings: {},
    findings: [],
    summary: { blocking: 0, advisory: 0, waived: 0, bySeverity: {} },
    waivers: [],
    notFullyEnforced: [],
    problems,
  };
}

/** One client of `steward check`, on a fleet worker (cli/fleet.ts). */
export const checkTask: FleetTask<{ now: Date }, StackJob, ClientCheck, { engine: PolicyEngine; now: Date }> = {
  ref: { module: "cli/commands/check", export: "checkTask" },
  prepare: ({ now }) => ({ engine: PolicyEngine.loadSync(), now }),
  run({ engine, now }, job) {
    try {
      return clientCheck(job, loadLocatedConfig(job.file), engine, now);
    } catch (error) {
      if (error instanceof ConfigError) return unjudged(job, "invalid", error.problems.map(formatProblem));
      // The stack file cannot be read.
      if (error instanceof InputError) return unjudged(job, "invalid", [error.message]);
      throw error;
    }
  },
  failed: (job, message) => unjudged(job, "error", [message]),
};

const EXIT_CODE: Record<CheckStatus, ExitCode> = {
  pass: ExitCode.PASS,
  blocking: ExitCode.BLOCKING_FINDINGS,
  invalid: ExitCode.BAD_INPUT,
  error: ExitCode.INTERNAL,
};

/** The worst client decides the exit code: an invalid stack file outranks blocking findings
 *  (exit 2), a client that could not be judged both (exit 3). */
export const checkExitCode = (clients: readonly ClientCheck[]) => worstExitCode(clients.map((client) => EXIT_CODE[client.status]));

/** Every client's planned baseline (or one, `--stack`), judged offline from its stack file, on `--jobs` workers. */
export async function checkReport(options: Omit<CheckOptions, "format">, observer?: FleetObserver<ClientCheck>): Promise<CommandResult<CheckReport>> {
  const jobs = stackFiles(options.stacksDir, options.stack);
  const clients = await runFleet(checkTask, { now: evaluationTime() }, jobs, options, observer);
  refuseSharedClientIds(clients);
  return { report: { version: 1, clients, summary: fleetSummary(CHECK_STATUSES, clients) }, exitCode: checkExitCode(clients) };
}

/** `steward check`: every client's planned baseline, judged offline from its stack file. */
export async function check(options: CheckOptions): Promise<ExitCode> {
  const progress = fleetProgress(options, CHECK_STATUSES);
  const { report, exitCode } = await checkReport(options, progress);
  writeOutput(renderCheck(report, options.format));
  progress?.finish();
  return exitCode;
}
