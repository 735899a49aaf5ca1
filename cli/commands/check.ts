import { judgeBaseline } from "../../components/preflight";
import type { ClientConfig } from "../../core/client-config";
import { ConfigError, formatProblem, loadClientConfig } from "../../core/config";
import { PolicyEngine, isBlocking } from "../../core/engine";
import { ExitCode } from "../../core/errors";
import { evaluationTime } from "../clock";
import type { CommandResult } from "../exit";
import { renderCheck } from "../formats/check";
import type { CheckOptions } from "../options";
import { writeOutput } from "../output";
import type { CheckReport, ClientCheck } from "../reports";
import { stackFiles } from "../stacks";

function clientCheck(stack: string, file: string, config: ClientConfig, engine: PolicyEngine, now: Date): ClientCheck {
  const { plan, evaluation, notFullyEnforced } = judgeBaseline(config, { project: "steward", stack }, now, engine);
  const bySeverity: Record<string, number> = {};
  for (const finding of evaluation.findings.filter((f) => f.waiver === null)) bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
  return {
    stack,
    file,
    client: config.client.id,
    status: evaluation.findings.some(isBlocking) ? "blocking" : "pass",
    endpoints: config.endpoints.length,
    rings: plan.rings,
    findings: evaluation.findings,
    summary: { ...evaluation.summary, bySeverity },
    waivers: config.waivers.map(({ policy, resource, expires, approver }) => ({ policy, resource, expires, approver })),
    notFullyEnforced,
    problems: [],
  };
}

function invalid(stack: string, file: string, error: ConfigError): ClientCheck {
  return {
    stack,
    file,
    client: null,
    status: "invalid",
    endpoints: 0,
    rings: {},
    findings: [],
    summary: { blocking: 0, advisory: 0, waived: 0, bySeverity: {} },
    waivers: [],
    notFullyEnforced: [],
    problems: error.problems.map(formatProblem),
  };
}

/** Every client's planned baseline (or one, `--stack`), judged offline from its stack file. An
 *  invalid stack file outranks blocking findings: it exits 2. */
export function checkReport(options: Omit<CheckOptions, "format">): CommandResult<CheckReport> {
  const files = stackFiles(options.stacksDir, options.stack);
  const engine = PolicyEngine.loadSync();
  const now = evaluationTime();
  const clients = files.map(({ stack, file }) => {
    try {
      return clientCheck(stack, file, loadClientConfig(file), engine, now);
    } catch (error) {
      if (error instanceof ConfigError) return invalid(stack, file, error);
      throw error;
    }
  });
  const exitCode = clients.some((r) => r.status === "invalid")
    ? ExitCode.BAD_INPUT
    : clients.some((r) => r.status === "blocking")
      ? ExitCode.BLOCKING_FINDINGS
      : ExitCode.PASS;
  return { report: { version: 1, clients }, exitCode };
}

/** `steward check`: every client's planned baseline, judged offline from its stack file. */
export function check(options: CheckOptions): ExitCode {
  const { report, exitCode } = checkReport(options);
  writeOutput(renderCheck(report, options.format));
  return exitCode;
}
