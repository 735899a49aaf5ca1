import { judgeBaseline } from "../../components/preflight";
import type { ClientConfig } from "../../core/client-config";
import { ConfigError, formatProblem, loadClientConfig } from "../../core/config";
import { compareInventory, outsideEveryScope, parseInventory, type CoverageSummary } from "../../core/coverage";
import { PolicyEngine } from "../../core/engine";
import { ExitCode, InputError } from "../../core/errors";
import { evaluationTime } from "../clock";
import type { CommandResult } from "../exit";
import { renderCoverage, uncheckedMessage } from "../formats/coverage";
import { inputName, readInput } from "../input";
import type { CoverageOptions } from "../options";
import { writeOutput } from "../output";
import type { ClientCoverage, CoverageReport, CoverageStatus } from "../reports";
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

/** Every declared endpoint of every client (or one, `--stack`) against a Resource Graph export of what exists. */
export function coverageReport(options: Omit<CoverageOptions, "format">): CommandResult<CoverageReport> {
  const files = stackFiles(options.stacksDir, options.stack);
  const machines = parseInventory(readInput(options.inventory), inputName(options.inventory));
  const engine = PolicyEngine.loadSync();
  const now = evaluationTime();

  const configs: ClientConfig[] = [];
  const clients: ClientCoverage[] = files.map(({ stack, file }) => {
    let config: ClientConfig;
    try {
      config = loadClientConfig(file);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const problems = error.problems.map(formatProblem);
      return { client: null, stack, file, status: "invalid", summary: { ...EMPTY_SUMMARY }, findings: [], uncoveredSubscriptions: [], notFullyEnforced: [], problems };
    }
    configs.push(config);
    // The client's overrides as the policies applied them: only a justified one disables a policy.
    const { evaluation, notFullyEnforced } = judgeBaseline(config, { project: "steward", stack }, now, engine);
    const result = compareInventory(config, machines, evaluation.exceptions.enforcement);
    const status: CoverageStatus = result.uncoveredSubscriptions.length > 0 ? "not-covered" : result.summary.blocking > 0 ? "blocking" : "pass";
    return {
      client: result.client,
      stack,
      file,
      status,
      summary: result.summary,
      findings: result.findings,
      uncoveredSubscriptions: result.uncoveredSubscriptions,
      notFullyEnforced,
      problems: [],
    };
  });
  const report: CoverageReport = {
    version: 1,
    inventory: { file: inputName(options.inventory), machines: machines.length },
    clients,
    outsideEveryScope: outsideEveryScope(configs, machines).length,
  };
  // Anything that could not be checked outranks the findings.
  const exitCode = clients.some((r) => r.status === "invalid" || r.status === "not-covered")
    ? ExitCode.BAD_INPUT
    : clients.some((r) => r.status === "blocking")
      ? ExitCode.BLOCKING_FINDINGS
      : ExitCode.PASS;
  return { report, exitCode };
}

/** `steward coverage`: the report on standard output; what could not be checked on standard error (exit 2). */
export function coverage(options: CoverageOptions): ExitCode {
  const { report, exitCode } = coverageReport(options);
  writeOutput(renderCoverage(report, options.format));
  const unchecked = uncheckedMessage(report);
  if (unchecked !== null) throw new InputError(unchecked);
  return exitCode;
}
